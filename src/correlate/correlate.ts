// Correlation: from everything scanned to the app's deaths (oldest first), each with its verdict and cited evidence,
// and the OOM kills of other processes — as typed findings (see finding.ts); report/ words them.
import type { Clock } from '../clock/clock.js';
import { type MissingSource, NO_OOM_FIGURES, type OomFigures } from '../contract/analysis.js';
import type { Event, GuardIncident } from '../recognise/event.js';
import type { Observation, ScannedSource } from '../scan/observation.js';
import { findAppIdentity, isAnotherCopy } from './app-identity.js';
import { type AppLife, findAppDeaths, findAppLives } from './app-lives.js';
import { appOutput, noteSurvivedOoms, withoutDuplicates } from './app-output.js';
import { type AppUnit, learnAppUnit, mayConcernApp } from './app-unit.js';
import { type DeathCase, decideCause } from './causes/index.js';
import { type Death, mergeDeaths } from './death.js';
import { citeOnce, EvidenceCiter } from './evidence.js';
import { exitStatusOf } from './exit-record.js';
import type { DeathFinding, FindingEvidence, Findings, OtherKillFinding, Verdict } from './finding.js';
import { findGuardianDeaths } from './guardian-deaths.js';
import { missingSources } from './missing.js';
import { sameProcessName, unitBaseName, unitNamesApp } from './names.js';
import { type DaemonKill, findOomKills, type OomKill, type UnitOomNote } from './oom-kills.js';
import { type Placed, placeObservations } from './placed.js';
import { findSystemDeaths, jobNamesApp, type SystemDeath } from './system-deaths.js';

export interface CorrelateOptions {
  readonly sources: readonly ScannedSource[];
  readonly clock: Clock;
  /** `--app`; null to take the guardian log's name, or to have no focus. */
  readonly app: string | null;
  readonly since: number | null;
  readonly until: number | null;
}

/** A kill of the pid the guard wrote down is that death's if it falls this close to the window. */
const PID_MATCH_SLACK_MS = 60_000;
/** Clocks of different carriers agree to about a second (syslog and check.log keep whole seconds). */
const WINDOW_SLACK_MS = 2_000;
/** earlyoom SIGTERMs, waits, then SIGKILLs: its line may precede the app's last words by this much. */
const DAEMON_LEAD_MS = 60_000;

