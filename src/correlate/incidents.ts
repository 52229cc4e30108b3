// Correlation: from everything scanned to the contract's incidents (deaths of the app, oldest first) and the OOM
// kills of other processes.

import type { Clock } from '../clock/clock.js';
import type { Incident, MissingSource, OomFigures, OtherOomKill } from '../contract/analysis.js';
import type { Observation, ScannedSource } from '../scan/observation.js';
import { type AppLife, findAppDeaths, findAppLives } from './app-lives.js';
import { decideCause } from './causes/index.js';
import { type Death, mergeDeaths } from './death.js';
import { EvidenceWriter } from './evidence.js';
import { findGuardianDeaths } from './guardian-deaths.js';
import { sameProcessName, unitBaseName, unitNamesApp } from './names.js';
import { type DaemonKill, findOomKills, type OomKill, type UnitOomNote } from './oom-kills.js';
import { type Placed, placeObservations } from './placed.js';

export interface CorrelateOptions {
  readonly sources: readonly ScannedSource[];
  readonly clock: Clock;
  /** `--app`; null to take the guardian log's name, or to have no focus. */
  readonly app: string | null;
  readonly since: number | null;
  readonly until: number | null;
}

export interface Correlation {
  readonly app: string | null;
  readonly incidents: Incident[];
  readonly otherOomKills: OtherOomKill[];
}

/** A kill of the pid the guard wrote down is that death's if it falls this close to the window. */
const PID_MATCH_SLACK_MS = 60_000;
/** Clocks of different carriers agree to about a second (syslog and check.log keep whole seconds). */
const WINDOW_SLACK_MS = 2_000;
/** earlyoom SIGTERMs, waits, then SIGKILLs: its line may precede the app's last words by this much. */
const DAEMON_LEAD_MS = 60_000;

export function correlate(options: CorrelateOptions): Correlation {
  const { sources, clock } = options;
  const placedOf = (kinds: readonly string[]): Placed[] =>
    sources.filter((s) => kinds.includes(s.kind)).flatMap((s) => placeObservations(s, clock));
  const oom = findOomKills(sources, clock);
  const guardianPlaced = sortByTime(placedOf(['guardian']));
  const guardian = findGuardianDeaths(guardianPlaced, options.app);
  for (const note of guardian.notes) sources.find((s) => s.kind === 'guardian')?.notes.push(note);
  const app = options.app ?? guardian.name;
  const writer = new EvidenceWriter(sources, clock);
  const out: Output = { clock, writer };

  let incidents: Incident[];
  let others: OtherOomKill[];
  if (app === null) {
    incidents = [
      ...oom.kills.map((k) => standaloneKillIncident(k, k.process, null, out)),
      ...oom.daemonKills.map((d) =>
        standaloneDaemonIncident(d, d.process ?? unitBaseName(d.unit ?? '?'), null, out),
      ),
    ];
    others = [];
  } else {
    const lives = findAppLives(placedOf(['app']));
    const deaths = mergeDeaths(guardian.deaths, findAppDeaths(lives));
    const systemPlaced = placedOf(['kernel', 'system']);
    attachSystemLines(deaths, systemPlaced, app);
    const appKills = oom.kills.filter((k) => sameProcessName(k.process, app));
    const leftKills = assignKills(deaths, appKills);
    const leftDaemon = assignByWindow(
      deaths,
      oom.daemonKills.filter((d) => daemonNamesApp(d, app)),
      (d) => d.at,
      (death, d) => {
        death.daemonKill = d;
      },
      DAEMON_LEAD_MS,
    );
    const leftUnitOoms = assignByWindow(
      deaths,
      oom.unitOoms.filter((u) => unitNamesApp(u.unit, app)),
      (u) => u.at,
      (death, u) => {
        death.unitOom = u;
      },
      WINDOW_SLACK_MS,
    );
    const context = { sources, lives, systemPlaced, app, writer, clock };
    incidents = [
      ...deaths.map((d) => deathIncident(d, context)),
      ...leftKills.map((k) => standaloneKillIncident(k, app, lives, out)),
      ...leftDaemon.map((d) => standaloneDaemonIncident(d, app, lives, out)),
      ...leftUnitOoms
        .filter((u) => !appKills.some((k) => near(k.at, u.at)))
        .map((u) => standaloneUnitIncident(u, app, lives, out)),
    ];
    others = [
      ...oom.kills.filter((k) => !sameProcessName(k.process, app)).map(otherKill),
      ...oom.daemonKills
        .filter((d) => !daemonNamesApp(d, app))
        .map((d) => ({
          process: d.process ?? unitBaseName(d.unit ?? '?'),
          pid: d.pid,
          at: d.at,
          scope: null,
          anonRssKb: null,
        })),
    ]
      .filter((k) => inRange(k.at, options))
      .sort((a, b) => (a.at ?? Number.POSITIVE_INFINITY) - (b.at ?? Number.POSITIVE_INFINITY))
      .map((k) => ({ ...k, at: clock.iso(k.at) }));
  }
  incidents = incidents
    .filter((i) => inRange(isoMs(i.diedAt) ?? isoMs(i.diedWithin?.[1] ?? null), options))
    .sort(
      (a, b) => (isoMs(a.diedAt) ?? Number.POSITIVE_INFINITY) - (isoMs(b.diedAt) ?? Number.POSITIVE_INFINITY),
    );
  return { app, incidents, otherOomKills: others };
}

