// Deaths seen by the guardian's heartbeat (check.sh / old start.sh: `PID check: N`, N a count of matching ps
// lines; old stop.sh: N = the pid it is about to kill -9).
import type { GuardianCheck } from '../recognise/event.js';
import { sameProcessName } from './names.js';
import type { Placed } from './placed.js';

export interface GuardianDeath {
  /** Last moment the app was seen alive (last check above the baseline, or stop.sh's pid line). */
  readonly lower: number | null;
  /** First check that found it gone. */
  readonly upper: number | null;
  readonly lastAlive: Placed | null;
  readonly firstDead: Placed | null;
  /** stop.sh's `PID check: <pid>` or its `kill -9` / `is stop` lines inside the window. */
  readonly stops: Placed[];
  /** Guardian lines about restarting (`NOT running`, `Starting it...`) that follow the first dead check. */
  readonly restartLines: Placed[];
  /** First check after the death that found it running again. */
  readonly backAlive: Placed | null;
  /** `oomsleuth guard`'s own line about this death (`NAME died: signal SIGKILL after 3h12m, pid N — …`). */
  died?: Placed;
  /** The same death as `oomsleuth guard --incidents` recorded it (incidents.jsonl). */
  incident?: Placed;
  /** `oomsleuth guard` asking this life to stop (`NAME stopping: SIGTERM to pid N (why)`). */
  guardStop?: Placed;
  /** The dead process's pid, when the guard's line gives it. */
  pid?: number | null;
}

export interface GuardianFindings {
  /** The app name the checks are about (the most frequent name). */
  readonly name: string | null;
  readonly deaths: GuardianDeath[];
  readonly notes: string[];
}

/** A check value above this is not a count of ps lines but stop.sh's pid(s). */
const MAX_COUNT = 64;

export function findGuardianDeaths(placed: readonly Placed[], app: string | null): GuardianFindings {
  const checks = placed.filter((p) => p.observation.event.type === 'guardian.check');
  const name = app ?? mostFrequentName(checks) ?? firstDiedName(placed);
  if (name === null) return { name: null, deaths: [], notes: [] };
  const found = findCheckDeaths(placed, checks, name);
  return { ...found, deaths: addSupervisorDeaths(found.deaths, placed, name) };
}

/** Slack on the guard's own line: its whole-second stamp truncates the moment it was written, just after the death. */
const DIED_LINE_SLACK_MS = 2_000;
/** The guard's SIGTERM, its grace period (`--stop-timeout`, 10 s by default) and the SIGKILL after it. */
const STOP_TO_DEATH_MS = 5 * 60_000;

/**
 * `oomsleuth guard` restarts the app within milliseconds, so its checks may never see it gone: its `died:` line — or
 * its incidents.jsonl record of the same death — is the death. A check-based death whose window holds the record is
 * the same death and takes its pid; the guard's `stopping:` line for that pid before it, and its `restarted:` line
 * after it, belong to it too.
 */
function addSupervisorDeaths(
  deaths: GuardianDeath[],
  placed: readonly Placed[],
  name: string,
): GuardianDeath[] {
  const out = [...deaths];
  let lastCheck: Placed | null = null;
  const stops: Placed[] = [];
  for (const p of placed) {
    const e = p.observation.event;
    if (e.type === 'guardian.check' && sameProcessName(e.name, name)) lastCheck = p;
    if (e.type === 'guard.stopping' && sameProcessName(e.name, name)) stops.push(p);
    // The next life: the guard's restart, or a new guard (cron starts one each minute) starting the app again.
    if (
      e.type === 'guard.started' &&
      (e.how === 'restarted' || e.how === 'started') &&
      sameProcessName(e.name, name)
    ) {
      // Its stamp is cut to the second; the record of the death it follows may carry milliseconds.
      const before = out.findLast(
        (d) => (d.died ?? d.incident) !== undefined && recordAt(d) <= (p.at ?? 0) + 999,
      );
      if (before && before.restartLines.length === 0) before.restartLines.push(p);
      continue;
    }
    if ((e.type !== 'guard.died' && e.type !== 'guard.incident') || !sameProcessName(e.name, name)) continue;
    const at = e.type === 'guard.incident' ? (e.diedAtMs ?? p.at) : p.at;
    if (at === null) continue;
    const pid = e.pid;
    // The died: line and the incidents.jsonl record of one death: the same pid within the line's whole second.
    const twin = out.find(
      (d) =>
        (e.type === 'guard.died'
          ? d.died === undefined && d.incident !== undefined
          : d.incident === undefined) &&
        d.pid === pid &&
        Math.abs(recordAt(d) - at) <= DIED_LINE_SLACK_MS,
    );
    const same =
      twin ??
      out.find(
        (d) =>
          d.died === undefined &&
          d.incident === undefined &&
          (d.lower ?? Number.NEGATIVE_INFINITY) - DIED_LINE_SLACK_MS <= at &&
          at <= (d.upper ?? Number.POSITIVE_INFINITY) + DIED_LINE_SLACK_MS,
      );
    const death =
      same ??
      (() => {
        const within = e.type === 'guard.incident' ? e.diedWithinMs : null;
        const created: GuardianDeath = {
          lower: within?.[0] ?? Math.max(lastCheck?.at ?? at - DIED_LINE_SLACK_MS, at - 60 * 60 * 1000),
          upper: e.type === 'guard.incident' ? at : at + 999,
          lastAlive: lastCheck,
          firstDead: null,
          stops: [],
          restartLines: [],
          backAlive: null,
        };
        out.push(created);
        return created;
      })();
    if (e.type === 'guard.died') death.died = p;
    else death.incident = p;
    death.pid ??= pid;
    const stop = stops.findLast(
      (s) =>
        s.observation.event.type === 'guard.stopping' &&
        s.observation.event.pid === pid &&
        s.at !== null &&
        s.at <= at + DIED_LINE_SLACK_MS &&
        at - s.at <= STOP_TO_DEATH_MS,
    );
    if (stop) death.guardStop ??= stop;
  }
  return out.sort((a, b) => (a.lower ?? a.upper ?? 0) - (b.lower ?? b.upper ?? 0));
}