export function correlate(options: CorrelateOptions): Findings {
  const { sources, clock } = options;
  const placedOf = (kinds: readonly string[], keep?: (o: Observation) => boolean): Placed[] =>
    sources.filter((s) => kinds.includes(s.kind)).flatMap((s) => placeObservations(s, clock, keep));
  const oom = findOomKills(sources, clock);
  const guardianPlaced = sortByTime(placedOf(['guardian']));
  const guardian = findGuardianDeaths(guardianPlaced, options.app);
  for (const note of guardian.notes) sources.find((s) => s.kind === 'guardian')?.notes.push(note);
  const app = options.app ?? guardian.name;
  const citer = new EvidenceCiter(sources, clock);

  let deaths: DeathFinding[];
  let others: OtherKillFinding[];
  if (app === null) {
    deaths = [
      ...oom.kills.map((k) => standaloneKillDeath(k, k.process, NO_RESTART, citer)),
      ...oom.daemonKills.map((d) =>
        standaloneDaemonDeath(d, d.process ?? unitBaseName(d.unit ?? '?'), NO_RESTART, citer),
      ),
    ];
    others = [];
  } else {
    const lives = findAppLives(appOutput(sources, clock));
    noteSurvivedOoms(lives, app, clock);
    const systemInFileOrder = placedOf(['kernel', 'system'], (o) => mayConcernApp(o.event, app));
    const unit = learnAppUnit(systemInFileOrder, app);
    // syslog and a journal export of the same hours carry systemd's lines twice: each is one record.
    const systemPlaced = sortByTime(oncePerLine(systemInFileOrder));
    const merged = mergeDeaths(
      guardian.deaths,
      findAppDeaths(lives),
      findSystemDeaths(systemPlaced, { app, unit }),
    );
    // Two copies of one program on one host (a second site, a staging copy): a kill the guard's pids or the app's
    // memory cgroup place on the other copy is an other kill, never one of the app's deaths.
    const identity = findAppIdentity(guardianPlaced, systemPlaced, app);
    const otherCopy = (k: OomKill) =>
      isAnotherCopy({ pid: k.pid, at: k.at, memcg: k.taskMemcg ?? k.cgroup }, identity, app);
    const appKills = oom.kills.filter((k) => sameProcessName(k.process, app) && !otherCopy(k));
    const leftKills = assignKills(merged, appKills);
    const leftDaemon = assignByWindow(
      merged,
      oom.daemonKills.filter(
        (d) => daemonNamesApp(d, app) && !isAnotherCopy({ pid: d.pid, at: d.at, memcg: null }, identity, app),
      ),
      (d) => d.at,
      (death, d) => {
        death.daemonKill = d;
      },
      DAEMON_LEAD_MS,
    );
    const leftUnitOoms = assignByWindow(
      merged,
      oom.unitOoms.filter((u) => unitNamesApp(u.unit, app)),
      (u) => u.at,
      (death, u) => {
        death.unitOom = u;
      },
      WINDOW_SLACK_MS,
    );
    const context = { sources, lives, systemPlaced, app, unit, citer, clock };
    const restartAfter: RestartAfter = (at) => nextStartAfter(lives, at) ?? systemStartAfter(at, context);
    deaths = [
      ...merged.map((d) => deathFinding(d, context)),
      ...leftKills.map((k) => standaloneKillDeath(k, app, restartAfter, citer)),
      ...leftDaemon.map((d) => standaloneDaemonDeath(d, app, restartAfter, citer)),
      ...leftUnitOoms
        .filter((u) => !appKills.some((k) => near(k.at, u.at)))
        .map((u) => standaloneUnitDeath(u, app, restartAfter, citer)),
    ];
    others = [
      ...oom.kills.filter((k) => !appKills.includes(k)).map(otherKill),
      ...oom.daemonKills
        .filter((d) => !leftDaemon.includes(d) && !merged.some((m) => m.daemonKill === d))
        .map((d) => ({
          process: d.process ?? unitBaseName(d.unit ?? '?'),
          pid: d.pid,
          atMs: d.at,
          scope: null,
          anonRssKb: null,
        })),
    ]
      .filter((k) => inRange(k.atMs, options))
      .sort((a, b) => (a.atMs ?? Number.POSITIVE_INFINITY) - (b.atMs ?? Number.POSITIVE_INFINITY));
  }
  deaths = deaths
    .filter((d) => inRange(d.diedAtMs ?? d.diedWithinMs?.[1] ?? null, options))
    .sort((a, b) => (a.diedAtMs ?? Number.POSITIVE_INFINITY) - (b.diedAtMs ?? Number.POSITIVE_INFINITY));
  return { app, deaths, otherKills: others };
}

interface DeathContext {
  readonly sources: readonly ScannedSource[];
  readonly lives: readonly AppLife[];
  readonly systemPlaced: readonly Placed[];
  readonly app: string;
  readonly unit: AppUnit;
  readonly citer: EvidenceCiter;
  readonly clock: Clock;
}

