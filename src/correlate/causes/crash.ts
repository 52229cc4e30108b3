// crash: the process died of its own fault — a Go panic or fatal error in its output, the kernel's segfault line,
// or a fault signal its parent saw.
import type { CauseRule } from './death-case.js';
import { FAULT_SIGNALS, wordsConfidence } from './exit.js';

export const crashRule: CauseRule = (death) => {
  if (death.words.panic.length > 0) {
    return {
      cause: 'crash',
      confidence: wordsConfidence(death),
      reason: { kind: 'panic' },
      because: death.words.panic,
    };
  }
  if (death.crashRecords.length > 0) {
    return {
      cause: 'crash',
      confidence: 'confirmed',
      reason: { kind: 'crash-record' },
      because: death.crashRecords.slice(0, 1),
    };
  }
  const exit = death.exit;
  if (exit?.known && exit.signal !== null && FAULT_SIGNALS.has(exit.signal)) {
    return {
      cause: 'crash',
      confidence: 'confirmed',
      reason: { kind: 'fault-signal', signal: exit.signal },
      because: [exit.evidence],
    };
  }
  return null;
};
