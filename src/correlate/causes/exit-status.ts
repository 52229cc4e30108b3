// What the exit status alone says when nothing above claimed the death: a SIGKILL with no record of who sent it
// (an OOM kill only `likely`, and only when memory was short and no kernel log could be read), or an exit of its own.
import type { CauseRule } from './death-case.js';
import { endedBySigkillOrUnknown } from './exit.js';

export const exitStatusRule: CauseRule = (death) => {
  const exit = death.exit;
  if (exit === null) return null;
  if (endedBySigkillOrUnknown(death)) {
    if (!death.kernelLogRead && death.memoryPressure.length > 0) {
      return {
        cause: 'oom-killer',
        confidence: 'likely',
        reason: { kind: 'sigkill-memory-pressure' },
        because: death.memoryPressure,
      };
    }
    return {
      cause: 'unexplained',
      confidence: 'possible',
      reason: { kind: 'sigkill-unexplained' },
      because: [exit.evidence],
    };
  }
  if (death.words.portInUse.length > 0) {
    return {
      cause: 'crash',
      confidence: 'likely',
      reason: { kind: 'port-in-use' },
      because: death.words.portInUse,
    };
  }
  if (exit.signal !== null) {
    return {
      cause: 'crash',
      confidence: 'likely',
      reason: { kind: 'other-signal', signal: exit.signal },
      because: [exit.evidence],
    };
  }
  if (exit.code !== 0) {
    return {
      cause: 'crash',
      confidence: 'likely',
      reason: { kind: 'exit-code', code: exit.code },
      because: [exit.evidence],
    };
  }
  return {
    cause: 'unexplained',
    confidence: 'possible',
    reason: { kind: 'exit-zero' },
    because: [exit.evidence],
  };
};
