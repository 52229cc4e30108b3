// Observations with their wall-clock time. A line without a stamp of its own (a Go panic, `退出 terminated`, a
// guardian's `NOT running`) is placed at the previous stamped line of its file: not before it, and that is all we know.

import type { Clock } from '../clock/clock.js';
import type { Observation, ScannedSource } from '../scan/observation.js';

export interface Placed {
  readonly observation: Observation;
  readonly source: ScannedSource;
  readonly at: number | null;
  /** False when `at` was inherited from an earlier line of the same file. */
  readonly exact: boolean;
}

/**
 * The source's observations that `keep` accepts, placed in time. Placing costs a time-zone conversion, and a system
 * log holds thousands of lines no death needs (every timer's `Starting …`): those are skipped, their time computed
 * only when an unstamped line after them inherits it.
 */
export function placeObservations(
  source: ScannedSource,
  clock: Clock,
  keep: (observation: Observation) => boolean = () => true,
): Placed[] {
  let previous: number | null = null;
  let skipped: Observation | null = null;
  const placed: Placed[] = [];
  for (const observation of source.observations) {
    if (!keep(observation)) {
      skipped = observation;
      continue;
    }
    const own = clock.observationTime(observation);
    if (own === null && skipped !== null) previous = clock.observationTime(skipped) ?? previous;
    skipped = null;
    if (own !== null) previous = own;
    placed.push({ observation, source, at: own ?? previous, exact: own !== null });
  }
  return placed;
}