interface Output {
  readonly clock: Clock;
  readonly writer: EvidenceWriter;
}

interface IncidentContext {
  readonly sources: readonly ScannedSource[];
  readonly lives: readonly AppLife[];
  readonly systemPlaced: readonly Placed[];
  readonly app: string;
  readonly writer: EvidenceWriter;
  readonly clock: Clock;
}

function deathIncident(death: Death, ctx: IncidentContext): Incident {
  const verdict = decideCause(death, ctx.app);
  const recordAt =
    death.kill?.at ??
    death.daemonKill?.at ??
    death.unitOom?.at ??
    exactTime(verdict.because, ctx.clock) ??
    // oomsleuth guard writes its line the moment the child is reaped.
    death.guardian?.died?.at ??
    null;
  let lower = death.lower;
  let upper = death.upper;
  // The deciding record is the best clock on the death; the window must hold it.
  if (recordAt !== null) {
    if (lower !== null && recordAt < lower) lower = recordAt;
    if (upper !== null && recordAt > upper) upper = recordAt;
  }
  const diedAt = recordAt ?? upper ?? lower;
  const restartedAt = restartOf(death, diedAt, ctx);
  const items: { observation: Observation; says?: string }[] = verdict.because.map((observation) => ({
    observation,
  }));
  if (death.kill) items.push(...death.kill.evidence.map((observation) => ({ observation })));
  const g = death.guardian;
  if (g?.lastAlive)
    items.push({ observation: g.lastAlive.observation, says: 'last guardian check that found it running' });
  for (const stop of g?.stops ?? [])
    items.push({ observation: stop.observation, says: 'stop.sh recorded the pid, then kill -9' });
  if (g?.firstDead)
    items.push({ observation: g.firstDead.observation, says: 'first guardian check that found it gone' });
  if (g?.died) items.push({ observation: g.died.observation });
  for (const line of g?.restartLines ?? []) items.push({ observation: line.observation });
  const life = death.app?.life;
  if (life?.lastTimedLine) items.push({ observation: life.lastTimedLine.observation });
  if (life?.lastLine && life.lastLine !== life.lastTimedLine)
    items.push({ observation: life.lastLine.observation });
  for (const words of life?.endEvidence.slice(0, 2) ?? []) items.push({ observation: words.observation });
  for (const p of death.systemLines) items.push({ observation: p.observation });
  const nextStart = death.app?.next?.start;
  if (nextStart) items.push({ observation: nextStart.observation, says: 'the app started again' });

  return {
    process: death.kill?.process ?? death.daemonKill?.process ?? ctx.app,
    pid: death.kill?.pid ?? death.daemonKill?.pid ?? death.guardian?.pid ?? stoppedPid(death),
    diedAt: ctx.clock.iso(diedAt),
    diedWithin: lower === null && upper === null ? null : [ctx.clock.iso(lower), ctx.clock.iso(upper)],
    restartedAt: ctx.clock.iso(restartedAt),
    cause: verdict.cause,
    confidence: verdict.confidence,
    oom: death.kill ? figures(death.kill) : death.unitOom || death.daemonKill ? emptyFigures() : null,
    missing: missingFor(verdict.cause, verdict.confidence, lower, upper, death, ctx),
    evidence: ctx.writer.write(items),
  };
}

