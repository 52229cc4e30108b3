// The contract's precedence: a record of who killed the process wins over what the process printed while dying.
import { crashRule } from './crash.js';
import { oomDaemonRule } from './oom-daemon.js';
import { oomKillerRule } from './oom-killer.js';
import type { CauseRule, Verdict } from './rule.js';
import { runtimeOomRule } from './runtime-oom.js';
import { stoppedRule } from './stopped.js';

export type { Verdict } from './rule.js';

const RULES: readonly CauseRule[] = [oomKillerRule, oomDaemonRule, runtimeOomRule, crashRule, stoppedRule];

/** The first rule that claims the death decides it; none claiming means unexplained. */
export function decideCause(...args: Parameters<CauseRule>): Verdict {
  for (const rule of RULES) {
    const verdict = rule(...args);
    if (verdict) return verdict;
  }
  return { cause: 'unexplained', confidence: 'possible', because: [] };
}
