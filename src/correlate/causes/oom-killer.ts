// oom-killer: the kernel's record of killing this process wins over anything it printed; without one, systemd's
// word that the kernel killed a process of the unit, or the rise of the oom_kill counter of the child's own cgroup.
import type { CauseRule } from './death-case.js';
import { endedBySigkillOrUnknown } from './exit.js';

export const oomKillerRule: CauseRule = (death) => {
  const kill = death.kernelKill;
  if (kill?.manual) {
    // SysRq-f: someone asked the kernel to OOM-kill — a deliberate act, not memory exhaustion.
    return {
      cause: 'stopped',
      confidence: 'likely',
      reason: { kind: 'manual-kill' },
      because: kill.evidence,
    };
  }
  if (kill) {
    return {
      cause: 'oom-killer',
      // A kill the clock could not place is tied to the death by order alone.
      confidence: kill.byOrder ? 'likely' : 'confirmed',
      reason: { kind: 'kernel-kill', byOrder: kill.byOrder },
      because: kill.evidence,
    };
  }
  if (death.unitOom) {
    return {
      cause: 'oom-killer',
      confidence: 'confirmed',
      reason: { kind: 'unit-oom' },
      because: [death.unitOom],
    };
  }
  const counted = death.memcgOomCount;
  // Only a SIGKILL (or an end the observer could not see) can be the kill the counter counted.
  if (counted && endedBySigkillOrUnknown(death)) {
    return {
      cause: 'oom-killer',
      // In a cgroup of its own the victim can only be the child; in a shared one it may be a neighbour.
      confidence: counted.own ? 'confirmed' : 'likely',
      reason: { kind: 'memcg-oom-count', own: counted.own },
      because: [counted.evidence],
    };
  }
  return null;
};