/** What the cause rules need to know of one death, read from the logs. */
function deathCase(death: Death, ctx: DeathContext, coverage: KernelLogCoverage): DeathCase {
  const { citer } = ctx;
  const life = death.app?.life;
  const words = (type: string) =>
    (life?.endEvidence ?? [])
      .filter((p) => p.observation.event.type === type)
      .map((p) => citer.cite(p.observation, 'dying-words'));
  const system = death.system;
  const g = death.guardian;
  const died = g?.died?.observation;
  const diedEvent = died?.event.type === 'guard.died' ? died.event : null;
  const incident = g?.incident?.observation;
  const incidentEvent = incident?.event.type === 'guard.incident' ? incident.event : null;
  const recordedVerdict = incidentEvent?.verdict ?? diedEvent?.verdict ?? null;
  const recordedBy = incidentEvent ? incident : died;
  // How it ended as its parent saw it: the guard's died: line, else its incidents.jsonl record of the death, else
  // the service manager's record of the main process exiting.
  const exitRecord = (diedEvent ? died : incident) ?? system?.exit?.observation ?? null;
  const exitStatus = exitRecord ? exitStatusOf(exitRecord.event) : null;
  return {
    kernelKill: death.kill
      ? {
          evidence: death.kill.evidence.map((o) => citer.citeOomLine(o)),
          manual: death.kill.manual,
          byOrder: death.killByOrder,
        }
      : null,
    unitOom: death.unitOom ? citer.cite(death.unitOom.observation, 'kill-record') : null,
    memcgOomCount: null,
    daemonKill: death.daemonKill ? death.daemonKill.evidence.map((o) => citer.cite(o, 'kill-record')) : null,
    exit:
      exitRecord && exitStatus
        ? {
            known: exitStatus.signal !== null || exitStatus.code !== null,
            code: exitStatus.code,
            signal: exitStatus.signal,
            evidence: citer.cite(exitRecord, 'exit-status'),
          }
        : null,
    guardStop: g?.guardStop ? citer.cite(g.guardStop.observation, 'stop-record') : null,
    recorded:
      recordedVerdict && recordedBy
        ? { ...recordedVerdict, evidence: citer.cite(recordedBy, 'recorded-verdict') }
        : null,
    words: {
      runtimeOom: life?.end === 'runtime-oom' ? words('app.runtime-oom') : [],
      panic: life?.end === 'panic' ? words('app.panic') : [],
      shutdown: life?.end === 'shutdown' ? words('app.shutdown') : [],
      portInUse: [],
    },
    crashRecords: (system?.crashes ?? []).map((p) => citer.cite(p.observation, 'crash-record')),
    stops: [
      ...(death.guardian?.stops ?? []).map((p) => citer.cite(p.observation, 'stop-record')),
      ...(system?.stops ?? []).map((p) => citer.cite(p.observation, 'stop-record')),
    ],
    memoryPressure: [],
    // Only a kernel/system log that covers the death can show who killed it, an OOM daemon (earlyoom's SIGTERM
    // answered by the app's shutdown line) included: without one, analyze says no more than the guard would.
    kernelLogRead: coverage.covers,
    daemonLogsRead: coverage.covers,
  };
}

interface KernelLogCoverage {
  /** A kernel/system log that was read covers the death's window. */
  readonly covers: boolean;
  /** A kernel log is there but its boot-relative stamps could not be placed. */
  readonly unplaced: boolean;
}

function kernelLogCoverage(lower: number | null, upper: number | null, ctx: DeathContext): KernelLogCoverage {
  let unplaced = false;
  const covers = ctx.sources.some((s) => {
    if ((s.kind !== 'kernel' && s.kind !== 'system') || !s.first || !s.last) return false;
    const first = ctx.clock.timeOf(s.first, s.id);
    const last = ctx.clock.timeOf(s.last, s.id);
    if (first === null || last === null) {
      unplaced = true;
      return false;
    }
    return (
      first <= (upper ?? lower ?? Number.POSITIVE_INFINITY) &&
      last >= (lower ?? upper ?? Number.NEGATIVE_INFINITY)
    );
  });
  return { covers, unplaced };
}

