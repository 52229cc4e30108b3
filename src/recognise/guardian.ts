// Guardian lines (log-formats.md §6.1): check.sh/start.sh/stop.sh heartbeats and stdout, and `oomsleuth guard`'s death line.
import type {
  GuardDied,
  GuardianCheck,
  GuardianRestart,
  GuardianStop,
  GuardStarted,
  GuardStopping,
} from './event.js';
import { toNumber } from './field-list.js';
import { guardIncident } from './guard-incident.js';
import type { Recogniser } from './recogniser.js';
import { recordedVerdict } from './recorded-verdict.js';
import type { RecogniserTable } from './table.js';

export const guardianCheck: Recogniser<GuardianCheck> = {
  id: 'guardian.check',
  type: 'guardian.check',
  guard: ' PID check:',
  // The framer has taken the `YYYYMMDD HH:MM:SS ` stamp. The value may be empty (old stop.sh with nothing found),
  // and the trailing space may or may not have survived.
  pattern: /^(?<name>\S+) PID check:(?: (?<value>\d*))?\s*$/,
  build: (g, record) => ({ type: 'guardian.check', record, name: g.name ?? '', value: g.value ?? '' }),
  samples: [
    { line: 'anqicms PID check: 1', expect: { name: 'anqicms', value: '1' } },
    { line: 'anqicms PID check: 0', expect: { name: 'anqicms', value: '0' } },
    { line: 'goblog PID check: 2', expect: { name: 'goblog', value: '2' } },
    { line: 'anqicms PID check: 1234512346', expect: { name: 'anqicms', value: '1234512346' } },
    { line: 'anqicms PID check: ', expect: { name: 'anqicms', value: '' } },
    { line: 'anqicms PID check:', expect: { name: 'anqicms', value: '' } },
  ],
};

export const guardianCheckStdout: Recogniser<GuardianCheck> = {
  id: 'guardian.check.stdout',
  type: 'guardian.check',
  guard: ' check:',
  // The same check echoed on stdout (reaches the log only when cron redirects it there); no timestamp of its own.
  pattern: /^PID (?<name>\S+) check:(?: (?<value>\d*))?\s*$/,
  build: (g, record) => ({ type: 'guardian.check', record, name: g.name ?? '', value: g.value ?? '' }),
  samples: [
    { line: 'PID anqicms check: 0', expect: { name: 'anqicms', value: '0' } },
    { line: 'PID goblog check: 1', expect: { name: 'goblog', value: '1' } },
  ],
};

export const guardianNotRunning: Recogniser<GuardianRestart> = {
  id: 'guardian.restart.not-running',
  type: 'guardian.restart',
  guard: ' NOT running',
  pattern: /^(?<name>\S+) NOT running\s*$/,
  build: (g, record) => ({ type: 'guardian.restart', record, name: g.name ?? '' }),
  samples: [
    { line: 'anqicms NOT running', expect: { name: 'anqicms' } },
    { line: 'goblog NOT running', expect: { name: 'goblog' } },
  ],
};

export const guardianStarting: Recogniser<GuardianRestart> = {
  id: 'guardian.restart.starting',
  type: 'guardian.restart',
  guard: ' is not running. Starting it',
  pattern: /^(?<name>\S+) is not running\. Starting it\.\.\.\s*$/,
  build: (g, record) => ({ type: 'guardian.restart', record, name: g.name ?? '' }),
  samples: [
    { line: 'anqicms is not running. Starting it...', expect: { name: 'anqicms' } },
    { line: 'anqicms is not running.', expect: null },
  ],
};

export const guardianKill: Recogniser<GuardianStop> = {
  id: 'guardian.stop.kill',
  type: 'guardian.stop',
  guard: 'kill -9',
  // Old stop.sh echoes its `kill -9 $pid`; the pid may be empty, or several PIDs glued together (kept as printed).
  pattern: /^kill -9(?: (?<pid>\d*))?\s*$/,
  build: (g, record) => ({ type: 'guardian.stop', record, name: null, pid: toNumber(g.pid) }),
  samples: [
    { line: 'kill -9 1234', expect: { name: null, pid: 1234 } },
    { line: 'kill -9 ', expect: { name: null, pid: null } },
  ],
};

