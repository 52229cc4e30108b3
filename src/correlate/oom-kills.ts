// Groups the kernel's OOM report lines into kills (one report may kill several processes, any single line must
// be enough), folds the same kill seen through several carriers into one, and collects user-space OOM daemon kills.

import type { Clock } from '../clock/clock.js';
import type { OomFigures } from '../contract/analysis.js';
import type {
  EventType,
  MemcgTaskIn,
  OomConstraint,
  OomInvoked,
  OomKilled,
  OomKillIntent,
} from '../recognise/event.js';
import type { Observation, ScannedSource } from '../scan/observation.js';
import { sameProcessName, unitBaseName } from './names.js';

/** A kernel OOM kill, possibly seen in several carriers (each may fill figures the others lacked). */
export interface OomKill extends OomFigures {
  readonly pid: number | null;
  readonly process: string;
  at: number | null;
  readonly monotonic: number | null;
  taskMemcg: string | null;
  /** Triggered by SysRq-f: a deliberate kill, not memory exhaustion. */
  manual: boolean;
  readonly evidence: Observation[];
}

/** A user-space OOM daemon's kill (systemd-oomd, earlyoom, facebook oomd), or systemd's word that one happened. */
export interface DaemonKill {
  readonly daemon: 'systemd-oomd' | 'earlyoom' | 'oomd';
  readonly process: string | null;
  readonly pid: number | null;
  /** The unit or cgroup killed, when the daemon named one. */
  readonly unit: string | null;
  at: number | null;
  readonly evidence: Observation[];
}

/** systemd's `A process of this unit has been killed by the OOM killer.` — the kernel's kill seen from the unit. */
export interface UnitOomNote {
  readonly unit: string;
  readonly at: number | null;
  readonly observation: Observation;
}

export interface OomFindings {
  readonly kills: OomKill[];
  readonly daemonKills: DaemonKill[];
  readonly unitOoms: UnitOomNote[];
}

/** Header lines older than this are not joined to a later kill line (the block is printed within milliseconds). */
const REPORT_SPAN_MS = 30_000;
/** The same kill in two carriers: receive times agree within this. */
const SAME_KILL_MS = 5_000;
/** earlyoom's SIGTERM and its later SIGKILL of the same pid are one kill. */
const EARLYOOM_ESCALATION_MS = 60_000;

interface OpenReport {
  startedAt: number | null;
  invoked: Observation | null;
  manual: Observation | null;
  usage: Observation | null;
  taskIn: Observation | null;
  constraints: Observation[];
  intents: Observation[];
  kills: OomKill[];
}

export function findOomKills(sources: readonly ScannedSource[], clock: Clock): OomFindings {
  const perSource: OomKill[][] = [];
  const daemonKills: DaemonKill[] = [];
  const unitOoms: UnitOomNote[] = [];
  for (const source of sources) {
    perSource.push(assembleSourceKills(source, clock));
    collectDaemonKills(source, clock, daemonKills, unitOoms);
  }
  return { kills: mergeAcrossCarriers(perSource), daemonKills: mergeEarlyoom(daemonKills), unitOoms };
}

function newReport(at: number | null): OpenReport {
  return {
    startedAt: at,
    invoked: null,
    manual: null,
    usage: null,
    taskIn: null,
    constraints: [],
    intents: [],
    kills: [],
  };
}

/** The lines of one OOM report, and the reaper's line after it. */
const REPORT_TYPES: ReadonlySet<EventType> = new Set<EventType>([
  'oom.manual',
  'oom.invoked',
  'memcg.usage',
  'memcg.task-in',
  'oom.constraint',
  'oom.kill-intent',
  'oom.killed',
  'oom.reaped',
]);

/** What a headed OOM event said of the memory cgroup of the task it chose or killed. */
interface TaskCgroup {
  readonly process: string;
  readonly scope: OomKill['scope'];
  readonly cgroup: string | null;
  readonly taskMemcg: string | null;
}

