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

export function placeObservations(source: ScannedSource, clock: Clock): Placed[] {
  let previous: number | null = null;
  return source.observations.map((observation) => {
    const own = clock.observationTime(observation);
    if (own !== null) previous = own;
    return { observation, source, at: own ?? previous, exact: own !== null };
  });
}
