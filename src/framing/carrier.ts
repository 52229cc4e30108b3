// A carrier is one way log lines reach us (syslog, dmesg, journal…): it recognises its own shape and takes the prefix apart.
import type { SourceKind } from '../contract/analysis.js';
import type { RawLine } from '../sources/raw-line.js';
import type { LogRecord } from './record.js';

/** Frames the lines of one input, in order. May keep state (continuation lines inherit the previous stamp). */
export interface Framer {
  /** Frame one line; null for lines that carry no log entry (journal `-- Boot … --` separators, blank lines). Never throws. */
  frame(line: RawLine): LogRecord | null;
  /** Lines dropped so far that should have been entries (journal JSON that does not parse); absent: none ever are. */
  dropped?(): DroppedLines | null;
  /** What the framer inferred or took off while framing, for the source's notes (grep prefixes, minute-only times). */
  notes?(): readonly string[];
}

/** What a framer dropped as damaged: how many lines, and the first one's number. */
export interface DroppedLines {
  readonly count: number;
  readonly firstLineNo: number;
}

export interface Carrier {
  /** Stable name reported in `sources[].format`, e.g. `syslog-rfc3164`. */
  readonly format: string;
  readonly kind: SourceKind;
  /** True when one line has this carrier's shape; used on a file's first lines to classify it. */
  sniff(text: string): boolean;
  createFramer(sourceId: number): Framer;
  /** What to do about lines its framer dropped as damaged (Framer.dropped), when the general advice does not fit. */
  readonly damagedLineFix?: string;
  /** Real lines in this carrier's shape; run as tests. */
  readonly samples: readonly string[];
}
