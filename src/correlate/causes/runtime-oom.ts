// runtime-oom: the process failed to allocate and aborted (Go `fatal error: runtime: out of memory`, Java OOME).
import type { CauseRule } from './death-case.js';
import { wordsConfidence } from './exit.js';

export const runtimeOomRule: CauseRule = (death) =>
  death.words.runtimeOom.length > 0
    ? {
        cause: 'runtime-oom',
        confidence: wordsConfidence(death),
        reason: { kind: 'runtime-oom' },
        because: death.words.runtimeOom,
      }
    : null;