export const guardianIsStop: Recogniser<GuardianStop> = {
  id: 'guardian.stop.is-stop',
  type: 'guardian.stop',
  guard: ' is stop',
  pattern: /^(?<name>\S+) is stop\s*$/,
  build: (g, record) => ({ type: 'guardian.stop', record, name: g.name ?? null, pid: null }),
  samples: [{ line: 'anqicms is stop', expect: { name: 'anqicms', pid: null } }],
};

export const guardianStopping: Recogniser<GuardianStop> = {
  id: 'guardian.stop.stopping',
  type: 'guardian.stop',
  guard: ' is running. Stopping it',
  pattern: /^(?<name>\S+) is running\. Stopping it\.\.\.\s*$/,
  build: (g, record) => ({ type: 'guardian.stop', record, name: g.name ?? null, pid: null }),
  samples: [
    { line: 'anqicms is running. Stopping it...', expect: { name: 'anqicms', pid: null } },
    { line: 'anqicms is running', expect: null },
  ],
};

export const guardianStopped: Recogniser<GuardianStop> = {
  id: 'guardian.stop.stopped',
  type: 'guardian.stop',
  guard: ' stopped.',
  pattern: /^(?<name>\S+) stopped\.\s*$/,
  build: (g, record) => ({ type: 'guardian.stop', record, name: g.name ?? null, pid: null }),
  samples: [
    { line: 'anqicms stopped.', expect: { name: 'anqicms', pid: null } },
    { line: 'anqicms started.', expect: null },
  ],
};