function standaloneKillIncident(
  kill: OomKill,
  process: string,
  lives: readonly AppLife[] | null,
  out: Output,
): Incident {
  const { clock, writer } = out;
  return {
    process: kill.process || process,
    pid: kill.pid,
    diedAt: clock.iso(kill.at),
    diedWithin: null,
    restartedAt: clock.iso(nextStartAfter(lives, kill.at)),
    cause: kill.manual ? 'stopped' : 'oom-killer',
    confidence: kill.manual ? 'likely' : 'confirmed',
    oom: figures(kill),
    missing: kill.at === null ? ['boot-time'] : [],
    evidence: writer.write(kill.evidence.map((observation) => ({ observation }))),
  };
}

function standaloneDaemonIncident(
  kill: DaemonKill,
  process: string,
  lives: readonly AppLife[] | null,
  out: Output,
): Incident {
  const { clock, writer } = out;
  return {
    process: kill.process ?? process,
    pid: kill.pid,
    diedAt: clock.iso(kill.at),
    diedWithin: null,
    restartedAt: clock.iso(nextStartAfter(lives, kill.at)),
    cause: 'oom-daemon',
    confidence: 'confirmed',
    oom: { ...emptyFigures(), cgroup: kill.unit },
    missing: [],
    evidence: writer.write(kill.evidence.map((observation) => ({ observation }))),
  };
}

function standaloneUnitIncident(
  note: UnitOomNote,
  app: string,
  lives: readonly AppLife[],
  out: Output,
): Incident {
  const { clock, writer } = out;
  return {
    process: app,
    pid: null,
    diedAt: clock.iso(note.at),
    diedWithin: null,
    restartedAt: clock.iso(nextStartAfter(lives, note.at)),
    cause: 'oom-killer',
    confidence: 'confirmed',
    oom: emptyFigures(),
    missing: [],
    evidence: writer.write([{ observation: note.observation }]),
  };
}

/** Assigns each timed kill to the death whose window holds it; kills without a time go, in order, to deaths left
 * without any record. Returns the kills no death took. */
function assignKills(deaths: Death[], kills: readonly OomKill[]): OomKill[] {
  // A death whose pid the guard wrote down takes the kill of that pid: whole-second stamps around a restart
  // within milliseconds cannot tell the old life from the new one, the pid can.
  const remaining = [...kills];
  for (const death of deaths) {
    const pid = death.guardian?.pid;
    if (pid == null) continue;
    const index = remaining.findIndex(
      (k) =>
        k.pid === pid &&
        (k.at === null ||
          ((death.lower ?? Number.NEGATIVE_INFINITY) - PID_MATCH_SLACK_MS <= k.at &&
            k.at <= (death.upper ?? Number.POSITIVE_INFINITY) + PID_MATCH_SLACK_MS)),
    );
    if (index >= 0) death.kill = remaining.splice(index, 1)[0]!;
  }
  const timed = remaining.filter((k) => k.at !== null);
  const left = assignByWindow(
    deaths.filter((d) => d.kill === null),
    timed,
    (k) => k.at,
    (death, k) => {
      death.kill = k;
    },
    WINDOW_SLACK_MS,
  );
  const untimed = remaining.filter((k) => k.at === null);
  for (const death of deaths) {
    if (untimed.length === 0) break;
    if (death.kill || death.app?.life.end) continue;
    death.kill = untimed.shift()!;
    death.killByOrder = true;
  }
  return [...left, ...untimed];
}

