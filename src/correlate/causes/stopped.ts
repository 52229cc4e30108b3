// stopped: a deliberate stop with no kill record in the window — the app's own shutdown line on a caught signal,
// old stop.sh's pid line before its kill -9, or systemd stopping the unit.
import type { CauseRule } from './rule.js';

export const stoppedRule: CauseRule = (death) => {
  const life = death.app?.life;
  if (life?.end === 'shutdown') {
    const words = life.endEvidence.filter((p) => p.observation.event.type === 'app.shutdown');
    return { cause: 'stopped', confidence: 'confirmed', because: words.map((p) => p.observation) };
  }
  const stops = death.guardian?.stops ?? [];
  if (stops.length > 0)
    return { cause: 'stopped', confidence: 'confirmed', because: stops.map((p) => p.observation) };
  const stopping = death.systemLines.filter(
    (p) => p.observation.event.type === 'unit.stopping' || p.observation.event.type === 'unit.stopped',
  );
  if (stopping.length > 0) {
    return { cause: 'stopped', confidence: 'confirmed', because: stopping.map((p) => p.observation) };
  }
  // oomsleuth guard saw it end on SIGTERM/SIGINT/SIGHUP: someone asked it to stop (the guard itself, or not).
  const died = death.guardian?.died?.observation;
  if (
    died?.event.type === 'guard.died' &&
    ['SIGTERM', 'SIGINT', 'SIGHUP'].includes(died.event.signal ?? '')
  ) {
    return { cause: 'stopped', confidence: 'likely', because: [died] };
  }
  return null;
};
