// What a picture is drawn from, beyond the contract's incident: the lines and samples watch keeps in its evidence
// bundle, or analyze re-reads for --html. Plain data; the store's Bundle fits these shapes.
import type { Incident, IncidentDiagnosis } from '../contract/analysis.js';
import type { GuardMemorySample } from '../forecast/guard-memory-record.js';

/** One line as it was read, with its place. */
export interface PictureLine {
  readonly source: string;
  readonly line: number | null;
  readonly text: string;
}

/** One memory sample `oomsleuth guard` took (kB). */
/** A memory sample drawn on the curve: the guard's, as its incidents file and watch's store hold them. */
export type PictureSample = GuardMemorySample;

/** What is known of one death beyond its incident. Every part may be empty. */
export interface DeathExtras {
  /** The kernel's OOM report, `invoked oom-killer` to `Killed process`: the task table is read from it. */
  readonly oomBlock?: readonly PictureLine[];
  readonly appTail?: readonly PictureLine[];
  readonly guardian?: readonly PictureLine[];
  readonly memory?: readonly PictureSample[];
}

/**
 * The incident's diagnosis when it has a well-formed one: stores written before the diagnosis existed hold none, and
 * a page must not break on a stored document it cannot read.
 */
export function diagnosisOf(incident: Incident): IncidentDiagnosis | null {
  const d: unknown = incident.diagnosis;
  if (typeof d !== 'object' || d === null) return null;
  const { kind, summary, because, advice } = d as Record<string, unknown>;
  return typeof kind === 'string' &&
    typeof summary === 'string' &&
    Array.isArray(because) &&
    Array.isArray(advice)
    ? (d as IncidentDiagnosis)
    : null;
}
