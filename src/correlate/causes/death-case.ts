// What the cause rules look at for one death: every record that bounds or explains it, already tied to this death
// and typed by the part it plays. `analyze`/`watch` build it from the logs (correlate.ts), `oomsleuth guard` from
// what it saw itself (guard/death-case.ts): one set of rules decides both.
import type { Cause, Confidence } from '../../contract/analysis.js';
import type { FindingEvidence, Verdict } from '../finding.js';

export interface DeathCase {
  /** The kernel's record of killing this process: every line of its report that names it, the kill line last. */
  readonly kernelKill: {
    readonly evidence: readonly FindingEvidence[];
    /** SysRq-f: someone asked the kernel to OOM-kill — a deliberate act, not memory exhaustion. */
    readonly manual: boolean;
    /** The kill could not be placed in time and was tied to this death by order alone. */
    readonly byOrder: boolean;
  } | null;
  /** systemd's `A process of this unit has been killed by the OOM killer.` */
  readonly unitOom: FindingEvidence | null;
  /** The child's memory cgroup counted an OOM kill during its life. */
  readonly memcgOomCount: { readonly evidence: FindingEvidence; readonly own: boolean } | null;
  /** A user-space OOM daemon's record of killing it. */
  readonly daemonKill: readonly FindingEvidence[] | null;
  /** How it ended as its parent saw it; null when no parent's record was read. */
  readonly exit: {
    /** False when the observer was not the parent: code and signal cannot be known. */
    readonly known: boolean;
    readonly code: number | null;
    readonly signal: string | null;
    readonly evidence: FindingEvidence;
  } | null;
  /** The guard itself asked it to stop. */
  readonly guardStop: FindingEvidence | null;
  /**
   * The verdict an observer that saw the death wrote down (oomsleuth guard's `died:` line or incidents.jsonl): it had
   * evidence the logs may not hold — the exit status, its memory cgroup's oom_kill counter, the kernel records it read
   * itself. Taken when the rules find less in the logs; a record of who killed it found in them still decides.
   */
  readonly recorded: {
    readonly cause: Cause;
    readonly confidence: Confidence;
    readonly evidence: FindingEvidence;
  } | null;
  /** What it printed while dying. */
  readonly words: {
    readonly runtimeOom: readonly FindingEvidence[];
    readonly panic: readonly FindingEvidence[];
    readonly shutdown: readonly FindingEvidence[];
    readonly portInUse: readonly FindingEvidence[];
  };
  /** The kernel's segfault / traps lines for it. */
  readonly crashRecords: readonly FindingEvidence[];
  /** Deliberate stops recorded by someone else: stop.sh, systemd `Stopping`/`Stopped`. */
  readonly stops: readonly FindingEvidence[];
  /** Counters that point at an OOM kill without naming the victim (the guard's samples and /proc/vmstat). */
  readonly memoryPressure: readonly FindingEvidence[];
  /**
   * False when no kernel log could be read for this death. A SIGKILL with memory pressure is then `likely` an OOM
   * kill; with a kernel log read and no record, the pressure proves nothing.
   */
  readonly kernelLogRead: boolean;
  /**
   * True when the logs where an OOM daemon's kill would show were read (the system log): a shutdown line is then a
   * deliberate stop; without them it may be earlyoom's SIGTERM, so only `likely`.
   */
  readonly daemonLogsRead: boolean;
}

/** A rule looks at one death and either claims it or passes. Rules run in the contract's order of precedence. */
export type CauseRule = (death: DeathCase) => Verdict | null;
