// oom-killer: the kernel's record of killing this process in the death's window wins over anything it printed.
import type { CauseRule } from './rule.js';

export const oomKillerRule: CauseRule = (death) => {
  if (death.kill?.manual) {
    // SysRq-f: someone asked the kernel to OOM-kill — a deliberate act, not memory exhaustion.
    return { cause: 'stopped', confidence: 'likely', because: death.kill.evidence };
  }
  if (death.kill) {
    return {
      cause: 'oom-killer',
      // A kill the clock could not place is tied to the death by order alone.
      confidence: death.killByOrder ? 'likely' : 'confirmed',
      because: death.kill.evidence,
    };
  }
  if (death.unitOom) {
    return { cause: 'oom-killer', confidence: 'confirmed', because: [death.unitOom.observation] };
  }
  return null;
};
