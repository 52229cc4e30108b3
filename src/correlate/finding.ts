// What the verdict engine finds, as typed data: times in ms, evidence tagged by the role it plays in the death, the
// cause with the reason the deciding rule gave. Only report/ and alert/ turn findings into ISO strings and words;
// watch, store, guard and alerts read these fields, never prose.
import type { Cause, Confidence, MissingSource, OomFigures, OomScope } from '../contract/analysis.js';
import type { Event } from '../recognise/event.js';

/** What a cited line is to the death it is cited for. */
export type EvidenceRole =
  /** Who killed it: the kernel's kill line or summary, systemd's unit OOM note, an OOM daemon's kill, the memcg counter. */
  | 'kill-record'
  /** The rest of the kernel's OOM report: the trigger, the intended victim, the memcg usage, the reaper. */
  | 'oom-report'
  /** What the process printed while dying: a panic, the runtime's OOM abort, its shutdown line, "port in use". */
  | 'dying-words'
  /** The kernel's segfault / traps line. */
  | 'crash-record'
  /** How it ended as its parent saw it (the guard, systemd's `Main process exited`). */
  | 'exit-status'
  /** A deliberate stop: stop.sh, systemd `Stopping`/`Stopped`, the guard's own SIGTERM. */
  | 'stop-record'
  /** The verdict an observer of the death wrote down: oomsleuth guard's `died:` line or incidents.jsonl record. */
  | 'recorded-verdict'
  /** Memory counters that point at an OOM kill without naming the victim (host oom_kill, cgroup at its limit). */
  | 'memory-pressure'
  | 'guardian-last-alive'
  | 'guardian-first-dead'
  /** The guardian's `NOT running` / restart lines after the death. */
  | 'guardian-restart'
  /** The app's last line (and last timed line) before the cliff. */
  | 'app-last-line'
  /** The next life's startup: it dates the restart and belongs to the next life as much as to this death. */
  | 'next-start';

/** Something `oomsleuth guard` saw itself rather than read in a log: the same vocabulary as an `Event`. */
export type GuardFact =
  | {
      /** How the child ended as its parent saw it; `known` false when the guard was not its parent. */
      readonly type: 'guard.exit';
      readonly name: string;
      readonly pid: number;
      readonly known: boolean;
      readonly code: number | null;
      readonly signal: string | null;
      readonly uptimeMs: number | null;
    }
  | {
      /** The guard asked the child to stop (SIGTERM, then SIGKILL after the grace period). */
      readonly type: 'guard.stop';
      readonly why: string;
      readonly killedAfterMs: number | null;
    }
  | {
      /** The oom_kill counter of the child's memory cgroup rose during its life. */
      readonly type: 'memcg.oom-count';
      readonly cgroup: string;
      readonly before: number;
      readonly after: number;
      /** Only the child (and its children) live in the cgroup: the rise is the child's kill. */
      readonly own: boolean;
    }
  | {
      /** The machine's oom_kill count (/proc/vmstat) rose during the life: some process was OOM-killed. */
      readonly type: 'host.oom-count';
      readonly before: number;
      readonly after: number;
    }
  | {
      /** The last memory sample had the cgroup at 90% of its limit or more. */
      readonly type: 'memcg.near-limit';
      readonly usageKb: number;
      readonly limitKb: number;
    };

export interface FindingEvidence {
  readonly role: EvidenceRole;
  /** What the line says, typed: the recognised event, or what the guard saw itself. */
  readonly fact: Event | GuardFact;
  /** The scanned source the line came from; null for the guard's own observations. */
  readonly sourceId: number | null;
  /** The source as a person names it: its display path, `/dev/kmsg`, `oomsleuth guard`, a counter file. */
  readonly source: string;
  readonly line: number | null;
  readonly atMs: number | null;
  /** The line as it was read (or the guard's observation as one line). */
  readonly text: string;
}

/** Why the deciding rule decided as it did: report/ words it, tests and consumers compare it. */
export type Reason =
  | { readonly kind: 'kernel-kill'; readonly byOrder: boolean }
  | { readonly kind: 'manual-kill' }
  | { readonly kind: 'unit-oom' }
  | { readonly kind: 'memcg-oom-count'; readonly own: boolean }
  | { readonly kind: 'daemon-kill' }
  | { readonly kind: 'guard-stop' }
  /** The guard's own verdict, taken because the logs read say less than it saw (its memcg counter, its exit status). */
  | { readonly kind: 'recorded-verdict' }
  | { readonly kind: 'runtime-oom' }
  | { readonly kind: 'panic' }
  | { readonly kind: 'crash-record' }
  | { readonly kind: 'fault-signal'; readonly signal: string }
  | { readonly kind: 'shutdown-words' }
  | { readonly kind: 'stop-record' }
  | { readonly kind: 'stop-signal'; readonly signal: string }
  | { readonly kind: 'sigkill-memory-pressure' }
  | { readonly kind: 'sigkill-unexplained' }
  | { readonly kind: 'port-in-use' }
  | { readonly kind: 'other-signal'; readonly signal: string }
  | { readonly kind: 'exit-code'; readonly code: number | null }
  | { readonly kind: 'exit-zero' }
  | { readonly kind: 'no-record' };

export interface Verdict {
  readonly cause: Cause;
  readonly confidence: Confidence;
  readonly reason: Reason;
  /** The evidence that decides the verdict, most decisive first. */
  readonly because: readonly FindingEvidence[];
}

/** One death of the app (or, with no app in focus, one OOM-killed process). */
export interface DeathFinding {
  readonly process: string;
  readonly pid: number | null;
  /** Best estimate; null when nothing dates it. */
  readonly diedAtMs: number | null;
  /** From the last sign of life to the first sign of death; null when only a record dates it. */
  readonly diedWithinMs: readonly [number | null, number | null] | null;
  readonly restartedAtMs: number | null;
  readonly verdict: Verdict;
  readonly oom: OomFigures | null;
  readonly missing: readonly MissingSource[];
  /** Every cited line, each once: the deciding ones first. */
  readonly evidence: readonly FindingEvidence[];
}

/** An OOM kill of a process that is not the app. */
export interface OtherKillFinding {
  readonly process: string;
  readonly pid: number | null;
  readonly atMs: number | null;
  readonly scope: OomScope | null;
  readonly anonRssKb: number | null;
}

export interface Findings {
  /** The app in focus (from `--app` or the guardian log); null with no focus. */
  readonly app: string | null;
  readonly deaths: readonly DeathFinding[];
  readonly otherKills: readonly OtherKillFinding[];
}

/** The kill record among the evidence that carries the figures (the kernel's `Killed process` line), if any. */
export function killLine(evidence: readonly FindingEvidence[]): FindingEvidence | undefined {
  return evidence.find(
    (e) => e.role === 'kill-record' && (e.fact.type === 'oom.killed' || e.fact.type === 'unit.oom'),
  );
}

/** Index in `evidence` of the line that decides the cause: the kernel's kill line for an OOM kill, else the first
 * deciding line; null when nothing decided it. */
export function decisiveIndex(death: DeathFinding): number | null {
  const line = killLine(death.evidence) ?? death.verdict.because[0];
  const index = line === undefined ? -1 : death.evidence.indexOf(line);
  return index < 0 ? null : index;
}
