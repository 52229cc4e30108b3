// User-space OOM killers (log-formats.md §5.2–5.4): systemd-oomd, earlyoom and facebook's oomd.
import type { EarlyoomKilled, FbOomdKilled, OomdKilled } from './event.js';
import { fieldReader, toNumber } from './field-list.js';
import type { Recogniser } from './recogniser.js';
import type { RecogniserTable } from './table.js';

// ---- systemd-oomd ------------------------------------------------------------------------------------------------

export const oomdKilled: Recogniser<OomdKilled> = {
  id: 'oomd.killed',
  type: 'oomd.killed',
  guard: 'Killed /',
  // systemd 247–~256. The first path is the killed cgroup; `reason` keeps the rest of the sentence.
  pattern: /^Killed (?<cgroup>\/\S*) due to (?<reason>.+)$/,
  build: (g, record) => ({
    type: 'oomd.killed',
    record,
    cgroup: g.cgroup ?? '',
    reason: (g.reason ?? '').trimEnd(),
  }),
  samples: [
    {
      line: 'Killed /system.slice/anqicms.service due to memory pressure for /system.slice being 82.36% > 80.00% for > 20s with reclaim activity',
      expect: {
        cgroup: '/system.slice/anqicms.service',
        reason: 'memory pressure for /system.slice being 82.36% > 80.00% for > 20s with reclaim activity',
      },
    },
    {
      line: 'Killed /user.slice/app.slice/leaky.service due to swap used (2000000) / total (2097148) being more than 90.00%',
      expect: {
        cgroup: '/user.slice/app.slice/leaky.service',
        reason: 'swap used (2000000) / total (2097148) being more than 90.00%',
      },
    },
  ],
};

export const oomdMarked: Recogniser<OomdKilled> = {
  id: 'oomd.marked',
  type: 'oomd.killed',
  guard: ' for killing due to ',
  // Newest systemd-oomd: the kill is queued, then carried out at once (SIGKILL to the whole cgroup).
  pattern: /^Marked (?<cgroup>\/\S*) for killing due to (?<reason>.+)$/,
  build: (g, record) => ({
    type: 'oomd.killed',
    record,
    cgroup: g.cgroup ?? '',
    reason: (g.reason ?? '').trimEnd(),
  }),
  samples: [
    {
      line: 'Marked /system.slice/anqicms.service for killing due to memory pressure for /system.slice being 91.02% > 80.00% for > 20s with reclaim activity',
      expect: { cgroup: '/system.slice/anqicms.service' },
    },
    {
      line: 'Marked /user.slice/user-1000.slice/user@1000.service/app.slice/leak.scope for killing due to memory used (7801234432) / total (8201234432) and swap used (1900000000) / total (2000000000) being more than 90.00%',
      expect: {
        cgroup: '/user.slice/user-1000.slice/user@1000.service/app.slice/leak.scope',
        reason:
          'memory used (7801234432) / total (8201234432) and swap used (1900000000) / total (2000000000) being more than 90.00%',
      },
    },
  ],
};

export const systemdOomdTable: RecogniserTable = {
  id: 'systemd-oomd',
  recognisers: [oomdKilled, oomdMarked],
};

// ---- earlyoom ----------------------------------------------------------------------------------------------------

const readVmRssMib = fieldReader('VmRSS', ' ');

