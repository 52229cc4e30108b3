// systemd (PID 1) unit messages (log-formats.md §5.1): OOM notes, main-process exits, results, restarts and job lines.
import type { LogRecord } from '../framing/record.js';
import type {
  UnitDeactivated,
  UnitExited,
  UnitJob,
  UnitOom,
  UnitOomd,
  UnitRestartScheduled,
  UnitResult,
} from './event.js';
import type { Groups, Recogniser } from './recogniser.js';
import type { RecogniserTable } from './table.js';

// Unit names may contain `:` and `@` but never spaces, so `\S+?` up to the fixed text is safe.

export const unitOom: Recogniser<UnitOom> = {
  id: 'unit.oom',
  type: 'unit.oom',
  guard: 'killed by the OOM killer',
  pattern: /^(?<unit>\S+?): A process of this unit has been killed by the OOM killer/,
  build: (g, record) => ({ type: 'unit.oom', record, unit: g.unit ?? '' }),
  samples: [
    {
      line: 'anqicms.service: A process of this unit has been killed by the OOM killer.',
      expect: { unit: 'anqicms.service' },
    },
    {
      line: 'session-689.scope: A process of this unit has been killed by the OOM killer.',
      expect: { unit: 'session-689.scope' },
    },
  ],
};

export const unitOomd: Recogniser<UnitOomd> = {
  id: 'unit.oomd',
  type: 'unit.oomd',
  guard: 'systemd-oomd killed ',
  pattern: /^(?<unit>\S+?): systemd-oomd killed (?<count>\d+|some) process\(es\) in this unit/,
  build: (g, record) => ({ type: 'unit.oomd', record, unit: g.unit ?? '' }),
  samples: [
    {
      line: 'anqicms.service: systemd-oomd killed 291 process(es) in this unit.',
      expect: { unit: 'anqicms.service' },
    },
    {
      // Older wording [recall].
      line: 'user@1000.service: systemd-oomd killed some process(es) in this unit.',
      expect: { unit: 'user@1000.service' },
    },
  ],
};

export const unitExited: Recogniser<UnitExited> = {
  id: 'unit.exited',
  type: 'unit.exited',
  guard: 'ain process exited, code=',
  // `Main process exited` (modern) and `main process exited` (systemd 219, RHEL 7).
  pattern: /^(?<unit>\S+?): [Mm]ain process exited, code=(?<code>[a-z]+), status=(?<status>\S+)/,
  build: (g, record) => ({
    type: 'unit.exited',
    record,
    unit: g.unit ?? '',
    code: g.code ?? '',
    status: g.status ?? '',
  }),
  samples: [
    {
      line: 'anqicms.service: Main process exited, code=killed, status=9/KILL',
      expect: { unit: 'anqicms.service', code: 'killed', status: '9/KILL' },
    },
    {
      line: 'anqicms.service: Main process exited, code=exited, status=2/INVALIDARGUMENT',
      expect: { unit: 'anqicms.service', code: 'exited', status: '2/INVALIDARGUMENT' },
    },
    {
      line: 'anqicms.service: Main process exited, code=exited, status=255/EXCEPTION',
      expect: { code: 'exited', status: '255/EXCEPTION' },
    },
    {
      line: 'anqicms.service: Main process exited, code=dumped, status=6/ABRT',
      expect: { code: 'dumped', status: '6/ABRT' },
    },
    {
      line: 'tidb-4000.service: main process exited, code=killed, status=9/KILL',
      expect: { unit: 'tidb-4000.service', code: 'killed', status: '9/KILL' },
    },
    {
      // systemd 219 (systemd/systemd#13574 paste).
      line: 'iot.service: main process exited, code=dumped, status=11/SEGV',
      expect: { unit: 'iot.service', code: 'dumped', status: '11/SEGV' },
    },
    // An ExecStartPre=/ExecStop= process is not the service's main process.
    { line: 'kiwix-serve.service: Control process exited, code=killed, status=11/SEGV', expect: null },
  ],
};