function deathFinding(death: Death, ctx: DeathContext): DeathFinding {
  const { citer } = ctx;
  const coverage = kernelLogCoverage(death.lower, death.upper, ctx);
  const verdict = decideCause(deathCase(death, ctx, coverage));
  const incident = guardIncidentOf(death);
  const recordAt =
    death.kill?.at ??
    death.daemonKill?.at ??
    death.unitOom?.at ??
    // The guard saw the child reaped, to the millisecond; its died: line is the same moment cut to the second. Both
    // beat the deciding line's own time: the guard's SIGTERM came seconds before the end, a panic line has no stamp.
    incident?.diedAtMs ??
    death.guardian?.died?.at ??
    verdict.because.find((e) => e.atMs !== null)?.atMs ??
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
  const items: FindingEvidence[] = [...verdict.because];
  if (death.kill) items.push(...death.kill.evidence.map((o) => citer.citeOomLine(o)));
  const g = death.guardian;
  if (g?.lastAlive) items.push(citer.cite(g.lastAlive.observation, 'guardian-last-alive'));
  for (const stop of g?.stops ?? []) items.push(citer.cite(stop.observation, 'stop-record'));
  if (g?.firstDead) items.push(citer.cite(g.firstDead.observation, 'guardian-first-dead'));
  if (g?.died) items.push(citer.cite(g.died.observation, 'exit-status'));
  if (g?.incident) items.push(citer.cite(g.incident.observation, 'exit-status'));
  for (const line of g?.restartLines ?? []) items.push(citer.cite(line.observation, 'guardian-restart'));
  const life = death.app?.life;
  if (life?.lastTimedLine) items.push(citer.cite(life.lastTimedLine.observation, 'app-last-line'));
  if (life?.lastLine && life.lastLine !== life.lastTimedLine)
    items.push(citer.cite(life.lastLine.observation, 'app-last-line'));
  for (const words of life?.endEvidence.slice(0, 2) ?? [])
    items.push(citer.cite(words.observation, 'dying-words'));
  items.push(...systemEvidence(death.system, citer));
  const nextStart = death.app?.next?.start;
  if (nextStart) items.push(citer.cite(nextStart.observation, 'next-start'));
  else if (death.system?.restart) items.push(citer.cite(death.system.restart.observation, 'next-start'));
  // Only a witness of the life (the guardian, the app's output) bounds a window; a record alone dates the death.
  const witnessed = death.guardian !== null || death.app !== null;

  return {
    process: death.kill?.process ?? death.daemonKill?.process ?? ctx.app,
    pid:
      death.kill?.pid ??
      death.daemonKill?.pid ??
      death.guardian?.pid ??
      death.system?.pid ??
      death.system?.crashPid ??
      stoppedPid(death) ??
      death.app?.life.pid ??
      null,
    diedAtMs: diedAt,
    diedWithinMs: !witnessed || (lower === null && upper === null) ? null : [lower, upper],
    restartedAtMs: restartedAt,
    verdict,
    oom: death.kill
      ? figures(death.kill)
      : death.unitOom || death.daemonKill
        ? { ...NO_OOM_FIGURES }
        : verdict.reason.kind === 'recorded-verdict' && OOM_CAUSES.has(verdict.cause)
          ? // The guard's own kernel record or memory cgroup counter, as it wrote them down.
            (incident?.oom ?? { ...NO_OOM_FIGURES })
          : null,
    // The window now holds the deciding record: whether a kernel log covers it is asked of that window.
    missing: missingFor(verdict, death, ctx, kernelLogCoverage(lower, upper, ctx)),
    evidence: citeOnce(items),
  };
}

/** The service manager's and the kernel's lines on a death, each in the part it plays. */
function systemEvidence(system: SystemDeath | null, citer: EvidenceCiter): FindingEvidence[] {
  if (system === null) return [];
  return [
    ...system.stops.map((p) => citer.cite(p.observation, 'stop-record')),
    ...system.crashes.map((p) => citer.cite(p.observation, 'crash-record')),
    ...(system.exit ? [citer.cite(system.exit.observation, 'exit-status')] : []),
    ...(system.clean ? [citer.cite(system.clean.observation, 'exit-status')] : []),
    ...system.restartRecords.map((p) =>
      citer.cite(
        p.observation,
        p.observation.event.type === 'unit.result' ? 'exit-status' : 'guardian-restart',
      ),
    ),
    ...system.others.map((p) => citer.cite(p.observation, 'guardian-restart')),
  ];
}

/** When the app started again after a moment: its next startup banner, else its unit's or job's next start. */
type RestartAfter = (at: number | null) => number | null;

const NO_RESTART: RestartAfter = () => null;

function standaloneKillDeath(
  kill: OomKill,
  process: string,
  restartAfter: RestartAfter,
  citer: EvidenceCiter,
): DeathFinding {
  const evidence = kill.evidence.map((o) => citer.citeOomLine(o));
  const verdict: Verdict = kill.manual
    ? { cause: 'stopped', confidence: 'likely', reason: { kind: 'manual-kill' }, because: evidence }
    : {
        cause: 'oom-killer',
        confidence: 'confirmed',
        reason: { kind: 'kernel-kill', byOrder: false },
        because: evidence,
      };
  return {
    process: kill.process || process,
    pid: kill.pid,
    diedAtMs: kill.at,
    diedWithinMs: null,
    restartedAtMs: restartAfter(kill.at),
    verdict,
    oom: figures(kill),
    missing: kill.at === null ? ['boot-time'] : [],
    evidence: citeOnce(evidence),
  };
}

