// A cause rule looks at one death and either claims it or passes. Rules run in the contract's order of precedence.

import type { Cause, Confidence } from '../../contract/analysis.js';
import type { Observation } from '../../scan/observation.js';
import type { Death } from '../death.js';

export interface Verdict {
  readonly cause: Cause;
  readonly confidence: Confidence;
  /** The records that decide the verdict, most decisive first. */
  readonly because: readonly Observation[];
}

export type CauseRule = (death: Death, app: string) => Verdict | null;
