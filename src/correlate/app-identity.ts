// What tells the app in focus from another copy of the same program on the same host (a second site, a staging copy):
// the pids oomsleuth guard wrote down for each of its lives, the memory cgroups it made for them, and the systemd units
// the system log shows the app running as. A kernel kill of the app's name that none of these fits is another copy's.

import { sameProcessName, unitBaseName, unitNamesApp } from './names.js';
import type { Placed } from './placed.js';

/** One life of the app whose pid is known, from its start (or the first record of it) to its death. */
export interface PidLife {
  readonly pid: number;
  from: number | null;
  to: number | null;
  /** The memory cgroup the guard ran it in (`started: pid N in memory cgroup /x`, kept across its restarts). */
  memcg: string | null;
}

export interface AppIdentity {
  readonly lives: readonly PidLife[];
  /** systemd units (`x.service`) the system log shows the app running as. */
  readonly units: ReadonlySet<string>;
}

/** The guard writes its lines in whole seconds, just after what they record; a kill comes just before its death line. */
const LIFE_SLACK_MS = 2_000;

export function findAppIdentity(
  guardianPlaced: readonly Placed[],
  systemPlaced: readonly Placed[],
  app: string,
): AppIdentity {
  const lives: PidLife[] = [];
  const units = new Set<string>();
  // A guard names its memory cgroup when it starts; its restarts run in the same one.
  let memcg: string | null = null;
  const lifeOf = (pid: number): PidLife | undefined => lives.findLast((l) => l.pid === pid);
  const end = (pid: number, at: number | null): PidLife => {
    const life = lifeOf(pid);
    if (life && life.to === null) life.to = at;
    if (life) return life;
    const record: PidLife = { pid, from: null, to: at, memcg: null };
    lives.push(record);
    return record;
  };
  for (const p of guardianPlaced) {
    const e = p.observation.event;
    switch (e.type) {
      case 'guard.started':
        if (!sameProcessName(e.name, app)) break;
        if (e.how === 'started') memcg = e.memcg;
        lives.push({ pid: e.pid, from: p.at, to: null, memcg: e.how === 'restarted' ? memcg : e.memcg });
        break;
      case 'guard.died':
        if (sameProcessName(e.name, app) && e.pid !== null) end(e.pid, p.at === null ? null : p.at + 999);
        break;
      case 'guard.incident': {
        if (!sameProcessName(e.name, app) || e.pid === null) break;
        const life = end(e.pid, e.diedAtMs ?? p.at);
        // The guard's own kill record names the cgroup the app was in.
        if (e.oom?.scope === 'memcg' && e.verdict.cause === 'oom-killer') life.memcg ??= e.oom.cgroup;
        break;
      }
      default:
        break;
    }
  }
  for (const p of systemPlaced) {
    const e = p.observation.event;
    if (!('unit' in e)) continue;
    if (e.unit.endsWith('.service') && unitNamesApp(e.unit, app))
      units.add(e.unit.slice(e.unit.lastIndexOf('/') + 1));
  }
  return { lives, units };
}

/** What a kill says about whom it hit. */
export interface KilledTask {
  readonly pid: number | null;
  readonly at: number | null;
  /** The victim's memory cgroup (`task_memcg=`, `Task in …`), or the one whose limit was hit. */
  readonly memcg: string | null;
}

/**
 * True when the kill hit another copy of the program: the guard's lives covering the kill's time have other pids, or
 * run in memory cgroups the victim's is not (nor inside); or the app is known to run as a systemd unit and the victim's
 * cgroup is another unit named like it (`anqicms-staging.service` while the app is `anqicms.service`).
 */
export function isAnotherCopy(task: KilledTask, identity: AppIdentity, app: string): boolean {
  const { memcg } = task;
  if (task.at !== null) {
    const at = task.at;
    const covering = identity.lives.filter(
      (l) =>
        (l.from ?? Number.NEGATIVE_INFINITY) - LIFE_SLACK_MS <= at &&
        at <= (l.to ?? Number.POSITIVE_INFINITY) + LIFE_SLACK_MS,
    );
    if (task.pid !== null && covering.length > 0 && !covering.some((l) => l.pid === task.pid)) return true;
    const cgroups = covering.map((l) => l.memcg).filter((m): m is string => m !== null);
    if (memcg !== null && cgroups.length > 0 && !cgroups.some((m) => related(m, memcg))) return true;
  }
  if (memcg === null || identity.units.size === 0) return false;
  const parts = memcg.split('/');
  if (parts.some((part) => identity.units.has(part))) return false;
  return parts.some(
    (part) => part.endsWith('.service') && unitBaseName(part).startsWith(app) && !unitNamesApp(part, app),
  );
}

/** One cgroup path is the other or inside it. */
function related(a: string, b: string): boolean {
  return a === b || b.startsWith(`${a}/`) || a.startsWith(`${b}/`);
}
