// The contract's precedence, one list for analyze, watch and guard: a record of who killed the process wins over
// what the process printed while dying, which wins over what its exit status alone suggests.
import type { Verdict } from '../finding.js';
import { crashRule } from './crash.js';
import type { CauseRule, DeathCase } from './death-case.js';
import { exitStatusRule } from './exit-status.js';
import { oomDaemonRule } from './oom-daemon.js';
import { oomKillerRule } from './oom-killer.js';
import { runtimeOomRule } from './runtime-oom.js';
import { guardStopRule, stoppedRule } from './stopped.js';

export type { DeathCase } from './death-case.js';

const RULES: readonly CauseRule[] = [
  oomKillerRule,
  oomDaemonRule,
  guardStopRule,
  runtimeOomRule,
  crashRule,
  stoppedRule,
  exitStatusRule,
];

/** The first rule that claims the death decides it; none claiming means unexplained. */
export function decideCause(death: DeathCase): Verdict {
  for (const rule of RULES) {
    const verdict = rule(death);
    if (verdict) return verdict;
  }
  return { cause: 'unexplained', confidence: 'possible', reason: { kind: 'no-record' }, because: [] };
}