function assembleSourceKills(source: ScannedSource, clock: Clock): OomKill[] {
  const kills: OomKill[] = [];
  let report: OpenReport | null = null;
  // A task's cgroup does not change while it lives: an event whose header was rate-limited away takes it from an
  // earlier event of this file that chose or killed the same task (RHEL 7 chooses the same thread again).
  const cgroupOfTask = new Map<number, TaskCgroup>();
  /**
   * The open report, or a new one when there is none, the open one is stale, or `opensEvent` and the open one has
   * already killed: every kernel prints the trigger, the memcg block, the summary and (before 5.1) the chosen task
   * before its kill, so one of those after a kill starts the next event — one whose header the kernel's rate limit
   * left out (log-formats §1.1). It must not borrow the previous event's scope or cgroup.
   */
  const current = (at: number | null, opensEvent = false): OpenReport => {
    const stale =
      report && report.startedAt !== null && at !== null && at - report.startedAt > REPORT_SPAN_MS;
    if (!report || stale || (opensEvent && report.kills.length > 0)) {
      if (report) closeReport(report, kills);
      report = newReport(at);
    }
    return report;
  };
  for (const o of source.observations) {
    // Placing a line in time costs a zone conversion: only the report's own lines need it.
    if (!REPORT_TYPES.has(o.event.type)) continue;
    const at = clock.observationTime(o);
    switch (o.event.type) {
      case 'oom.manual':
      case 'oom.invoked': {
        // SysRq-f prints `sysrq: Manual OOM execution`, then the kworker's `invoked oom-killer` header of the same
        // report: the header joins the open manual report instead of opening one that forgets it was manual.
        const joinsManual =
          o.event.type === 'oom.invoked' &&
          report?.manual != null &&
          report.invoked === null &&
          report.kills.length === 0;
        if (!joinsManual) {
          if (report) closeReport(report, kills);
          report = newReport(at);
        }
        if (o.event.type === 'oom.manual') report!.manual = o;
        else report!.invoked = o;
        break;
      }
      case 'memcg.usage':
        current(at, true).usage = o;
        break;
      case 'memcg.task-in':
        current(at, true).taskIn = o;
        break;
      case 'oom.constraint':
        current(at, true).constraints.push(o);
        break;
      case 'oom.kill-intent':
        current(at, true).intents.push(o);
        break;
      case 'oom.killed': {
        const r = current(at);
        // memory.oom.group: the kernel prints the victim's kill line again while killing the group.
        const again = r.kills.find((k) => k.pid === (o.event as OomKilled).pid);
        if (again) {
          again.evidence.push(o);
          break;
        }
        const kill = withKnownCgroup(killFromReport(r, o, at), r, cgroupOfTask);
        r.kills.push(kill);
        kills.push(kill);
        break;
      }
      case 'oom.reaped': {
        const { pid } = o.event;
        const kill = findLast(kills, (k) => k.pid === pid);
        if (kill) kill.evidence.push(o);
        break;
      }
      default:
        break;
    }
  }
  if (report) closeReport(report, kills);
  return kills;
}

/** The 5.0-rc kernels printed the `oom-kill:` summary as two records; fold them into one set of fields. */
function foldConstraints(observations: readonly Observation[]): OomConstraint | null {
  const parts = observations.map((o) => o.event as OomConstraint);
  const first = parts[0];
  if (!first) return null;
  const folded = { ...first };
  for (const c of parts.slice(1))
    fillNulls(folded, c, ['scope', 'oomMemcg', 'taskMemcg', 'process', 'pid', 'uid']);
  return folded;
}

