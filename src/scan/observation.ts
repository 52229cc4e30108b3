// What scanning one source leaves behind: the events worth keeping, with what the clock needs to place them.

import type { SourceKind } from '../contract/analysis.js';
import type { StampAsFound } from '../framing/stamp.js';
import type { WorkKind } from '../recognise/app-work.js';
import type { Event } from '../recognise/event.js';

export interface Observation {
  readonly event: Event;
  /** Dec→Jan rollovers seen in this source before this record (yearless stamps only). */
  readonly yearOffset: number;
  /** Boot the record's monotonic stamp counts from: journald's `_BOOT_ID`, else `<sourceId>#<segment>`. */
  readonly bootKey: string | null;
}

/** A stamp as found plus what is needed to resolve it later. */
export interface PlacedStamp {
  readonly stamp: StampAsFound;
  readonly monotonic: number | null;
  readonly yearOffset: number;
  readonly bootKey: string | null;
}

/** A record that carried both a wall-clock stamp and the kernel's monotonic one: it tells the boot time. */
export interface BootPair {
  readonly bootKey: string;
  readonly wall: PlacedStamp;
  readonly monotonic: number;
  /**
   * `receive`: the carrier's stamp, put on the line when it was received, never before the kernel wrote it — the
   * smallest wall − monotonic is the boot. `audit`: an audit record's own `audit(…)` stamp, made just before the kernel
   * printed it — the largest is.
   */
  readonly from: 'receive' | 'audit';
}

/**
 * Kernel lines with a seconds-since-boot stamp, sampled by the stamp alone (its µs a multiple of `modulus`) so that two
 * files of one boot — a dmesg capture and a rotated syslog whose kernel lines carry `[mono]` — keep the same lines: the
 * clock finds them in both and carries the boot time from the file that has wall-clock stamps to the one that has not.
 */
export interface MonotonicAnchors {
  /** A power of two, doubled (and the map thinned) whenever more than the cap would be kept. */
  modulus: number;
  /** µs since boot → a hash of the line's message and the boot it belongs to. */
  readonly lines: Map<number, { readonly hash: number; readonly bootKey: string }>;
}

/** A line of the app naming work it was busy with (recognise/app-work.ts), kept for the diagnosis of a death. */
export interface WorkMark {
  readonly work: WorkKind;
  readonly lineNo: number;
  /** The line's stamp, or the app's last stamped line before it; null when none came before. */
  readonly stamp: PlacedStamp | null;
}

export interface ScannedSource {
  readonly id: number;
  readonly path: string;
  readonly displayPath: string;
  readonly kind: SourceKind;
  readonly format: string;
  readonly mtimeMs: number | null;
  /** True for this machine's own sources (journalctl, dmesg, /dev/kmsg read live). */
  readonly live: boolean;
  lines: number;
  readonly problems: string[];
  readonly notes: string[];
  readonly observations: Observation[];
  first: PlacedStamp | null;
  last: PlacedStamp | null;
  /** Total Dec→Jan rollovers in the file. */
  rollovers: number;
  /** True when at least one stamp lacked a year (the clock must infer it). */
  yearless: boolean;
  readonly bootPairs: BootPair[];
  readonly anchors: MonotonicAnchors;
  /** The app's work lines: of each life's, only the last WORK_MARKS_PER_LIFE (the minutes before its end matter). */
  readonly workMarks: WorkMark[];
}

/** A source about to be scanned: what it is, with nothing found yet. */
export function newScannedSource(
  identity: Pick<ScannedSource, 'id' | 'path' | 'displayPath' | 'kind' | 'format' | 'mtimeMs' | 'live'>,
): ScannedSource {
  return {
    ...identity,
    lines: 0,
    problems: [],
    notes: [],
    observations: [],
    first: null,
    last: null,
    rollovers: 0,
    yearless: false,
    bootPairs: [],
    anchors: { modulus: 1, lines: new Map() },
    workMarks: [],
  };
}