function assignByWindow<T>(
  deaths: Death[],
  items: readonly T[],
  timeOf: (item: T) => number | null,
  take: (death: Death, item: T) => void,
  leadMs: number,
): T[] {
  const left = [...items];
  deaths.forEach((death, i) => {
    // A record before the previous death's end belongs to an earlier life, never to this one.
    const previous = deaths[i - 1];
    const floor = previous
      ? (previous.upper ?? previous.lower ?? Number.NEGATIVE_INFINITY)
      : Number.NEGATIVE_INFINITY;
    const next = deaths[i + 1];
    // The next death's window starts at its life's last whole-second stamp, which may be the very second of this
    // death: never let it cut this window short of its own end.
    const ceiling = next
      ? Math.max(
          next.lower ?? next.upper ?? Number.POSITIVE_INFINITY,
          (death.upper ?? Number.NEGATIVE_INFINITY) + 999,
        )
      : Number.POSITIVE_INFINITY;
    const lo = Math.max(floor, (death.lower ?? Number.NEGATIVE_INFINITY) - leadMs);
    const hi = Math.min(ceiling, (death.upper ?? Number.POSITIVE_INFINITY) + WINDOW_SLACK_MS);
    const index = left.findIndex((item) => {
      const at = timeOf(item);
      return at !== null && at >= lo && at <= hi;
    });
    if (index >= 0) take(death, left.splice(index, 1)[0]!);
  });
  return left;
}

function attachSystemLines(deaths: Death[], systemPlaced: readonly Placed[], app: string): void {
  for (const p of systemPlaced) {
    const e = p.observation.event;
    const relevant =
      (e.type === 'kernel.segfault' && sameProcessName(e.process, app)) ||
      ((e.type === 'unit.stopping' ||
        e.type === 'unit.stopped' ||
        e.type === 'unit.exited' ||
        e.type === 'unit.result') &&
        unitNamesApp(e.unit, app));
    if (!relevant || p.at === null) continue;
    const death = deaths.find(
      (d) =>
        p.at! >= (d.lower ?? Number.NEGATIVE_INFINITY) - WINDOW_SLACK_MS &&
        p.at! <= (d.upper ?? Number.POSITIVE_INFINITY) + WINDOW_SLACK_MS,
    );
    death?.systemLines.push(p);
  }
}

function daemonNamesApp(kill: DaemonKill, app: string): boolean {
  if (kill.process !== null) return sameProcessName(kill.process, app);
  return (
    kill.unit !== null &&
    (unitNamesApp(kill.unit, app) || kill.unit.split('/').some((part) => unitNamesApp(part, app)))
  );
}

function restartOf(death: Death, diedAt: number | null, ctx: IncidentContext): number | null {
  const nextStart = death.app?.next?.start?.at ?? null;
  if (nextStart !== null) return nextStart;
  const g = death.guardian;
  if (g) {
    // Old start.sh restarts in the same run that finds the app gone, and says so when its stdout is in the log.
    if (g.restartLines.length > 0) return g.restartLines[0]!.at ?? g.upper;
    if (g.backAlive?.at != null) return g.backAlive.at;
  }
  const started = ctx.systemPlaced.find(
    (p) =>
      p.observation.event.type === 'unit.started' &&
      unitNamesApp(p.observation.event.unit, ctx.app) &&
      p.at !== null &&
      diedAt !== null &&
      p.at >= diedAt,
  );
  return started?.at ?? nextStartAfter(ctx.lives, diedAt);
}

/** Linux pids never exceed this (PID_MAX_LIMIT); a longer stop.sh value is several pids glued together. */
const PID_MAX_LIMIT = 4_194_304;