export const unitDeactivated: Recogniser<UnitDeactivated> = {
  id: 'unit.deactivated',
  type: 'unit.deactivated',
  guard: ': Deactivated successfully.',
  pattern: /^(?<unit>\S+?): Deactivated successfully\./,
  build: (g, record) => ({ type: 'unit.deactivated', record, unit: g.unit ?? '' }),
  samples: [
    { line: 'anqicms.service: Deactivated successfully.', expect: { unit: 'anqicms.service' } },
    {
      line: 'sysstat-collect.service: Deactivated successfully.',
      expect: { unit: 'sysstat-collect.service' },
    },
  ],
};

export const unitSucceeded: Recogniser<UnitDeactivated> = {
  id: 'unit.deactivated.succeeded',
  type: 'unit.deactivated',
  guard: ': Succeeded.',
  // systemd 240–246 (RHEL 8, Ubuntu 20.04): `Stopping OpenSSH server daemon...`, `sshd.service: Succeeded.`, `Stopped …`.
  pattern: /^(?<unit>\S+?): Succeeded\./,
  build: (g, record) => ({ type: 'unit.deactivated', record, unit: g.unit ?? '' }),
  samples: [
    { line: 'sshd.service: Succeeded.', expect: { unit: 'sshd.service' } },
    { line: 'nginx.service: Succeeded.', expect: { unit: 'nginx.service' } },
  ],
};

// `Restart=` firing, in each generation's words: `x.service holdoff time over, scheduling restart.` (219, no colon),
// `x.service: Service hold-off time over, scheduling restart.` (~229–237), `x.service: Service RestartSec=100ms
// expired, scheduling restart.` (239+); from 235 on also `x.service: Scheduled restart job, restart counter is at N.`
export const unitRestartScheduling: Recogniser<UnitRestartScheduled> = {
  id: 'unit.restart-scheduled.scheduling',
  type: 'unit.restart-scheduled',
  guard: ', scheduling restart',
  pattern:
    /^(?<unit>\S+?):? (?:holdoff time over|Service hold-off time over|Service RestartSec=\S+ expired), scheduling restart/,
  build: (g, record) => ({ type: 'unit.restart-scheduled', record, unit: g.unit ?? '' }),
  samples: [
    {
      // systemd 219 (systemd/systemd#13574 paste).
      line: 'iot.service holdoff time over, scheduling restart.',
      expect: { unit: 'iot.service' },
    },
    {
      // Ubuntu 18.04, systemd 237.
      line: 'docker.service: Service hold-off time over, scheduling restart.',
      expect: { unit: 'docker.service' },
    },
    {
      line: 'my_service.service: Service RestartSec=100ms expired, scheduling restart.',
      expect: { unit: 'my_service.service' },
    },
    {
      line: 'lnd.service: Service RestartSec=1min expired, scheduling restart.',
      expect: { unit: 'lnd.service' },
    },
  ],
};

export const unitRestartJob: Recogniser<UnitRestartScheduled> = {
  id: 'unit.restart-scheduled.job',
  type: 'unit.restart-scheduled',
  guard: 'Scheduled restart job',
  pattern: /^(?<unit>\S+?): Scheduled restart job, restart counter is at (?<count>\d+)/,
  build: (g, record) => ({ type: 'unit.restart-scheduled', record, unit: g.unit ?? '' }),
  samples: [
    {
      line: 'anqicms.service: Scheduled restart job, restart counter is at 1.',
      expect: { unit: 'anqicms.service' },
    },
    {
      line: 'rabbitmq-server.service: Scheduled restart job, restart counter is at 74.',
      expect: { unit: 'rabbitmq-server.service' },
    },
  ],
};

export const unitResult: Recogniser<UnitResult> = {
  id: 'unit.result',
  type: 'unit.result',
  guard: 'Failed with result ',
  pattern: /^(?<unit>\S+?): Failed with result '(?<result>[^']+)'/,
  build: (g, record) => ({ type: 'unit.result', record, unit: g.unit ?? '', result: g.result ?? '' }),
  samples: [
    {
      line: "anqicms.service: Failed with result 'oom-kill'.",
      expect: { unit: 'anqicms.service', result: 'oom-kill' },
    },
    { line: "anqicms.service: Failed with result 'signal'.", expect: { result: 'signal' } },
    { line: "anqicms.service: Failed with result 'exit-code'.", expect: { result: 'exit-code' } },
    { line: "anqicms.service: Failed with result 'core-dump'.", expect: { result: 'core-dump' } },
  ],
};