/** When the guard recorded the death: its incidents.jsonl `diedAt`, else its `died:` line's stamp. */
function recordAt(death: GuardianDeath): number {
  const incident = death.incident?.observation.event;
  if (incident?.type === 'guard.incident' && incident.diedAtMs !== null) return incident.diedAtMs;
  return death.incident?.at ?? death.died?.at ?? Number.NaN;
}

function firstDiedName(placed: readonly Placed[]): string | null {
  for (const p of placed) {
    const e = p.observation.event;
    if (e.type === 'guard.died' || e.type === 'guard.incident' || e.type === 'guard.started') return e.name;
  }
  return null;
}

function findCheckDeaths(
  placed: readonly Placed[],
  checks: readonly Placed[],
  name: string,
): GuardianFindings {
  const notes: string[] = [];
  const mine = checks.filter((p) => sameProcessName((p.observation.event as GuardianCheck).name, name));
  const counts = new Map<number, number>();
  for (const p of mine) {
    const v = checkValue(p);
    if (v !== null && v <= MAX_COUNT) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  if (counts.size === 0) return { name, deaths: [], notes };
  const baseline = Math.min(...counts.keys());
  const mode = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  // The count is of every ps line containing the word: the guardian itself (when it lives in a directory named like
  // the app), a `tail -f` of the log… So "dead" is the file's lowest level, not 0 — but a file whose lowest level
  // is also its usual one and not 0 shows an observer coming and going, not a death.
  if (baseline > 0 && baseline === mode) {
    if (counts.size > 1)
      notes.push(
        `check counts vary between ${baseline} and ${Math.max(...counts.keys())} without a drop below the usual level: no death seen`,
      );
    return { name, deaths: [], notes };
  }
  if (baseline > 0)
    notes.push(
      `the guardian counts ${baseline} process(es) even when ${name} is down (dead baseline ${baseline})`,
    );

  const deaths: GuardianDeath[] = [];
  let lastAlive: Placed | null = null;
  let open: {
    lower: number | null;
    lastAlive: Placed | null;
    firstDead: Placed;
    stops: Placed[];
    restartLines: Placed[];
  } | null = null;
  let pendingStops: Placed[] = [];
  const ordered = placed.filter((p) => {
    const e = p.observation.event;
    return e.type === 'guardian.check'
      ? sameProcessName(e.name, name)
      : e.type === 'guardian.restart' || e.type === 'guardian.stop';
  });
  const close = (backAlive: Placed | null): void => {
    if (!open) return;
    deaths.push({
      lower: open.lower,
      upper: open.firstDead.at,
      lastAlive: open.lastAlive,
      firstDead: open.firstDead,
      stops: open.stops,
      restartLines: open.restartLines,
      backAlive,
    });
    open = null;
  };
  for (const p of ordered) {
    const e = p.observation.event;
    if (e.type === 'guardian.restart') {
      open?.restartLines.push(p);
      continue;
    }
    if (e.type === 'guardian.stop') {
      pendingStops.push(p);
      continue;
    }
    const v = checkValue(p);
    if (v === null || v > MAX_COUNT) {
      // stop.sh: the app was alive at this moment (it had a pid) and is about to be kill -9'd.
      if (v !== null) {
        lastAlive = p;
        pendingStops.push(p);
      }
      continue;
    }
    if (v > baseline) {
      close(p);
      lastAlive = p;
      pendingStops = [];
    } else if (!open) {
      open = { lower: lastAlive?.at ?? null, lastAlive, firstDead: p, stops: pendingStops, restartLines: [] };
      pendingStops = [];
      if (!lastAlive) {
        // Dead from the file's first check: nothing says when it died, so no death is counted.
        open = null;
      }
    }
  }
  close(null);
  return { name, deaths, notes };
}

function checkValue(p: Placed): number | null {
  const { value } = p.observation.event as GuardianCheck;
  if (value === '') return null;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : Number.MAX_SAFE_INTEGER;
}

function mostFrequentName(checks: readonly Placed[]): string | null {
  const tally = new Map<string, number>();
  for (const p of checks) {
    const { name } = p.observation.event as GuardianCheck;
    tally.set(name, (tally.get(name) ?? 0) + 1);
  }
  let best: string | null = null;
  let bestCount = 0;
  for (const [name, count] of tally) {
    if (count > bestCount) {
      best = name;
      bestCount = count;
    }
  }
  return best;
}
