// What a picture is drawn from, beyond the contract's incident: the lines and samples watch keeps in its evidence
// bundle, or analyze re-reads for --html. Plain data; the store's Bundle fits these shapes.
import type { Incident } from '../contract/analysis.js';

/** One line as it was read, with its place. */
export interface PictureLine {
  readonly source: string;
  readonly line: number | null;
  readonly text: string;
}

/** One memory sample `oomsleuth guard` took (kB). */
export interface PictureSample {
  readonly at: string;
  readonly rssKb: number | null;
  readonly hwmKb: number | null;
  readonly cgroupUsageKb: number | null;
}

/** What is known of one death beyond its incident. Every part may be empty. */
export interface DeathExtras {
  /** The kernel's OOM report, `invoked oom-killer` to `Killed process`: the task table is read from it. */
  readonly oomBlock?: readonly PictureLine[];
  readonly appTail?: readonly PictureLine[];
  readonly guardian?: readonly PictureLine[];
  readonly memory?: readonly PictureSample[];
}

/**
 * The diagnosis an incident may carry (what the death means and what to do); not every oomsleuth writes one, and
 * older stores hold none.
 */
export interface Diagnosis {
  readonly kind: string;
  readonly summary: string;
  readonly because?: string | readonly string[];
  readonly advice?: string | readonly string[];
}

/** The incident's diagnosis when it has a well-formed one. */
export function diagnosisOf(incident: Incident): Diagnosis | null {
  const d = (incident as Incident & { diagnosis?: unknown }).diagnosis;
  if (typeof d !== 'object' || d === null) return null;
  const { kind, summary } = d as Record<string, unknown>;
  return typeof kind === 'string' && typeof summary === 'string' ? (d as Diagnosis) : null;
}