// `Stopping x.service - Description...` (newer) or `Stopping Description...` (older): the unit name when it is
// there, else the description, which is all the older form gives.
const UNIT_BEFORE_DESCRIPTION =
  /^(?<unit>\S+\.(?:service|scope|slice|socket|target|timer|mount|automount|swap|path|device)) - /;

// The closing `...`/`…` (Stopping) or `.` (Stopped/Started), cut in code rather than by a lazy regex.
const JOB_TAIL = /(?<tail>\.\.\.|…|\.)$/;

function unitOfJob(what: string | undefined): string {
  const text = (what ?? '').trimEnd().replace(JOB_TAIL, '');
  return UNIT_BEFORE_DESCRIPTION.exec(text)?.groups?.unit ?? text;
}

function jobBuilder(type: UnitJob['type']): (g: Groups, record: LogRecord) => UnitJob {
  return (g, record) => ({ type, record, unit: unitOfJob(g.what) });
}

export const unitStopping: Recogniser<UnitJob> = {
  id: 'unit.stopping',
  type: 'unit.stopping',
  guard: 'Stopping ',
  pattern: /^Stopping (?<what>.+)$/,
  build: jobBuilder('unit.stopping'),
  samples: [
    { line: 'Stopping anqicms.service - AnQiCMS...', expect: { unit: 'anqicms.service' } },
    { line: 'Stopping AnQiCMS...', expect: { unit: 'AnQiCMS' } },
    { line: 'Stopping anqicms.service…', expect: { unit: 'anqicms.service' } },
  ],
};

export const unitStopped: Recogniser<UnitJob> = {
  id: 'unit.stopped',
  type: 'unit.stopped',
  guard: 'Stopped ',
  pattern: /^Stopped (?<what>.+)$/,
  build: jobBuilder('unit.stopped'),
  samples: [
    { line: 'Stopped anqicms.service - AnQiCMS.', expect: { unit: 'anqicms.service' } },
    { line: 'Stopped AnQiCMS.', expect: { unit: 'AnQiCMS' } },
  ],
};

export const unitStarting: Recogniser<UnitJob> = {
  id: 'unit.starting',
  type: 'unit.starting',
  guard: 'Starting ',
  pattern: /^Starting (?<what>.+)$/,
  build: jobBuilder('unit.starting'),
  samples: [
    { line: 'Starting anqicms.service - AnQiCMS...', expect: { unit: 'anqicms.service' } },
    { line: 'Starting AnQiCMS...', expect: { unit: 'AnQiCMS' } },
    // systemd 219 (systemd/systemd#13574 paste): the description only.
    { line: 'Starting EC_iot service test...', expect: { unit: 'EC_iot service test' } },
  ],
};

export const unitStarted: Recogniser<UnitJob> = {
  id: 'unit.started',
  type: 'unit.started',
  guard: 'Started ',
  pattern: /^Started (?<what>.+)$/,
  build: jobBuilder('unit.started'),
  samples: [
    { line: 'Started emailengine.service - EmailEngine.', expect: { unit: 'emailengine.service' } },
    { line: 'Started AnQiCMS.', expect: { unit: 'AnQiCMS' } },
    { line: 'Started Session 5 of User root.', expect: { unit: 'Session 5 of User root' } },
    { line: 'Started EC_iot service test.', expect: { unit: 'EC_iot service test' } },
  ],
};

export const systemdTable: RecogniserTable = {
  id: 'systemd',
  recognisers: [
    unitExited,
    unitResult,
    unitOom,
    unitOomd,
    unitDeactivated,
    unitSucceeded,
    unitRestartScheduling,
    unitRestartJob,
    unitStopping,
    unitStopped,
    unitStarting,
    unitStarted,
  ],
};
