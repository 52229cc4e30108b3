// upstart (Ubuntu 9.10–14.10, RHEL 6) on its jobs' main processes: how one ended and that it is being respawned.
// upstart 0.6 logs through syslog under the ident `init` (`init: x main process (N) …`); 1.x writes to the kernel
// ring buffer, so the same text reaches syslog as a kernel line (`kernel: [ 1414.46] init: x main process (N) …`).
// Only the main process matters: a pre-start or post-stop script ending is not the service dying.
import type { LogRecord } from '../framing/record.js';
import type { UpstartExited, UpstartRespawning } from './event.js';
import { toNumber } from './field-list.js';
import type { Groups, Recogniser } from './recogniser.js';
import { signalName } from './signal-names.js';
import type { RecogniserTable } from './table.js';

function buildExited(g: Groups, record: LogRecord): UpstartExited | null {
  const pid = toNumber(g.pid);
  if (pid === null) return null;
  // nih_signal_to_name() names the signal without its `SIG`; upstart prints the number when it has no name for it.
  const number = toNumber(g.signalNumber);
  const signal = g.signal !== undefined ? `SIG${g.signal}` : number !== null ? signalName(number) : null;
  return { type: 'upstart.exited', record, job: g.job ?? '', pid, signal, code: toNumber(g.code) };
}

export const upstartExited: Recogniser<UpstartExited> = {
  id: 'upstart.exited',
  type: 'upstart.exited',
  guard: ' main process (',
  // `%s %s process (%d) killed by %s signal` / `… killed by signal %d` / `… terminated with status %d` (job.c); the
  // job name may carry its instance in parentheses: `network-interface (eth0)`.
  pattern:
    /^(?:init: )?(?<job>\S+(?: \([^)]*\))?) main process \((?<pid>\d+)\) (?:killed by (?:(?<signal>[A-Z][A-Z0-9]*) signal|signal (?<signalNumber>\d+))|terminated with status (?<code>\d+))/,
  build: buildExited,
  samples: [
    {
      // Ubuntu 10.10 (poelzi/ulatencyd#14 paste).
      line: 'ulatencyd main process (6632) terminated with status 1',
      expect: { job: 'ulatencyd', pid: 6632, signal: null, code: 1 },
    },
    {
      line: 'init: anqicms main process (2249) killed by SEGV signal',
      expect: { job: 'anqicms', pid: 2249, signal: 'SIGSEGV', code: null },
    },
    {
      line: 'init: anqicms main process (2249) killed by KILL signal',
      expect: { job: 'anqicms', pid: 2249, signal: 'SIGKILL' },
    },
    {
      line: 'anqicms main process (2249) killed by signal 11',
      expect: { job: 'anqicms', pid: 2249, signal: 'SIGSEGV' },
    },
    {
      line: 'network-interface (eth0) main process (812) terminated with status 2',
      expect: { job: 'network-interface (eth0)', pid: 812, code: 2 },
    },
    // A script of the job, not its main process.
    { line: 'anqicms pre-start process (2240) terminated with status 1', expect: null },
    // upstart's debug trace when the job starts (lldpd/lldpd#245 paste).
    { line: 'init: lldpd main process (3653) executable changed', expect: null },
  ],
};

export const upstartRespawning: Recogniser<UpstartRespawning> = {
  id: 'upstart.respawning',
  type: 'upstart.respawning',
  guard: ' main process ended, respawning',
  pattern: /^(?:init: )?(?<job>\S+(?: \([^)]*\))?) main process ended, respawning/,
  build: (g, record) => ({ type: 'upstart.respawning', record, job: g.job ?? '' }),
  samples: [
    {
      // Ubuntu 10.10 (poelzi/ulatencyd#14 paste).
      line: 'ulatencyd main process ended, respawning',
      expect: { job: 'ulatencyd' },
    },
    { line: 'init: anqicms main process ended, respawning', expect: { job: 'anqicms' } },
  ],
};

export const upstartTable: RecogniserTable = {
  id: 'upstart',
  gate: (message) => message.includes(' main process '),
  recognisers: [upstartExited, upstartRespawning],
};
