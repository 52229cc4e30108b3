// runtime-oom: the process failed to allocate and aborted (Go `fatal error: runtime: out of memory`, Java OOME).
import type { CauseRule } from './rule.js';

export const runtimeOomRule: CauseRule = (death) => {
  const life = death.app?.life;
  if (life?.end !== 'runtime-oom') return null;
  const words = life.endEvidence.filter((p) => p.observation.event.type === 'app.runtime-oom');
  return { cause: 'runtime-oom', confidence: 'confirmed', because: words.map((p) => p.observation) };
};