/** The pid old stop.sh wrote into check.log before its kill -9, when it wrote exactly one. */
function stoppedPid(death: Death): number | null {
  for (const stop of death.guardian?.stops ?? []) {
    const e = stop.observation.event;
    const pid = e.type === 'guardian.check' ? Number(e.value) : e.type === 'guardian.stop' ? e.pid : null;
    if (pid !== null && Number.isSafeInteger(pid) && pid > 0 && pid <= PID_MAX_LIMIT) return pid;
  }
  return null;
}

function nextStartAfter(lives: readonly AppLife[] | null, at: number | null): number | null {
  if (!lives || at === null) return null;
  for (const life of lives) {
    const t = life.start?.at;
    if (t != null && t >= at) return t;
  }
  return null;
}

function missingFor(
  cause: string,
  confidence: string,
  lower: number | null,
  upper: number | null,
  death: Death,
  ctx: IncidentContext,
): MissingSource[] {
  if (confidence === 'confirmed') return [];
  const missing: MissingSource[] = [];
  const kernelSources = ctx.sources.filter((s) => s.kind === 'kernel' || s.kind === 'system');
  let unplaced = false;
  const covers = kernelSources.some((s) => {
    if (!s.first || !s.last) return false;
    const first = ctx.clock.timeOf(s.first, s.id);
    const last = ctx.clock.timeOf(s.last, s.id);
    if (first === null || last === null) {
      // A kernel log is there but its boot-relative stamps cannot be placed: what is missing is the boot time.
      unplaced = true;
      return false;
    }
    return (
      first <= (upper ?? lower ?? Number.POSITIVE_INFINITY) &&
      last >= (lower ?? upper ?? Number.NEGATIVE_INFINITY)
    );
  });
  if (!covers && !unplaced) missing.push('kernel-log');
  if (cause === 'unexplained') {
    if (!ctx.sources.some((s) => s.kind === 'guardian')) missing.push('guardian-log');
    if (!ctx.sources.some((s) => s.kind === 'app')) missing.push('app-log');
  }
  if (unplaced || death.killByOrder) missing.push('boot-time');
  return missing;
}

function figures(kill: OomKill): OomFigures {
  return {
    scope: kill.scope,
    cgroup: kill.cgroup,
    invokedBy: kill.invokedBy,
    totalVmKb: kill.totalVmKb,
    anonRssKb: kill.anonRssKb,
    fileRssKb: kill.fileRssKb,
    shmemRssKb: kill.shmemRssKb,
    oomScoreAdj: kill.oomScoreAdj,
  };
}

function emptyFigures(): OomFigures {
  return {
    scope: null,
    cgroup: null,
    invokedBy: null,
    totalVmKb: null,
    anonRssKb: null,
    fileRssKb: null,
    shmemRssKb: null,
    oomScoreAdj: null,
  };
}

function otherKill(kill: OomKill): {
  process: string;
  pid: number | null;
  at: number | null;
  scope: OomKill['scope'];
  anonRssKb: number | null;
} {
  return { process: kill.process, pid: kill.pid, at: kill.at, scope: kill.scope, anonRssKb: kill.anonRssKb };
}

function exactTime(observations: readonly Observation[], clock: Clock): number | null {
  for (const o of observations) {
    const at = clock.observationTime(o);
    if (at !== null) return at;
  }
  return null;
}

function near(a: number | null, b: number | null): boolean {
  return a !== null && b !== null && Math.abs(a - b) <= 5_000;
}

function inRange(at: number | null, options: { since: number | null; until: number | null }): boolean {
  if (at === null) return true;
  if (options.since !== null && at < options.since) return false;
  if (options.until !== null && at > options.until) return false;
  return true;
}

function isoMs(iso: string | null): number | null {
  return iso === null ? null : Date.parse(iso);
}

function sortByTime(placed: Placed[]): Placed[] {
  // Stable: untimed lines keep their place after the line they inherited a time from.
  return placed
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.at ?? Number.NEGATIVE_INFINITY) - (b.p.at ?? Number.NEGATIVE_INFINITY) || a.i - b.i)
    .map(({ p }) => p);
}
