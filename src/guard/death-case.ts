// Why the child died, from what the guard saw: its exit status, the kernel's OOM records for its pid, its memory
// cgroup's oom_kill counter, the machine's counters and its last words in the app log. The facts become a case for
// the shared cause rules (correlate/causes), so the guard and `analyze` decide a death by one precedence.
import { type MissingSource, NO_OOM_FIGURES, type OomFigures } from '../contract/analysis.js';
import type { DeathCase } from '../correlate/causes/index.js';
import { decideCause } from '../correlate/causes/index.js';
import { citeOnce } from '../correlate/evidence.js';
import type { FindingEvidence, Verdict } from '../correlate/finding.js';
import { missingSources } from '../correlate/missing.js';
import type { Event } from '../recognise/event.js';
import { formatDuration, formatUptime } from '../report/sizes.js';
import { explainVerdict } from '../report/words.js';
import type { AppLastWords } from './app-log-tail.js';
import type { KernelRecordOfDeath } from './kernel-log.js';
import { kernelKillFigures } from './kernel-oom-record.js';

/** How the child ended as its parent saw it; null fields when it ended otherwise (a code, or a signal). */
export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface DeathFacts {
  readonly name: string;
  readonly pid: number;
  readonly diedAtMs: number;
  readonly uptimeMs: number | null;
  /** null when the guard is not the parent (an adopted or outside process): no exit status can be known. */
  readonly exit: ChildExit | null;
  /** Set when the guard itself asked the child to stop. */
  readonly stop: { readonly why: string; readonly killedAfterMs: number | null } | null;
  readonly kernel: KernelRecordOfDeath;
  /** The child's memory cgroup and its oom_kill counter at the start and the end of the life. */
  readonly memcg: {
    readonly path: string;
    /** The file the counter is read from (evidence source). */
    readonly counterFile: string;
    /** True when only the child (and its own children) live in it: a rise is this child's kill. */
    readonly own: boolean;
    readonly before: number | null;
    readonly after: number | null;
    readonly limitKb: number | null;
  } | null;
  /** /proc/vmstat oom_kill at the start and the end of the life: any OOM kill on the machine. */
  readonly vmstat: { readonly before: number | null; readonly after: number | null };
  /** The last sample's cgroup charge, when it was at 90% of the limit or more. */
  readonly nearLimit: { readonly usageKb: number; readonly limitKb: number } | null;
  readonly words: AppLastWords;
  readonly appLogPath: string;
}

/** The guard's judgement of one death: the shared verdict, its evidence, and the words of its check.log line. */
export interface GuardJudgement {
  readonly verdict: Verdict;
  readonly oom: OomFigures | null;
  readonly missing: MissingSource[];
  /** Every cited observation, the exit status first. */
  readonly evidence: FindingEvidence[];
  /** The rest of the death line after `cause (confidence): `. */
  readonly detail: string;
}

const GUARD_SOURCE = 'oomsleuth guard';

/** `signal SIGKILL`, `exit code 2`, `exit status unknown`. */
export function describeExit(exit: ChildExit | null): string {
  if (exit === null) return 'exit status unknown';
  if (exit.signal !== null) return `signal ${exit.signal}`;
  return `exit code ${exit.code ?? '?'}`;
}