function standaloneDaemonDeath(
  kill: DaemonKill,
  process: string,
  restartAfter: RestartAfter,
  citer: EvidenceCiter,
): DeathFinding {
  const evidence = kill.evidence.map((o) => citer.cite(o, 'kill-record'));
  return {
    process: kill.process ?? process,
    pid: kill.pid,
    diedAtMs: kill.at,
    diedWithinMs: null,
    restartedAtMs: restartAfter(kill.at),
    verdict: {
      cause: 'oom-daemon',
      confidence: 'confirmed',
      reason: { kind: 'daemon-kill' },
      because: evidence,
    },
    oom: { ...NO_OOM_FIGURES, cgroup: kill.unit },
    missing: [],
    evidence: citeOnce(evidence),
  };
}

function standaloneUnitDeath(
  note: UnitOomNote,
  app: string,
  restartAfter: RestartAfter,
  citer: EvidenceCiter,
): DeathFinding {
  const evidence = [citer.cite(note.observation, 'kill-record')];
  return {
    process: app,
    pid: null,
    diedAtMs: note.at,
    diedWithinMs: null,
    restartedAtMs: restartAfter(note.at),
    verdict: {
      cause: 'oom-killer',
      confidence: 'confirmed',
      reason: { kind: 'unit-oom' },
      because: evidence,
    },
    oom: { ...NO_OOM_FIGURES },
    missing: [],
    evidence,
  };
}

/** A death whose pid the guard wrote down takes no kill of another pid. */
function pidAllows(death: Death, kill: OomKill): boolean {
  const pid = death.guardian?.pid;
  return pid == null || kill.pid === null || kill.pid === pid;
}

/** Assigns each timed kill to the death whose window holds it; kills without a time go, in order, to deaths left
 * without any record. Returns the kills no death took. */
function assignKills(deaths: Death[], kills: readonly OomKill[]): OomKill[] {
  // A death whose pid the guard wrote down takes the kill of that pid: whole-second stamps around a restart
  // within milliseconds cannot tell the old life from the new one, the pid can.
  const remaining = [...kills];
  for (const death of deaths) {
    const pid = death.guardian?.pid ?? death.system?.pid;
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
    // A death whose pid is known is never pinned on a kill of another pid.
    pidAllows,
  ).filter((k) => {
    // The parent reaps an OOM-killed process only once its memory is freed: seconds after the kill for a large one.
    const death = deaths.find((d) => d.kill === null && pidAllows(d, k) && reapedAfter(d, k.at!));
    if (death) death.kill = k;
    return death === undefined;
  });
  const untimed = remaining.filter((k) => k.at === null);
  for (const death of deaths) {
    if (untimed.length === 0) break;
    if (death.kill || death.app?.life.end || explainedBySystem(death)) continue;
    death.kill = untimed.shift()!;
    death.killByOrder = true;
  }
  return [...left, ...untimed];
}

/** A kernel kill's victim is reaped by its parent within this long, however much memory it held. */
const REAP_MS = 60_000;

/** The service manager saw the main process die of SIGKILL shortly after `killedAt`. */
function reapedAfter(death: Death, killedAt: number): boolean {
  const exit = death.system?.exit;
  if (!exit || exit.at === null || exit.at < killedAt || exit.at - killedAt > REAP_MS) return false;
  return exitStatusOf(exit.observation.event)?.signal === 'SIGKILL';
}

/** The service manager or the kernel already recorded a death that no OOM kill can be: a crash, or an exit that was
 * not a SIGKILL. */
function explainedBySystem(death: Death): boolean {
  const system = death.system;
  if (system === null) return false;
  if (system.crashes.length > 0) return true;
  const exit = system.exit ? exitStatusOf(system.exit.observation.event) : null;
  return exit !== null && exit.signal !== 'SIGKILL';
}

function assignByWindow<T>(
  deaths: Death[],
  items: readonly T[],
  timeOf: (item: T) => number | null,
  take: (death: Death, item: T) => void,
  leadMs: number,
  accepts: (death: Death, item: T) => boolean = () => true,
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
      return at !== null && at >= lo && at <= hi && accepts(death, item);
    });
    if (index >= 0) take(death, left.splice(index, 1)[0]!);
  });
  return left;
}

