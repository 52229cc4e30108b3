// stopped: a deliberate stop with no kill record in the window. The guard's own stop is decided before anything the
// app printed while stopping; other stops — the app's shutdown line on a caught signal, old stop.sh's pid line
// before its kill -9, systemd stopping the unit, a stop signal seen by the parent — after a crash's last words.
import type { CauseRule } from './death-case.js';
import { STOP_SIGNALS } from './exit.js';

export const guardStopRule: CauseRule = (death) =>
  death.guardStop
    ? {
        cause: 'stopped',
        confidence: 'confirmed',
        reason: { kind: 'guard-stop' },
        because: [death.guardStop],
      }
    : null;

export const stoppedRule: CauseRule = (death) => {
  if (death.words.shutdown.length > 0) {
    return {
      cause: 'stopped',
      // Without the system log, the signal may have been an OOM daemon's SIGTERM.
      confidence: death.daemonLogsRead ? 'confirmed' : 'likely',
      reason: { kind: 'shutdown-words' },
      because: death.words.shutdown,
    };
  }
  if (death.stops.length > 0) {
    return {
      cause: 'stopped',
      confidence: 'confirmed',
      reason: { kind: 'stop-record' },
      because: death.stops,
    };
  }
  const exit = death.exit;
  if (exit?.known && exit.signal !== null && STOP_SIGNALS.has(exit.signal)) {
    return {
      cause: 'stopped',
      confidence: 'likely',
      reason: { kind: 'stop-signal', signal: exit.signal },
      because: [exit.evidence],
    };
  }
  return null;
};
