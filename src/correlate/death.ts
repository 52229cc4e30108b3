// One death of the app, with every observation that bounds or explains it.
import type { AppDeath } from './app-lives.js';
import type { GuardianDeath } from './guardian-deaths.js';
import type { DaemonKill, OomKill, UnitOomNote } from './oom-kills.js';
import type { SystemDeath } from './system-deaths.js';

export interface Death {
  /** Last sign of life (latest of the guardian's last alive check and the app's last timed line). */
  lower: number | null;
  /** First sign of death (earliest of the guardian's first dead check and the next startup). */
  upper: number | null;
  readonly guardian: GuardianDeath | null;
  readonly app: AppDeath | null;
  kill: OomKill | null;
  /** True when `kill` could not be placed in time and was tied to this death by order only. */
  killByOrder: boolean;
  daemonKill: DaemonKill | null;
  unitOom: UnitOomNote | null;
  /** What the service manager and the kernel recorded of it: its exit, segfaults, stops and restart. */
  system: SystemDeath | null;
}

/** Observations of one death by different witnesses are the same death when their windows overlap. */
const OVERLAP_SLACK_MS = 2_000;

export function mergeDeaths(
  guardianDeaths: readonly GuardianDeath[],
  appDeaths: readonly AppDeath[],
  systemDeaths: readonly SystemDeath[] = [],
): Death[] {
  const deaths: Death[] = [];
  const usedApp = new Set<AppDeath>();
  for (const g of guardianDeaths) {
    const a = appDeaths.find((d) => !usedApp.has(d) && overlaps(g.lower, g.upper, d.lower, d.upper));
    if (a) usedApp.add(a);
    deaths.push(newDeath(g, a ?? null, null));
  }
  for (const a of appDeaths) if (!usedApp.has(a)) deaths.push(newDeath(null, a, null));
  deaths.sort((x, y) => key(x) - key(y));
  // The service manager's and the kernel's records join the death whose window holds them; a death they alone
  // recorded (no guardian, no app log, or both silent) is a death of its own.
  for (const s of systemDeaths) {
    const witnessed = deaths.find((d) => d.system === null && overlaps(d.lower, d.upper, s.at, s.end));
    if (witnessed) witnessed.system = s;
    else deaths.push(newDeath(null, null, s));
  }
  return deaths.sort((x, y) => key(x) - key(y));
}

function newDeath(guardian: GuardianDeath | null, app: AppDeath | null, system: SystemDeath | null): Death {
  return {
    lower: latest(latest(guardian?.lower ?? null, app?.lower ?? null), system?.at ?? null),
    upper: earliest(earliest(guardian?.upper ?? null, app?.upper ?? null), system?.end ?? null),
    guardian,
    app,
    kill: null,
    killByOrder: false,
    daemonKill: null,
    unitOom: null,
    system,
  };
}

function overlaps(aLo: number | null, aHi: number | null, bLo: number | null, bHi: number | null): boolean {
  const lo = Math.max(aLo ?? Number.NEGATIVE_INFINITY, bLo ?? Number.NEGATIVE_INFINITY);
  const hi = Math.min(aHi ?? Number.POSITIVE_INFINITY, bHi ?? Number.POSITIVE_INFINITY);
  return lo <= hi + OVERLAP_SLACK_MS;
}

function key(d: Death): number {
  return d.lower ?? d.upper ?? Number.POSITIVE_INFINITY;
}

export function latest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

export function earliest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}
