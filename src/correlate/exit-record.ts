// How a process ended, read from a record its parent wrote: the service manager's line (systemd's `Main process
// exited, code=…, status=…`, upstart's `main process (N) killed by … signal` / `terminated with status N`) or the
// guard's `died:` line. These feed the death's exit status, which the cause rules read (exit-status.ts, crash.ts,
// stopped.ts): code=dumped status=11/SEGV is a crash, code=killed status=9/KILL with no kill record unexplained,
// status=15/TERM a stop, code=exited status=N≠0 a crash.

import type { Event } from '../recognise/event.js';
import { toNumber } from '../recognise/field-list.js';
import { signalName } from '../recognise/signal-names.js';

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: string | null;
}

const STATUS = /^(?<number>\d+)(?:\/(?<name>[A-Z0-9]+))?$/;

/** The exit status a parent's record states; null when the record states none. */
export function exitStatusOf(e: Event): ExitStatus | null {
  switch (e.type) {
    case 'unit.exited': {
      const groups = STATUS.exec(e.status)?.groups;
      const number = toNumber(groups?.number);
      if (e.code === 'exited') return { code: number, signal: null };
      // `killed` and `dumped`: the status is the signal, named after its number (`9/KILL`).
      const signal = groups?.name ? `SIG${groups.name}` : number !== null ? signalName(number) : null;
      return { code: null, signal };
    }
    case 'upstart.exited':
      return { code: e.code, signal: e.signal };
    case 'guard.died':
    case 'guard.incident':
      return { code: e.code, signal: e.signal };
    default:
      return null;
  }
}