/** The cause of one death with its evidence (pure: every fact is in `facts`). */
export function judgeDeath(facts: DeathFacts): GuardJudgement {
  const { exit, kernel, memcg, words, pid } = facts;
  const observed = (
    fact: FindingEvidence['fact'],
    role: FindingEvidence['role'],
    text: string,
    source = GUARD_SOURCE,
  ) =>
    ({
      role,
      fact,
      sourceId: null,
      source,
      line: null,
      atMs: facts.diedAtMs,
      text,
    }) satisfies FindingEvidence;
  const uptime = facts.uptimeMs === null ? '' : ` after ${formatUptime(facts.uptimeMs)}`;
  const exitEvidence = observed(
    {
      type: 'guard.exit',
      name: facts.name,
      pid,
      known: exit !== null,
      code: exit?.code ?? null,
      signal: exit?.signal ?? null,
      uptimeMs: facts.uptimeMs,
    },
    'exit-status',
    `${facts.name} pid ${pid}: ${describeExit(exit)}${uptime}`,
  );
  const kill = kernel.kill;
  const kernelEvidence: FindingEvidence[] = kill
    ? [kill.invoked, kill.constraint, kill.killed]
        .filter((e) => e !== null)
        .map((e) => ({
          role: e.event.type === 'oom.invoked' ? 'oom-report' : 'kill-record',
          fact: e.event,
          sourceId: null,
          source: kernel.via ?? 'kernel',
          line: null,
          atMs: e.atMs,
          text: e.event.record.message,
        }))
    : [];
  const counterRose = memcg?.before != null && memcg.after != null && memcg.after > memcg.before;
  const counterEvidence =
    memcg && counterRose
      ? observed(
          {
            type: 'memcg.oom-count',
            cgroup: memcg.path,
            before: memcg.before!,
            after: memcg.after!,
            own: memcg.own,
          },
          'kill-record',
          `oom_kill ${memcg.after}`,
          memcg.counterFile,
        )
      : null;
  const { before: vmBefore, after: vmAfter } = facts.vmstat;
  const pressure: FindingEvidence[] = [];
  if (vmBefore !== null && vmAfter !== null && vmAfter > vmBefore) {
    pressure.push(
      observed(
        { type: 'host.oom-count', before: vmBefore, after: vmAfter },
        'memory-pressure',
        `oom_kill ${vmAfter}`,
        '/proc/vmstat',
      ),
    );
  }
  if (facts.nearLimit) {
    const { usageKb, limitKb } = facts.nearLimit;
    pressure.push(
      observed(
        { type: 'memcg.near-limit', usageKb, limitKb },
        'memory-pressure',
        `memory usage ${usageKb} kB of ${limitKb} kB`,
      ),
    );
  }
  const stop = facts.stop;
  const lastWords = (event: Event | null): FindingEvidence[] =>
    event === null
      ? []
      : [
          {
            role: 'dying-words',
            fact: event,
            sourceId: null,
            source: facts.appLogPath,
            line: null,
            atMs: null,
            text: event.record.text,
          },
        ];
  const deathCase: DeathCase = {
    kernelKill: kill ? { evidence: kernelEvidence, manual: false, byOrder: false } : null,
    unitOom: null,
    memcgOomCount: counterEvidence ? { evidence: counterEvidence, own: memcg!.own } : null,
    daemonKill: null,
    exit: {
      known: exit !== null,
      code: exit?.code ?? null,
      signal: exit?.signal ?? null,
      evidence: exitEvidence,
    },
    guardStop: stop
      ? observed(
          { type: 'guard.stop', why: stop.why, killedAfterMs: stop.killedAfterMs },
          'stop-record',
          stop.killedAfterMs === null
            ? `SIGTERM from the guard (${stop.why})`
            : `SIGTERM from the guard (${stop.why}), SIGKILL after ${formatDuration(stop.killedAfterMs)} without exiting`,
        )
      : null,
    // The guard is the observer: no one else's verdict to weigh.
    recorded: null,
    words: {
      runtimeOom: lastWords(words.runtimeOom),
      panic: lastWords(words.panic),
      shutdown: lastWords(words.shutdown),
      portInUse: lastWords(words.portInUse),
    },
    crashRecords: [],
    stops: [],
    memoryPressure: pressure,
    kernelLogRead: kernel.via !== null,
    // The guard reads the kernel's own records, not the system log where earlyoom or systemd-oomd would show.
    daemonLogsRead: false,
  };
  const verdict = decideCause(deathCase);
  const oom =
    kill !== null
      ? kernelKillFigures(kill)
      : verdict.reason.kind === 'memcg-oom-count'
        ? { ...NO_OOM_FIGURES, scope: 'memcg' as const, cgroup: memcg?.own ? memcg.path : null }
        : null;
  return {
    verdict,
    oom,
    // The guard reads no system log: a death it cannot confirm always lacks one.
    missing: missingSources(verdict, {
      kernelLogCovers: false,
      kernelLogUnplaced: false,
      killByOrder: false,
      guardianLog: true,
      appLog: true,
    }),
    evidence: citeOnce([
      exitEvidence,
      ...verdict.because,
      ...kernelEvidence,
      ...(counterEvidence ? [counterEvidence] : []),
    ]),
    detail: explainVerdict(verdict, {
      pid,
      kernelLog: { via: kernel.via, problem: kernel.problem },
      oom,
      memoryLimitKb: memcg?.limitKb ?? null,
    }),
  };
}
