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
function firstClaim(death: DeathCase): Verdict {
  for (const rule of RULES) {
    const verdict = rule(death);
    if (verdict) return verdict;
  }
  return { cause: 'unexplained', confidence: 'possible', reason: { kind: 'no-record' }, because: [] };
}

/** Reasons that rest on a record of who ended the process: nothing an observer wrote down overrides them. */
const KILL_RECORDS: ReadonlySet<Verdict['reason']['kind']> = new Set([
  'kernel-kill',
  'manual-kill',
  'unit-oom',
  'daemon-kill',
  'guard-stop',
]);

const RANK = { possible: 0, likely: 1, confirmed: 2 } as const;

/**
 * The rules' verdict, unless an observer of the death recorded a surer one (the guard, with evidence the logs lack):
 * then the recorded verdict stands, so `analyze` on the guard's folder tells the death as the guard did. A record of
 * who killed it found in the logs (a kernel kill the guard missed) decides by the shared precedence.
 */
export function decideCause(death: DeathCase): Verdict {
  const own = firstClaim(death);
  const recorded = death.recorded;
  if (recorded === null) return own;
  const ownIsRecord =
    KILL_RECORDS.has(own.reason.kind) && !(own.reason.kind === 'kernel-kill' && own.reason.byOrder);
  if (ownIsRecord || RANK[recorded.confidence] <= RANK[own.confidence]) return own;
  return {
    cause: recorded.cause,
    confidence: recorded.confidence,
    reason: { kind: 'recorded-verdict' },
    because: [recorded.evidence],
  };
}