function killFromReport(report: OpenReport, killedObservation: Observation, at: number | null): OomKill {
  const killed = killedObservation.event as OomKilled;
  const own = (o: Observation) => constraintPid(o) === killed.pid || constraintPid(o) === null;
  // Scope, the memcg whose limit was hit and the trigger belong to the OOM event, not to one pid: before 5.1 the
  // kernel names the task it chose (a thread id on RHEL 7, or a parent) and may kill another thread's leader or a
  // child instead, and the summary and `Task in … killed as a result of limit of …` name the chosen one.
  const event = foldConstraints(report.constraints);
  const constraint = foldConstraints(report.constraints.filter(own));
  const taskIn = report.taskIn?.event as MemcgTaskIn | undefined;
  const invoked = report.invoked?.event as OomInvoked | undefined;
  const intents = report.intents.map((o) => o.event as OomKillIntent);
  const intent = intents.find((i) => i.pid === killed.pid) ?? intents[0];
  // The summary's constraint first: a cpuset or mempolicy OOM's kill line says only `Out of memory`.
  const scope =
    event?.scope ??
    killed.scope ??
    intent?.scope ??
    (taskIn !== undefined || report.usage !== null ? 'memcg' : null);
  const evidence: Observation[] = [];
  // Header lines belong to the first kill of the report only; later kills of an oom.group share none of them.
  if (report.kills.length === 0) {
    for (const o of [report.manual, report.invoked, report.taskIn, report.usage]) if (o) evidence.push(o);
    // The chosen task's line, also when the kernel killed a thread's leader or a child of it instead.
    evidence.push(...report.intents);
  }
  for (const o of report.constraints) if (own(o)) evidence.push(o);
  evidence.push(killedObservation);
  return {
    pid: killed.pid,
    process: killed.process,
    at,
    monotonic: killedObservation.event.record.monotonic ?? monotonicOf(killedObservation),
    scope,
    cgroup: scope === 'memcg' ? (event?.oomMemcg ?? taskIn?.limitMemcg ?? null) : null,
    // A sacrificed child or thread lives in the chosen task's cgroup (a child is born in its parent's).
    taskMemcg: constraint?.taskMemcg ?? event?.taskMemcg ?? taskIn?.taskMemcg ?? null,
    invokedBy: invoked?.trigger ?? null,
    totalVmKb: killed.totalVmKb,
    anonRssKb: killed.anonRssKb,
    fileRssKb: killed.fileRssKb,
    shmemRssKb: killed.shmemRssKb,
    // Older kill lines lack oom_score_adj; the trigger line has it, and is the victim's when the victim triggered.
    oomScoreAdj:
      killed.oomScoreAdj ?? (invoked && invoked.trigger === killed.process ? invoked.oomScoreAdj : null),
    // order=-1 is the kernel's mark of a SysRq-f invocation, also when the `sysrq:` line itself was not kept.
    manual: report.manual !== null || invoked?.order === -1,
    evidence,
  };
}

/**
 * A kill from an event with a header (trigger, memcg block or summary) teaches the cgroup of the tasks it names; a
 * kill from a headerless one takes what an earlier event taught about its chosen task or its victim.
 */
function withKnownCgroup(kill: OomKill, report: OpenReport, known: Map<number, TaskCgroup>): OomKill {
  const named: { readonly pid: number; readonly process: string }[] = report.intents.map(
    (o) => o.event as OomKillIntent,
  );
  if (kill.pid !== null) named.push({ pid: kill.pid, process: kill.process });
  const headed = report.invoked !== null || report.taskIn !== null || report.constraints.length > 0;
  if (headed) {
    if (kill.scope === 'memcg' && (kill.cgroup !== null || kill.taskMemcg !== null)) {
      for (const task of named)
        known.set(task.pid, {
          process: task.process,
          scope: kill.scope,
          cgroup: kill.cgroup,
          taskMemcg: kill.taskMemcg,
        });
    }
    return kill;
  }
  const learned = named
    .map((task) => {
      const k = known.get(task.pid);
      return k && sameProcessName(k.process, task.process) ? k : undefined;
    })
    .find((k) => k !== undefined);
  if (!learned || (kill.scope !== null && kill.scope !== learned.scope)) return kill;
  return { ...kill, scope: learned.scope, cgroup: learned.cgroup, taskMemcg: learned.taskMemcg };
}

/** Kills the report announced (summary line) but whose `Killed process` line never came (lost, cut, rotated). */
function closeReport(report: OpenReport, kills: OomKill[]): void {
  const constraint = foldConstraints(report.constraints);
  if (!constraint || constraint.pid === null || constraint.process === null) return;
  if (report.kills.some((k) => k.pid === constraint.pid)) return;
  // 4.19–5.0: the summary names the task the kernel chose, `Kill process … or sacrifice child` says so again, and the
  // `Killed process` line names the child (or thread leader) it killed instead: the chosen one lived.
  if (report.intents.length > 0 && report.kills.length > 0) return;
  const invoked = report.invoked?.event as OomInvoked | undefined;
  const last = report.constraints[report.constraints.length - 1]!;
  kills.push({
    pid: constraint.pid,
    process: constraint.process,
    at: report.startedAt,
    monotonic: monotonicOf(last),
    scope: constraint.scope,
    cgroup: constraint.scope === 'memcg' ? constraint.oomMemcg : null,
    taskMemcg: constraint.taskMemcg,
    invokedBy: invoked?.trigger ?? null,
    totalVmKb: null,
    anonRssKb: null,
    fileRssKb: null,
    shmemRssKb: null,
    oomScoreAdj: null,
    manual: report.manual !== null,
    evidence: [report.manual, report.invoked, report.usage, ...report.constraints].filter(
      (o): o is Observation => o !== null,
    ),
  });
}

function constraintPid(o: Observation): number | null {
  return (o.event as OomConstraint).pid;
}

