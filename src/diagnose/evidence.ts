// What the diagnosis of one OOM death reads, and what it finds: plain typed data. The evidence is gathered from what
// the scan kept (analyze, watch) or what the guard saw itself; report/diagnosis-words.ts words the finding.
import type { DiagnosisKind, OomScope } from '../contract/analysis.js';
import type { WorkKind } from '../recognise/app-work.js';

/** What the app did in this long before its death counts (its work lines, recognise/app-work.ts). */
export const WORK_WINDOW_MS = 10 * 60_000;

/** A line the diagnosis cites: where it is. */
export interface Cited {
  readonly source: string;
  readonly line: number | null;
}

export interface TaskHolder {
  readonly process: string;
  readonly pid: number;
  readonly rssKb: number;
}

export interface MemorySamplePoint {
  readonly atMs: number;
  readonly usedKb: number;
}

export type Runtime = 'go' | 'java';

/** Everything known of one OOM death that bears on why memory ran out. Absent evidence is null, never guessed. */
export interface IncidentEvidence {
  readonly process: string;
  /** The app's runtime when its output or name tells it (Go: GOMEMLIMIT applies); null when unknown. */
  readonly runtime: Runtime | null;
  readonly diedAtMs: number | null;
  readonly scope: OomScope | null;
  /** The victim's RSS at the kill (anon + file + shmem of the kill line), kB. */
  readonly victimRssKb: number | null;
  /** The kill record. */
  readonly kill: Cited | null;
  /** The host's RAM and swap from the global report's Mem-Info block. */
  readonly host: {
    readonly ramKb: number | null;
    readonly swapTotalKb: number | null;
    readonly swapFreeKb: number | null;
    readonly cited: readonly Cited[];
  } | null;
  /** The memory cgroup whose limit was hit: `memory: usage …kB, limit …kB`, or the guard's own cgroup. */
  readonly memcg: {
    readonly usageKb: number;
    readonly limitKb: number;
    readonly cgroup: string | null;
    readonly cited: Cited;
  } | null;
  /** The report's task table, folded: how much every task held, and the biggest holders. */
  readonly tasks: {
    readonly tasks: number;
    readonly totalRssKb: number;
    readonly top: readonly TaskHolder[];
    readonly cited: Cited;
  } | null;
  /** The process whose allocation invoked the OOM killer. */
  readonly trigger: { readonly process: string; readonly cited: Cited } | null;
  /** The app's memory as the guard sampled it before the death, oldest first, with its cgroup limit. */
  readonly curve: {
    readonly samples: readonly MemorySamplePoint[];
    readonly limitKb: number | null;
    readonly cited: Cited;
  } | null;
  /** The app's work lines in the minutes before the death (recognise/app-work.ts), by kind. */
  readonly work: {
    readonly counts: readonly { readonly work: WorkKind; readonly lines: number }[];
    readonly windowMs: number;
    readonly cited: Cited | null;
  } | null;
}

/** The other deaths that tell a rhythm: every OOM death of the app known (this one included). */
export interface DiagnosisContext {
  readonly kills: readonly { readonly atMs: number; readonly rssKb: number | null }[];
  /** Minutes since local midnight of an instant, in the report's zone (same time of day = a scheduled job). */
  readonly minuteOfDay: (ms: number) => number;
}

export type { DiagnosisKind };

export type CurveShape = 'spike' | 'growth' | 'plateau' | 'flat';

/** One finding the diagnosis rests on, typed; report/ words it as the `says` of a `because` entry. */
export type DiagnosisFact =
  | { readonly kind: 'victim-rss'; readonly process: string; readonly rssKb: number }
  | {
      readonly kind: 'host-memory';
      readonly ramKb: number | null;
      readonly swapTotalKb: number | null;
      readonly swapFreeKb: number | null;
    }
  | {
      readonly kind: 'holders';
      readonly top: readonly TaskHolder[];
      readonly totalRssKb: number;
      readonly tasks: number;
    }
  | {
      readonly kind: 'memcg';
      readonly usageKb: number;
      readonly limitKb: number;
      readonly cgroup: string | null;
    }
  | { readonly kind: 'trigger'; readonly process: string }
  | {
      readonly kind: 'curve';
      readonly shape: CurveShape;
      readonly fromKb: number;
      readonly toKb: number;
      readonly overMs: number;
    }
  | { readonly kind: 'work'; readonly work: WorkKind; readonly lines: number; readonly windowMs: number }
  | {
      readonly kind: 'rhythm';
      readonly kills: number;
      readonly everyMs: number;
      readonly rssKb: number | null;
    }
  | { readonly kind: 'same-time'; readonly kills: number; readonly minuteOfDay: number }
  | { readonly kind: 'thin' };

export interface DiagnosisReason {
  readonly cited: Cited | null;
  readonly fact: DiagnosisFact;
}

/** Something to do, typed with the evidence's numbers; report/ words it. Sizes in MiB. */
export type Advice =
  | { readonly kind: 'gomemlimit'; readonly mib: number }
  | { readonly kind: 'java-xmx'; readonly mib: number }
  | { readonly kind: 'memory-limit'; readonly mib: number }
  | {
      readonly kind: 'raise-limit';
      readonly fromMib: number;
      readonly toMib: number;
      readonly cgroup: string | null;
    }
  | { readonly kind: 'add-swap'; readonly mib: number }
  | { readonly kind: 'bigger-instance'; readonly gib: number }
  | { readonly kind: 'throttle-work'; readonly work: WorkKind }
  | { readonly kind: 'move-job'; readonly minuteOfDay: number }
  | { readonly kind: 'find-leak'; readonly runtime: Runtime | null; readonly everyMs: number | null }
  | { readonly kind: 'cap-other'; readonly process: string; readonly rssMib: number }
  | { readonly kind: 'collect-curve' }
  | { readonly kind: 'collect-task-table' }
  | { readonly kind: 'collect-kernel-report' };

/** Why memory ran out for one death, and what to do: `because` most decisive first. */
export interface Diagnosis {
  readonly kind: DiagnosisKind;
  readonly process: string;
  readonly because: readonly DiagnosisReason[];
  readonly advice: readonly Advice[];
}

/** No swap to speak of: free swap under this fraction of the total (or no swap at all). The rule and its words share it. */
export const SWAP_EXHAUSTED = 0.1;
