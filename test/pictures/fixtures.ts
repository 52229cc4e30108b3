// Hand-made analyses and incidents for the picture tests: a death whose log lines try to become markup, script and
// terminal colours; a diagnosis; memory samples; a kernel OOM report with its task table.
import type { Analysis, Incident, IncidentDiagnosis } from '../../src/contract/analysis.js';
import type { DeathExtras } from '../../src/pictures/model.js';

/** Each of these must show as text, never run or render. */
export const HOSTILE_TEXT =
  '<script>window.pwned=1</script><img src=x onerror="window.pwned=2"> \u001b[31mRED\u001b[0m';

export function hostileIncident(over: Partial<Incident> = {}): Incident {
  return {
    process: 'anqicms',
    pid: 18734,
    diedAt: '2024-07-23T10:03:47+08:00',
    diedWithin: ['2024-07-23T10:03:01+08:00', '2024-07-23T10:04:01+08:00'],
    restartedAt: '2024-07-23T10:04:01+08:00',
    cause: 'oom-killer',
    confidence: 'confirmed',
    oom: {
      scope: 'global',
      cgroup: null,
      invokedBy: 'anqicms',
      totalVmKb: 3921880,
      anonRssKb: 3541204,
      fileRssKb: 2148,
      shmemRssKb: 0,
      oomScoreAdj: 0,
    },
    missing: [],
    evidence: [
      {
        source: 'logs/running.log',
        line: 41,
        time: '2024-07-23T10:03:40+08:00',
        text: HOSTILE_TEXT,
        says: 'last line the app wrote before it died',
      },
      {
        source: 'logs/syslog',
        line: 857,
        time: '2024-07-23T10:03:47+08:00',
        text: 'Jul 23 10:03:47 vps kernel: Out of memory: Killed process 18734 (anqicms) total-vm:3921880kB, anon-rss:3541204kB, file-rss:2148kB, shmem-rss:0kB',
        says: 'kernel OOM kill of pid 18734 (anqicms), anon-rss 3.4 GiB',
      },
    ],
    ...over,
  };
}

/** A diagnosis as helper A's incidents carry it (an added field of the incident). */
export const DIAGNOSIS: IncidentDiagnosis = {
  kind: 'leak',
  summary: 'Memory grew steadily for 3 hours until the kernel killed it <b>not bold</b>.',
  because: [
    { source: 'guard memory samples', line: null, says: 'RSS rose 1.1 GiB per hour' },
    {
      source: 'logs/syslog',
      line: 42,
      says: 'no other process held much memory <img src=x onerror=alert(1)>',
    },
  ],
  advice: ['Look for a leak in the request path', 'Set --memory-limit to contain it'],
};

export const TASK_BLOCK_LINES = [
  'Jul 23 10:03:46 vps kernel: [283714.997838] anqicms invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0',
  'Jul 23 10:03:46 vps kernel: [283714.999917] Tasks state (memory values in pages):',
  'Jul 23 10:03:46 vps kernel: [283714.999950] [  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name',
  'Jul 23 10:03:46 vps kernel: [283714.999983] [    398]     0   398    12605      640      384      256         0   106496        0          -250 systemd-journal',
  'Jul 23 10:03:47 vps kernel: [283715.000214] [    901]   113   901   459112   104384   101232     3152         0  1212416        0             0 mysqld',
  'Jul 23 10:03:47 vps kernel: [283715.000215] [    902]   113   902   459112     1000      900      100         0  1212416        0             0 <img src=x onerror=alert(1)>',
  'Jul 23 10:03:47 vps kernel: [283715.000346] [  18734]     0 18734   980470   885838   885301      537         0  7589888        0             0 anqicms',
  'Jul 23 10:03:47 vps kernel: [283715.000412] Out of memory: Killed process 18734 (anqicms) total-vm:3921880kB, anon-rss:3541204kB, file-rss:2148kB, shmem-rss:0kB, UID:0 pgtables:7412kB oom_score_adj:0',
];

export function hostileExtras(): DeathExtras {
  const start = Date.parse('2024-07-23T10:00:00+08:00');
  return {
    oomBlock: TASK_BLOCK_LINES.map((text, n) => ({ source: 'logs/syslog', line: 779 + n, text })),
    appTail: [{ source: 'logs/running.log', line: 41, text: HOSTILE_TEXT }],
    guardian: [{ source: 'logs/check.log', line: 604, text: '20240723 10:03:01 anqicms PID check: 1' }],
    memory: Array.from({ length: 40 }, (_, n) => ({
      at: new Date(start + n * 5_000).toISOString(),
      rssKb: 1_000_000 + n * 60_000,
      hwmKb: 1_000_000 + n * 60_000,
      cgroupUsageKb: null,
    })),
  };
}

export function hostileAnalysis(): Analysis {
  return {
    schema: 'oomsleuth.analysis/1',
    app: 'anqicms',
    generatedAt: '2024-07-24T09:00:00+08:00',
    sources: [
      {
        path: 'logs/<b>syslog</b>',
        kind: 'system',
        format: 'syslog-rfc3164',
        lines: 1200,
        first: '2024-07-23T00:00:01+08:00',
        last: '2024-07-23T23:59:01+08:00',
        problems: [],
        notes: ['year 2024 inferred from logs/check.log'],
      },
    ],
    incidents: [
      hostileIncident({ diagnosis: DIAGNOSIS }),
      hostileIncident({
        cause: 'crash',
        pid: null,
        oom: null,
        diedAt: '2024-07-23T15:00:01+08:00',
        diedWithin: ['2024-07-23T14:59:01+08:00', '2024-07-23T15:00:01+08:00'],
        restartedAt: '2024-07-23T15:00:01+08:00',
      }),
    ],
    otherOomKills: [
      { process: 'cwebp', pid: 5000, at: '2024-07-23T12:00:00+08:00', scope: 'global', anonRssKb: 1000 },
    ],
  };
}
