// A cause rule looks at one death and either claims it or passes. Rules run in the contract's order of precedence.
import type { Observation } from '../../analyze/observation.js';
import type { Cause, Confidence } from '../../report/analysis.js';
import type { Death } from '../death.js';

export interface Verdict {
  readonly cause: Cause;
  readonly confidence: Confidence;
  /** The records that decide the verdict, most decisive first. */
  readonly because: readonly Observation[];
}

export type CauseRule = (death: Death, app: string) => Verdict | null;