function monotonicOf(o: Observation): number | null {
  const { record } = o.event;
  return record.monotonic ?? (record.stamp.kind === 'monotonic' ? record.stamp.seconds : null);
}

function isSameKill(a: OomKill, b: OomKill): boolean {
  if (a.pid !== b.pid || !sameProcessName(a.process, b.process)) return false;
  if (a.monotonic !== null && b.monotonic !== null) return Math.abs(a.monotonic - b.monotonic) < 0.001;
  if (a.at !== null && b.at !== null) return Math.abs(a.at - b.at) <= SAME_KILL_MS;
  // One side cannot be placed in time: the same pid and name in another carrier is the same record, unless the pid
  // was reused — which two carriers of one boot would both show twice.
  return true;
}

function mergeAcrossCarriers(perSource: readonly OomKill[][]): OomKill[] {
  const merged: OomKill[] = [];
  for (const kills of perSource) {
    const taken = new Set<OomKill>();
    for (const kill of kills) {
      const twin = merged.find((m) => !taken.has(m) && isSameKill(m, kill));
      if (!twin) {
        merged.push(kill);
        taken.add(kill);
        continue;
      }
      taken.add(twin);
      fillNulls(twin, kill, [
        'at',
        'scope',
        'cgroup',
        'taskMemcg',
        'invokedBy',
        'totalVmKb',
        'anonRssKb',
        'fileRssKb',
        'shmemRssKb',
        'oomScoreAdj',
      ]);
      twin.manual ||= kill.manual;
      twin.evidence.push(...kill.evidence);
    }
  }
  return merged.sort(byTime);
}

/** Fills each of `target`'s null `keys` from `from`: two records of one event complete each other. */
function fillNulls<T>(target: { -readonly [K in keyof T]: T[K] }, from: T, keys: readonly (keyof T)[]): void {
  for (const key of keys) target[key] ??= from[key];
}

/** A daemon's kill of a unit or cgroup (the process and pid, when it names them, are the caller's to add). */
function daemonKill(
  daemon: DaemonKill['daemon'],
  o: Observation,
  unit: string | null,
  clock: Clock,
): DaemonKill {
  return { daemon, process: null, pid: null, unit, at: clock.observationTime(o), evidence: [o] };
}

function collectDaemonKills(
  source: ScannedSource,
  clock: Clock,
  out: DaemonKill[],
  unitOoms: UnitOomNote[],
): void {
  for (const o of source.observations) {
    const e = o.event;
    switch (e.type) {
      case 'oomd.killed':
      case 'fboomd.killed':
        out.push(daemonKill(e.type === 'oomd.killed' ? 'systemd-oomd' : 'oomd', o, e.cgroup, clock));
        break;
      case 'unit.oomd':
        out.push(daemonKill('systemd-oomd', o, e.unit, clock));
        break;
      case 'earlyoom.killed':
        out.push({ ...daemonKill('earlyoom', o, null, clock), process: e.process, pid: e.pid });
        break;
      case 'unit.oom':
        unitOoms.push({ unit: e.unit, at: clock.observationTime(o), observation: o });
        break;
      default:
        break;
    }
  }
}

/** earlyoom SIGTERMs first and SIGKILLs the same pid seconds later; systemd then says the unit was oomd-killed. */
function mergeEarlyoom(kills: DaemonKill[]): DaemonKill[] {
  const merged: DaemonKill[] = [];
  for (const kill of kills.sort(byTime)) {
    const twin = merged.find(
      (m) =>
        m.daemon === kill.daemon &&
        ((m.pid !== null && m.pid === kill.pid && m.process === kill.process) ||
          (m.unit !== null && kill.unit !== null && unitBaseName(m.unit) === unitBaseName(kill.unit))) &&
        m.at !== null &&
        kill.at !== null &&
        Math.abs(kill.at - m.at) <= EARLYOOM_ESCALATION_MS,
    );
    if (twin) twin.evidence.push(...kill.evidence);
    else merged.push(kill);
  }
  return merged;
}

function byTime(a: { at: number | null }, b: { at: number | null }): number {
  return (a.at ?? Number.POSITIVE_INFINITY) - (b.at ?? Number.POSITIVE_INFINITY);
}

function findLast<T>(list: readonly T[], predicate: (item: T) => boolean): T | undefined {
  for (let i = list.length - 1; i >= 0; i--) if (predicate(list[i]!)) return list[i];
  return undefined;
}
