// Which sources would settle a death that is not confirmed (CONTRACT §2 `missing`), from what was read.
import type { MissingSource } from '../contract/analysis.js';
import type { Verdict } from './finding.js';

export interface Coverage {
  /** A kernel/system log that was read covers the death's window. */
  readonly kernelLogCovers: boolean;
  /** A kernel log is there but its boot-relative stamps could not be placed without the boot time. */
  readonly kernelLogUnplaced: boolean;
  /** The kill was tied to the death by order alone (no boot time). */
  readonly killByOrder: boolean;
  readonly guardianLog: boolean;
  readonly appLog: boolean;
}

export function missingSources(verdict: Verdict, coverage: Coverage): MissingSource[] {
  if (verdict.confidence === 'confirmed') return [];
  const missing: MissingSource[] = [];
  // An unplaceable kernel log is there: what is missing is the boot time, not the log.
  if (!coverage.kernelLogCovers && !coverage.kernelLogUnplaced) missing.push('kernel-log');
  if (verdict.cause === 'unexplained') {
    if (!coverage.guardianLog) missing.push('guardian-log');
    if (!coverage.appLog) missing.push('app-log');
  }
  if (coverage.kernelLogUnplaced || coverage.killByOrder) missing.push('boot-time');
  return missing;
}
