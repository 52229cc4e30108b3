// What every followed source hands to the live pipeline: batches of lines, each with the position of its start, as
// they appear; and what happened to the source (opened, rotated, truncated, gone), for the log and the metrics.
import type { ErrorCode } from '../../errors.js';
import type { RawLine } from '../raw-line.js';
import type { FollowPosition } from './position.js';

export interface FollowBatch {
  /** `lineNo` counts every line this follower has handed over (unique for its life, across rotations). */
  readonly lines: readonly RawLine[];
  /** Where each line starts, in the source's own terms (same order as `lines`). */
  readonly positions: readonly FollowPosition[];
  /** Where reading has got to: the start of the next line. */
  readonly next: FollowPosition | null;
}

/** Something the operator should know about a source; `code` null for good news (opened, recovered). */
export interface FollowNote {
  readonly code: ErrorCode | null;
  readonly message: string;
}

export interface FollowSink {
  batch(batch: FollowBatch): void;
  note(note: FollowNote): void;
  /** The source can be read now (true) or not (false): `oomsleuth_source_up`. */
  up(isUp: boolean): void;
}

export interface Follower {
  /** Stable key of the source in the store: `file:/abs/path`, `kmsg`, `journal`. */
  readonly key: string;
  /** Name shown in evidence and logs. */
  readonly displayPath: string;
  /**
   * Starts following from `resume` (a position it handed over before: where to read again from), or from its own
   * starting point when null. `readUpTo` is how far the last run had read (lines after it are new to the store).
   */
  start(resume: FollowPosition | null, sink: FollowSink, readUpTo?: FollowPosition | null): Promise<void>;
  stop(): Promise<void>;
}
