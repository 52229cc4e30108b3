// crash: the process died of its own fault — a Go panic or fatal error in its output, or the kernel's segfault line.
import type { CauseRule } from './rule.js';

export const crashRule: CauseRule = (death) => {
  const life = death.app?.life;
  if (life?.end === 'panic') {
    const words = life.endEvidence.filter((p) => p.observation.event.type === 'app.panic');
    return { cause: 'crash', confidence: 'confirmed', because: words.map((p) => p.observation) };
  }
  const segfault = death.systemLines.find((p) => p.observation.event.type === 'kernel.segfault');
  return segfault ? { cause: 'crash', confidence: 'confirmed', because: [segfault.observation] } : null;
};