export const guardDied: Recogniser<GuardDied> = {
  id: 'guard.died',
  type: 'guard.died',
  guard: ' died: ',
  // Our own supervisor's line. The pid is optional: `NAME died:`, `NAME[PID] died:`, `NAME (pid PID) died:`, or after
  // the uptime as `oomsleuth guard` writes it: `NAME died: signal SIGKILL after 3h12m, pid PID — …`. A process the
  // guard watched but did not spawn ends with `exit status unknown`.
  // Then the guard's verdict in the contract's words, `— oom-killer (confirmed): …`, when it wrote one.
  pattern:
    /^(?<name>[^\s[(]+)(?:\[(?<pid>\d+)\]| \(pid (?<pidInParens>\d+)\))? died: (?:signal (?<signal>SIG[A-Z0-9]+)|exit code (?<code>-?\d+)|(?<unknown>exit status unknown))(?: after [^,\s]+)?(?:, pid (?<pidAfter>\d+))?(?: — (?<cause>oom-killer|oom-daemon|runtime-oom|crash|stopped|unexplained) \((?<confidence>confirmed|likely|possible)\))?/,
  build: (g, record) => ({
    type: 'guard.died',
    record,
    name: g.name ?? '',
    pid: toNumber(g.pid ?? g.pidInParens ?? g.pidAfter),
    signal: g.signal ?? null,
    code: toNumber(g.code),
    verdict: recordedVerdict(g.cause, g.confidence),
  }),
  samples: [
    {
      line: 'anqicms died: signal SIGKILL after 3h12m — likely the kernel OOM killer',
      expect: { name: 'anqicms', pid: null, signal: 'SIGKILL', code: null, verdict: null },
    },
    {
      line: 'anqicms died: exit code 2 after 5m — Go panic or fatal error',
      expect: { name: 'anqicms', pid: null, signal: null, code: 2 },
    },
    {
      line: 'anqicms (pid 4242) died: signal SIGTERM after 10s — stopped',
      expect: { name: 'anqicms', pid: 4242, signal: 'SIGTERM', code: null },
    },
    {
      line: 'anqicms[4242] died: exit code 255 after 0s — …',
      expect: { name: 'anqicms', pid: 4242, code: 255 },
    },
    {
      line: 'anqicms died: signal SIGKILL after 3h12m, pid 12345 — oom-killer (confirmed): kernel killed pid 12345, anon-rss 3.8 GiB; rss rose 1.1→3.8 GiB in 10m',
      expect: {
        name: 'anqicms',
        pid: 12345,
        signal: 'SIGKILL',
        code: null,
        verdict: { cause: 'oom-killer', confidence: 'confirmed' },
      },
    },
    {
      line: 'anqicms died: exit code 2 after 0.51s, pid 16994 — crash (confirmed): panic: runtime error: boom',
      expect: { name: 'anqicms', pid: 16994, signal: null, code: 2 },
    },
    {
      line: 'anqicms died: exit status unknown after 2h5m, pid 4242 — unexplained (possible): it ended and nothing says who killed it',
      expect: {
        name: 'anqicms',
        pid: 4242,
        signal: null,
        code: null,
        verdict: { cause: 'unexplained', confidence: 'possible' },
      },
    },
    {
      line: 'anqicms died: signal SIGTERM after 2m25s, pid 4250 — stopped (confirmed): SIGTERM from the guard (the guard got SIGTERM)',
      expect: { pid: 4250, signal: 'SIGTERM', verdict: { cause: 'stopped', confidence: 'confirmed' } },
    },
  ],
};

export const guardStarted: Recogniser<GuardStarted> = {
  id: 'guard.started',
  type: 'guard.started',
  guard: ': pid ',
  // `oomsleuth guard` (src/guard/check-log.ts): each life it starts or watches, with the pid — what tells one copy of
  // the program from another copy of the same name on the same host.
  pattern:
    /^(?<name>\S+) (?<how>started|restarted|adopted|running outside the guard): pid (?<pid>\d+)(?: in memory cgroup (?<memcg>\/\S*))?/,
  build: (g, record) => {
    const pid = toNumber(g.pid);
    if (pid === null) return null;
    const how = g.how === 'running outside the guard' ? 'outside' : (g.how as GuardStarted['how']);
    return { type: 'guard.started', record, name: g.name ?? '', pid, memcg: g.memcg ?? null, how };
  },
  samples: [
    {
      line: 'anqicms started: pid 4242 in memory cgroup /system.slice/oomsleuth-guard-2950-anqicms-lyx07qd',
      expect: {
        name: 'anqicms',
        pid: 4242,
        memcg: '/system.slice/oomsleuth-guard-2950-anqicms-lyx07qd',
        how: 'started',
      },
    },
    { line: 'anqicms started: pid 4242', expect: { pid: 4242, memcg: null, how: 'started' } },
    {
      line: 'anqicms restarted: pid 4301 (0.03s after the death)',
      expect: { name: 'anqicms', pid: 4301, memcg: null, how: 'restarted' },
    },
    {
      line: 'anqicms adopted: pid 4242, left running by an earlier guard (pid 4240) that ended; its exit status cannot be known, the kernel log will tell how it ends',
      expect: { pid: 4242, how: 'adopted' },
    },
    {
      line: 'anqicms running outside the guard: pid 1234 (not started by this guard, e.g. by start.sh); watching it, the guard takes over when it ends',
      expect: { pid: 1234, how: 'outside' },
    },
    { line: 'anqicms start failed: /www/wwwroot/anqicms/anqicms: spawn EACCES', expect: null },
  ],
};

export const guardStopping: Recogniser<GuardStopping> = {
  id: 'guard.stopping',
  type: 'guard.stopping',
  guard: ' stopping: SIGTERM to pid ',
  // The guard's own stop (it was told to stop and passes SIGTERM on): the death that follows is `stopped`, confirmed.
  pattern: /^(?<name>\S+) stopping: SIGTERM to pid (?<pid>\d+)(?: \((?<why>.*)\))?\s*$/,
  build: (g, record) => {
    const pid = toNumber(g.pid);
    return pid === null
      ? null
      : { type: 'guard.stopping', record, name: g.name ?? '', pid, why: g.why ?? '' };
  },
  samples: [
    {
      line: 'anqicms stopping: SIGTERM to pid 4301 (the guard got SIGTERM)',
      expect: { name: 'anqicms', pid: 4301, why: 'the guard got SIGTERM' },
    },
    { line: 'anqicms is running. Stopping it...', expect: null },
  ],
};

export const guardianTable: RecogniserTable = {
  id: 'guardian',
  // The heartbeat is by far the most common line, so it is tried first.
  recognisers: [
    guardianCheck,
    guardianNotRunning,
    guardianStarting,
    guardDied,
    guardStarted,
    guardStopping,
    guardIncident,
    guardianKill,
    guardianIsStop,
    guardianStopping,
    guardianStopped,
    guardianCheckStdout,
  ],
};