function daemonNamesApp(kill: DaemonKill, app: string): boolean {
  if (kill.process !== null) return sameProcessName(kill.process, app);
  return (
    kill.unit !== null &&
    (unitNamesApp(kill.unit, app) || kill.unit.split('/').some((part) => unitNamesApp(part, app)))
  );
}

function restartOf(death: Death, diedAt: number | null, ctx: DeathContext): number | null {
  // The guard started the next life itself and wrote down the millisecond; the banner has only the second.
  const restarted = guardIncidentOf(death)?.restartedAtMs;
  if (restarted != null) return restarted;
  const nextStart = death.app?.next?.start?.at ?? null;
  if (nextStart !== null) return nextStart;
  const g = death.guardian;
  if (g) {
    // Old start.sh restarts in the same run that finds the app gone, and says so when its stdout is in the log.
    if (g.restartLines.length > 0) return g.restartLines[0]!.at ?? g.upper;
    if (g.backAlive?.at != null) return g.backAlive.at;
  }
  // The service manager restarting it: the start that closed the death's records, else the scheduled restart, else the
  // unit's (or upstart job's) next start.
  const system = death.system;
  if (system?.restart?.at != null) return system.restart.at;
  const scheduled = system?.restartRecords.find((p) => p.observation.event.type === 'unit.restart-scheduled');
  if (scheduled?.at != null) return scheduled.at;
  return systemStartAfter(diedAt, ctx) ?? nextStartAfter(ctx.lives, diedAt);
}

/** The app's unit or upstart job starting at or after `at`. */
function systemStartAfter(at: number | null, ctx: DeathContext): number | null {
  if (at === null) return null;
  const started = ctx.systemPlaced.find(
    (p) => p.at !== null && p.at >= at && startsApp(p.observation.event, ctx),
  );
  return started?.at ?? null;
}

function startsApp(e: Event, ctx: DeathContext): boolean {
  if (e.type === 'unit.started' || e.type === 'unit.starting') return ctx.unit.names(e.unit);
  return e.type === 'upstart.respawning' && jobNamesApp(e.job, ctx.app);
}

const OOM_CAUSES: ReadonlySet<string> = new Set(['oom-killer', 'oom-daemon']);

/** oomsleuth guard's incidents.jsonl record of this death, when it was read. */
function guardIncidentOf(death: Death): GuardIncident | null {
  const e = death.guardian?.incident?.observation.event;
  return e?.type === 'guard.incident' ? e : null;
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
  verdict: Verdict,
  death: Death,
  ctx: DeathContext,
  coverage: KernelLogCoverage,
): MissingSource[] {
  return missingSources(verdict, {
    kernelLogCovers: coverage.covers,
    kernelLogUnplaced: coverage.unplaced,
    // Only a kill with a boot-relative stamp is placed by the boot time; one from a log with no times (RHEL 6 dmesg)
    // is not, and a kernel log that has them is what is missing.
    killByOrder: death.killByOrder && death.kill?.monotonic != null,
    guardianLog: ctx.sources.some((s) => s.kind === 'guardian'),
    // The app's output in a system log (a unit's stdout) is its log as much as running.log is.
    appLog: ctx.sources.some((s) => s.kind === 'app') || ctx.lives.length > 0,
  });
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

function otherKill(kill: OomKill): OtherKillFinding {
  return {
    process: kill.process,
    pid: kill.pid,
    atMs: kill.at,
    scope: kill.scope,
    anonRssKb: kill.anonRssKb,
  };
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

/** Lines of several sources, each line once: a line another source already holds (same words, same moment) is dropped. */
function oncePerLine(placed: readonly Placed[]): Placed[] {
  const bySource = new Map<ScannedSource, Placed[]>();
  for (const p of placed) {
    const lines = bySource.get(p.source);
    if (lines) lines.push(p);
    else bySource.set(p.source, [p]);
  }
  let kept: Placed[] = [];
  for (const lines of bySource.values()) kept = [...kept, ...withoutDuplicates(lines, kept)];
  return kept;
}

function sortByTime(placed: Placed[]): Placed[] {
  // Stable: untimed lines keep their place after the line they inherited a time from.
  return placed
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.at ?? Number.NEGATIVE_INFINITY) - (b.p.at ?? Number.NEGATIVE_INFINITY) || a.i - b.i)
    .map(({ p }) => p);
}