export const earlyoomKilled: Recogniser<EarlyoomKilled> = {
  id: 'earlyoom.killed',
  type: 'earlyoom.killed',
  guard: 'sending ',
  // The quoted name may itself hold quotes, and the cmdline at the end is arbitrary text: the name ends at the
  // first `": badness ` / `": oom_score ` (every version has one of the two right after it).
  pattern:
    /^sending (?<signal>SIG[A-Z0-9]+|0 \(no-op signal\)) to process (?<pid>\d+) uid (?<uid>-?\d+) "(?<process>.*?)": (?<fields>(?:badness|oom_score) .*)$/,
  build: (g, record) => {
    // `0 (no-op signal)` is earlyoom's start-up self-test, not a kill.
    if (g.signal === undefined || !g.signal.startsWith('SIG')) return null;
    return {
      type: 'earlyoom.killed',
      record,
      signal: g.signal,
      // One old release swapped the uid and pid arguments; the number is given as printed.
      pid: toNumber(g.pid),
      process: g.process ?? '',
      vmRssMib: readVmRssMib(g.fields ?? ''),
    };
  },
  samples: [
    {
      line: 'sending SIGTERM to process 1985588 uid 1000 "(sd-pam)": badness 733, VmRSS 3 MiB',
      expect: { signal: 'SIGTERM', pid: 1985588, process: '(sd-pam)', vmRssMib: 3 },
    },
    {
      line: 'sending SIGKILL to process 4242 uid 0 "anqicms": badness 912, VmRSS 1843 MiB',
      expect: { signal: 'SIGKILL', pid: 4242, process: 'anqicms', vmRssMib: 1843 },
    },
    {
      line: 'sending SIGTERM to process 4242 uid 0 "anqicms": oom_score 812, VmRSS 1843 MiB, cmdline "/www/wwwroot/anqicms/anqicms"',
      expect: { signal: 'SIGTERM', pid: 4242, process: 'anqicms', vmRssMib: 1843 },
    },
    {
      line: 'sending SIGTERM to process 4242 uid 0 "anqicms": oom_score 812, oom_score_adj 0, VmRSS 1843 MiB, cmdline "/www/wwwroot/anqicms/anqicms -port 8001"',
      expect: { signal: 'SIGTERM', pid: 4242, process: 'anqicms', vmRssMib: 1843 },
    },
    {
      line: 'sending SIGKILL to process 4242 uid 0 "anqicms": oom_score 812, oom_score_adj 0, badness 1887232 KiB, VmRSS 1843 MiB, ordering badness, cmdline "/www/wwwroot/anqicms/anqicms"',
      expect: { signal: 'SIGKILL', pid: 4242, process: 'anqicms', vmRssMib: 1843 },
    },
    {
      line: 'sending SIGTERM to process 77 uid 0 "sh": oom_score 5, VmRSS 1 MiB, cmdline "sh -c echo \\"x\\": badness 9, VmRSS 999 MiB"',
      expect: { process: 'sh', vmRssMib: 1 },
    },
    { line: 'sending 0 (no-op signal) to process 1 uid 0 "systemd": badness 0, VmRSS 11 MiB', expect: null },
    { line: 'escalating to SIGKILL after 0.5 seconds', expect: null },
  ],
};

export const earlyoomTable: RecogniserTable = {
  id: 'earlyoom',
  recognisers: [earlyoomKilled],
};

// ---- facebook oomd -------------------------------------------------------------------------------------------------

export const fbOomdKilled: Recogniser<FbOomdKilled> = {
  id: 'fboomd.killed',
  type: 'fboomd.killed',
  guard: 'oomd kill: ',
  // `oomd kill: <avg10> <avg60> <avg300> <cgroup> <size> …` — three pressures, then the cgroup (no leading slash).
  pattern: /^oomd kill: (?<pressures>[\d.]+ [\d.]+ [\d.]+) (?<cgroup>\S+)/,
  build: (g, record) => ({ type: 'fboomd.killed', record, cgroup: g.cgroup ?? '' }),
  samples: [
    {
      line: 'oomd kill: 81.28 80.05 42.78 user.slice/user-1000.slice/session-3.scope 1000 ruleset:[test]',
      expect: { cgroup: 'user.slice/user-1000.slice/session-3.scope' },
    },
    {
      line: 'oomd kill: 10.00 60.00 600.00 Evil  1999 detector:swap,12345MB killer:Evaporate ',
      expect: { cgroup: 'Evil' },
    },
  ],
};

export const fbOomdTable: RecogniserTable = {
  id: 'fboomd',
  recognisers: [fbOomdKilled],
};
