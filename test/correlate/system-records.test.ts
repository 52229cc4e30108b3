// Deaths the service manager and the kernel recorded, decided in-process: systemd's and upstart's exit lines, the
// kernel's segfault lines with their audit record, and the restarts systemd, upstart and the app's own banner show —
// with no guardian log, and with none of the app's output unless a test says so.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeathFinding } from '../../src/correlate/finding.js';
import { linesOf, ms, onlyDeath, readFolder } from './log-folder.js';

const at = (hms: string) => ms(`2024-07-23T${hms}+08:00`);

function decided(death: DeathFinding) {
  return {
    cause: death.verdict.cause,
    confidence: death.verdict.confidence,
    reason: death.verdict.reason,
    because: death.verdict.because.map((e) => e.role),
  };
}

/** Noise around the death, so the syslog covers it. */
const BEFORE = `
  Jul 23 10:00:01 web1 CRON[55385]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)
  Jul 23 10:01:44 web1 sshd[44477]: Accepted publickey for root from 203.0.113.7 port 60677 ssh2
`;
const AFTER = `
  Jul 23 10:07:12 web1 sshd[50091]: Disconnected from authenticating user root 185.220.101.34 port 32588 [preauth]
`;
const syslog = (lines: string) => [...linesOf(BEFORE), ...linesOf(lines), ...linesOf(AFTER)];

// ---- systemd's exit line -------------------------------------------------------------------------------------------

test('systemd `code=dumped, status=11/SEGV` alone is a death: crash, confirmed, restarted by `Started`', () => {
  const death = onlyDeath(
    {
      syslog: syslog(`
        Jul 23 10:03:47 web1 systemd[1]: anqicms.service: Main process exited, code=dumped, status=11/SEGV
        Jul 23 10:03:47 web1 systemd[1]: anqicms.service: Failed with result 'core-dump'.
        Jul 23 10:03:52 web1 systemd[1]: anqicms.service: Scheduled restart job, restart counter is at 1.
        Jul 23 10:03:52 web1 systemd[1]: Stopped anqicms.service - AnQiCMS.
        Jul 23 10:03:52 web1 systemd[1]: Started anqicms.service - AnQiCMS.
      `),
    },
    { app: 'anqicms' },
  );
  assert.deepEqual(decided(death), {
    cause: 'crash',
    confidence: 'confirmed',
    reason: { kind: 'fault-signal', signal: 'SIGSEGV' },
    because: ['exit-status'],
  });
  assert.equal(death.diedAtMs, at('10:03:47'));
  assert.equal(death.restartedAtMs, at('10:03:52'));
  // A record alone dates the death; nothing bounds a window.
  assert.equal(death.diedWithinMs, null);
  assert.equal(death.pid, null);
  // The restart's `Stopped` is no deliberate stop.
  assert.ok(!death.evidence.some((e) => e.role === 'stop-record'));
});

test('systemd `code=killed, status=9/KILL` with no kernel record in a covering syslog is unexplained, possible', () => {
  const death = onlyDeath(
    {
      syslog: syslog(`
        Jul 23 10:03:47 web1 systemd[1]: anqicms.service: Main process exited, code=killed, status=9/KILL
        Jul 23 10:03:47 web1 systemd[1]: anqicms.service: Failed with result 'signal'.
        Jul 23 10:03:52 web1 systemd[1]: anqicms.service: Scheduled restart job, restart counter is at 1.
        Jul 23 10:03:52 web1 systemd[1]: Started anqicms.service - AnQiCMS.
      `),
    },
    { app: 'anqicms' },
  );
  assert.deepEqual(decided(death), {
    cause: 'unexplained',
    confidence: 'possible',
    reason: { kind: 'sigkill-unexplained' },
    because: ['exit-status'],
  });
  assert.deepEqual(death.missing, ['guardian-log', 'app-log']);
  assert.equal(death.restartedAtMs, at('10:03:52'));
});

test("the kernel's OOM kill of the unit's process outranks systemd's SIGKILL exit: one death, oom-killer", () => {
  const { deaths } = readFolder(
    {
      syslog: syslog(`
        Jul 23 10:03:46 web1 kernel: [283714.997871] anqicms invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0
        Jul 23 10:03:47 web1 kernel: [283715.000412] Out of memory: Killed process 23456 (anqicms) total-vm:4123456kB, anon-rss:3987652kB, file-rss:1236kB, shmem-rss:0kB, UID:0 pgtables:7908kB oom_score_adj:0
        Jul 23 10:03:47 web1 systemd[1]: anqicms.service: Main process exited, code=killed, status=9/KILL
        Jul 23 10:03:47 web1 systemd[1]: anqicms.service: Failed with result 'signal'.
        Jul 23 10:03:52 web1 systemd[1]: Started anqicms.service - AnQiCMS.
      `),
    },
    { app: 'anqicms' },
  ).findings;
  assert.equal(deaths.length, 1);
  const death = deaths[0]!;
  assert.equal(death.verdict.cause, 'oom-killer');
  assert.equal(death.verdict.confidence, 'confirmed');
  assert.equal(death.pid, 23456);
  assert.equal(death.restartedAtMs, at('10:03:52'));
});

test('systemd `code=exited, status=2/INVALIDARGUMENT` (a Go panic exits 2) with no app log is a crash, likely', () => {
  const death = onlyDeath(
    {
      syslog: syslog(`
        Jul 23 10:03:47 web1 systemd[1]: anqicms.service: Main process exited, code=exited, status=2/INVALIDARGUMENT
        Jul 23 10:03:47 web1 systemd[1]: anqicms.service: Failed with result 'exit-code'.
      `),
    },
    { app: 'anqicms' },
  );
  assert.deepEqual(decided(death), {
    cause: 'crash',
    confidence: 'likely',
    reason: { kind: 'exit-code', code: 2 },
    because: ['exit-status'],
  });
  assert.equal(death.restartedAtMs, null);
});

test('`Stopping`, then the SIGKILL after the stop timeout, then `Stopped` is one deliberate stop', () => {
  const death = onlyDeath(
    {
      syslog: syslog(`
        Jul 23 10:02:17 web1 systemd[1]: Stopping anqicms.service - AnQiCMS...
        Jul 23 10:03:47 web1 systemd[1]: anqicms.service: State 'stop-sigterm' timed out. Killing.
        Jul 23 10:03:47 web1 systemd[1]: anqicms.service: Main process exited, code=killed, status=9/KILL
        Jul 23 10:03:47 web1 systemd[1]: anqicms.service: Failed with result 'timeout'.
        Jul 23 10:03:47 web1 systemd[1]: Stopped anqicms.service - AnQiCMS.
      `),
    },
    { app: 'anqicms' },
  );
  assert.deepEqual(decided(death), {
    cause: 'stopped',
    confidence: 'confirmed',
    reason: { kind: 'stop-record' },
    because: ['stop-record', 'stop-record'],
  });
});

test('systemd 219: description-only job lines after `holdoff time over` are the unit restarting, not a stop', () => {
  // The shape of systemd/systemd#13574's paste.
  const death = onlyDeath(
    {
      messages: [
        'Jul 23 10:01:12 web1 systemd: Started Session 41 of user root.',
        'Jul 23 10:03:47 web1 systemd: anqicms.service: main process exited, code=killed, status=9/KILL',
        'Jul 23 10:03:47 web1 systemd: Unit anqicms.service entered failed state.',
        'Jul 23 10:03:47 web1 systemd: anqicms.service failed.',
        'Jul 23 10:03:52 web1 systemd: anqicms.service holdoff time over, scheduling restart.',
        'Jul 23 10:03:52 web1 systemd: Stopping CMS for www.example.com...',
        'Jul 23 10:03:52 web1 systemd: Starting CMS for www.example.com...',
        'Jul 23 10:03:52 web1 systemd: Started CMS for www.example.com.',
        'Jul 23 10:05:01 web1 systemd: Started Session 42 of user root.',
      ],
    },
    { app: 'anqicms' },
  );
  assert.deepEqual(decided(death), {
    cause: 'unexplained',
    confidence: 'possible',
    reason: { kind: 'sigkill-unexplained' },
    because: ['exit-status'],
  });
  assert.equal(death.restartedAtMs, at('10:03:52'));
  assert.ok(!death.evidence.some((e) => e.role === 'stop-record'));
});

test("a description is the app's unit when its first word is the app's name: `Started AnQiCMS.` dates the restart", () => {
  const death = onlyDeath(
    {
      syslog: syslog(`
        Jul 23 10:03:47 web1 systemd[1]: anqicms.service: Main process exited, code=dumped, status=6/ABRT
        Jul 23 10:04:30 web1 systemd[1]: Starting Daily apt upgrade and clean activities...
        Jul 23 10:05:00 web1 systemd[1]: Started AnQiCMS.
      `),
    },
    { app: 'anqicms' },
  );
  assert.equal(death.verdict.cause, 'crash');
  assert.equal(death.restartedAtMs, at('10:05:00'));
});

test('a systemd exit inside the guardian window joins that death: one death, decided by the exit status', () => {
  const death = onlyDeath({
    'check.log': `
      20240723 10:02:01 anqicms PID check: 1
      20240723 10:03:01 anqicms PID check: 1
      20240723 10:04:01 anqicms PID check: 0
      20240723 10:05:01 anqicms PID check: 1
    `,
    syslog: syslog(`
      Jul 23 10:03:47 web1 systemd[1]: anqicms.service: Main process exited, code=dumped, status=11/SEGV
      Jul 23 10:03:47 web1 systemd[1]: anqicms.service: Failed with result 'core-dump'.
    `),
  });
  assert.equal(death.verdict.cause, 'crash');
  assert.equal(death.diedAtMs, at('10:03:47'));
  assert.deepEqual(death.diedWithinMs, [at('10:03:01'), at('10:04:01')]);
});

// ---- upstart -------------------------------------------------------------------------------------------------------

test("upstart's `main process (N) killed by SEGV signal` is a crash of pid N, respawned", () => {
  const death = onlyDeath(
    {
      syslog: syslog(`
        Jul 23 10:03:47 web1 kernel: [283715.000412] init: anqicms main process (23456) killed by SEGV signal
        Jul 23 10:03:47 web1 kernel: [283715.000433] init: anqicms main process ended, respawning
      `),
    },
    { app: 'anqicms' },
  );
  assert.deepEqual(decided(death), {
    cause: 'crash',
    confidence: 'confirmed',
    reason: { kind: 'fault-signal', signal: 'SIGSEGV' },
    because: ['exit-status'],
  });
  assert.equal(death.pid, 23456);
  assert.equal(death.restartedAtMs, at('10:03:47'));
});

test("upstart's SIGKILL of pid N with the kernel's OOM kill of pid N is one death: oom-killer", () => {
  const { deaths } = readFolder(
    {
      syslog: syslog(`
        Jul 23 10:03:47 web1 kernel: [283715.000412] Out of memory: Kill process 23456 (anqicms) score 912 or sacrifice child
        Jul 23 10:03:47 web1 kernel: [283715.000415] Killed process 23456 (anqicms) total-vm:4123456kB, anon-rss:3987652kB, file-rss:1236kB
        Jul 23 10:03:47 web1 init: anqicms main process (23456) killed by KILL signal
        Jul 23 10:03:47 web1 init: anqicms main process ended, respawning
      `),
    },
    { app: 'anqicms' },
  ).findings;
  assert.equal(deaths.length, 1);
  assert.equal(deaths[0]!.verdict.cause, 'oom-killer');
  assert.equal(deaths[0]!.pid, 23456);
  assert.equal(deaths[0]!.restartedAtMs, at('10:03:47'));
});

test("upstart's `terminated with status 2` of another job is not the app's death", () => {
  const { deaths } = readFolder(
    {
      syslog: syslog(`
        Jul 23 10:03:47 web1 init: ulatencyd main process (6632) terminated with status 1
        Jul 23 10:03:47 web1 init: ulatencyd main process ended, respawning
      `),
    },
    { app: 'anqicms' },
  ).findings;
  assert.equal(deaths.length, 0);
});

// ---- the kernel's segfault lines -----------------------------------------------------------------------------------

test("a named thread's segfault in a library is the app's through audit's record: pid from it, not the thread id", () => {
  const death = onlyDeath(
    {
      'kern.log': [
        'Jul 23 10:01:02 web1 kernel: [283550.001100] [UFW BLOCK] IN=eth0 OUT= SRC=80.66.83.44 DST=10.0.8.12 LEN=40 PROTO=TCP SPT=51997 DPT=23',
        'Jul 23 10:03:47 web1 kernel: [283715.000412] img-worker[23471]: segfault at 7f61f67fb990 ip 00007f623575ade4 sp 00007f6234c3b6d0 error 4 in libc.so.6[72de4,7f62356e8000+16f000] likely on CPU 1 (core 1, socket 0)',
        'Jul 23 10:03:47 web1 kernel: [283715.000520] audit: type=1701 audit(1721700227.512:41): auid=4294967295 uid=0 gid=0 ses=4294967295 subj=unconfined pid=23456 comm="img-worker" exe="/www/wwwroot/anqicms/anqicms" sig=11 res=1',
        'Jul 23 10:07:20 web1 kernel: [283928.964220] [UFW BLOCK] IN=eth0 OUT= SRC=218.92.0.112 DST=10.0.8.12 LEN=40 PROTO=TCP SPT=42520 DPT=3389',
      ],
    },
    { app: 'anqicms' },
  );
  assert.deepEqual(decided(death), {
    cause: 'crash',
    confidence: 'confirmed',
    reason: { kind: 'crash-record' },
    because: ['crash-record'],
  });
  assert.equal(death.pid, 23456);
});

test("a named thread's segfault in the app's own binary is the app's crash", () => {
  const death = onlyDeath(
    {
      syslog: syslog(`
        Jul 23 10:03:47 web1 kernel: [283715.000412] anqicms-cron[23470]: segfault at 8 ip 000000000046b1c2 sp 000000c000153e40 error 4 in anqicms[400000+e3d000] likely on CPU 1 (core 1, socket 0)
      `),
    },
    { app: 'anqicms' },
  );
  assert.equal(death.verdict.cause, 'crash');
  // The thread's id is not the process's.
  assert.equal(death.pid, null);
});

test("another program's segfault is no death of the app", () => {
  const { deaths } = readFolder(
    {
      syslog: syslog(`
        Jul 23 10:03:47 web1 kernel: [283715.000412] php-fpm[812]: segfault at 7ffd3b1f8ff8 ip 00007f2a1c0b4f2e sp 00007ffd3b1f9000 error 6 in libphp.so[7f2a1be00000+5d2000]
      `),
    },
    { app: 'anqicms' },
  ).findings;
  assert.equal(deaths.length, 0);
});

test('the segfault line, the audit record and the unit exit of one crash are one death', () => {
  const death = onlyDeath(
    {
      syslog: syslog(`
        Jul 23 10:03:47 web1 kernel: [283715.000412] anqicms[23456]: segfault at 8 ip 000000000046b1c2 sp 000000c000153e40 error 4 in anqicms[400000+e3d000]
        Jul 23 10:03:47 web1 kernel: [283715.000520] audit: type=1701 audit(1721700227.512:41): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=23456 comm="anqicms" exe="/www/wwwroot/anqicms/anqicms" sig=11 res=1
        Jul 23 10:04:09 web1 systemd[1]: anqicms.service: Main process exited, code=dumped, status=11/SEGV
        Jul 23 10:04:14 web1 systemd[1]: anqicms.service: Scheduled restart job, restart counter is at 1.
        Jul 23 10:04:14 web1 systemd[1]: Started anqicms.service - AnQiCMS.
      `),
    },
    { app: 'anqicms' },
  );
  assert.equal(death.verdict.cause, 'crash');
  assert.equal(death.verdict.reason.kind, 'crash-record');
  assert.equal(death.pid, 23456);
  assert.equal(death.diedAtMs, at('10:03:47'));
  assert.equal(death.restartedAtMs, at('10:04:14'));
});

// ---- the records and the OOM kills -------------------------------------------------------------------------------

test('an OOM kill that cannot be placed in time is not pinned by order on a death systemd saw end in SIGSEGV', () => {
  const { deaths } = readFolder(
    {
      'dmesg.txt': [
        '[283714.997812] anqicms invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0',
        '[283715.000412] Out of memory: Killed process 23456 (anqicms) total-vm:4123456kB, anon-rss:3987652kB, file-rss:1236kB, shmem-rss:0kB, UID:0 pgtables:7908kB oom_score_adj:0',
      ],
      messages: [
        'Jul 23 10:01:01 web1 systemd: Started Session 3814 of user root.',
        'Jul 23 10:03:48 web1 systemd: anqicms.service: main process exited, code=dumped, status=11/SEGV',
        'Jul 23 10:03:48 web1 systemd: Unit anqicms.service entered failed state.',
        'Jul 23 10:10:01 web1 systemd: Started Session 3816 of user root.',
      ],
    },
    { app: 'anqicms' },
  ).findings;
  const causes = deaths.map((d) => `${d.verdict.cause}/${d.verdict.confidence}`).sort();
  assert.deepEqual(causes, ['crash/confirmed', 'oom-killer/confirmed']);
});

test("a kernel OOM kill with no exit line is restarted by the unit's next `Started`", () => {
  const death = onlyDeath(
    {
      syslog: syslog(`
        Jul 23 10:03:47 web1 kernel: [283715.000412] Out of memory: Killed process 23456 (anqicms) total-vm:4123456kB, anon-rss:3987652kB, file-rss:1236kB, shmem-rss:0kB, UID:0 pgtables:7908kB oom_score_adj:0
        Jul 23 10:03:52 web1 systemd[1]: Started anqicms.service - AnQiCMS.
      `),
    },
    { app: 'anqicms' },
  );
  assert.equal(death.verdict.cause, 'oom-killer');
  assert.equal(death.restartedAtMs, at('10:03:52'));
});

// ---- systemd's clean end -------------------------------------------------------------------------------------------

test('systemd 240–246: `Stopping <description>...`, `x.service: Succeeded.`, `Stopped …` is a deliberate stop', () => {
  const death = onlyDeath(
    {
      syslog: syslog(`
        Jul 23 10:03:47 web1 systemd[1]: Stopping CMS for www.example.com...
        Jul 23 10:03:47 web1 systemd[1]: anqicms.service: Succeeded.
        Jul 23 10:03:47 web1 systemd[1]: Stopped CMS for www.example.com.
        Jul 23 10:03:49 web1 systemd[1]: Starting CMS for www.example.com...
        Jul 23 10:03:49 web1 systemd[1]: Started CMS for www.example.com.
      `),
    },
    { app: 'anqicms' },
  );
  assert.deepEqual(decided(death), {
    cause: 'stopped',
    confidence: 'confirmed',
    reason: { kind: 'stop-record' },
    because: ['stop-record', 'stop-record'],
  });
  assert.equal(death.restartedAtMs, at('10:03:49'));
});

test('`Deactivated successfully.` with no stop before it is a death nothing explains', () => {
  const death = onlyDeath(
    {
      syslog: syslog(`
        Jul 23 10:03:47 web1 systemd[1]: anqicms.service: Deactivated successfully.
        Jul 23 10:03:47 web1 systemd[1]: anqicms.service: Consumed 11min 2.304s CPU time.
        Jul 23 10:05:00 web1 systemd[1]: Started anqicms.service - AnQiCMS.
      `),
    },
    { app: 'anqicms' },
  );
  assert.equal(death.verdict.cause, 'unexplained');
  assert.equal(death.verdict.reason.kind, 'no-record');
  assert.equal(death.diedAtMs, at('10:03:47'));
  assert.equal(death.restartedAtMs, at('10:05:00'));
});

test('a large victim reaped seconds after the OOM kill: the kill and the SIGKILL exit are one death', () => {
  const { deaths } = readFolder(
    {
      syslog: syslog(`
        Jul 23 10:03:40 web1 kernel: [283708.000412] Out of memory: Killed process 23456 (anqicms) total-vm:31234567kB, anon-rss:29876543kB, file-rss:1236kB, shmem-rss:0kB, UID:0 pgtables:60908kB oom_score_adj:0
        Jul 23 10:03:47 web1 systemd[1]: anqicms.service: Main process exited, code=killed, status=9/KILL
        Jul 23 10:03:47 web1 systemd[1]: anqicms.service: Failed with result 'signal'.
      `),
    },
    { app: 'anqicms' },
  ).findings;
  assert.deepEqual(
    deaths.map((d) => [d.verdict.cause, d.pid, d.diedAtMs]),
    [['oom-killer', 23456, at('10:03:40')]],
  );
});

test("the kernel's `traps:` general protection line for the app is a crash, as its segfault line is", () => {
  const death = onlyDeath(
    {
      syslog: syslog(`
        Jul 23 10:03:47 web1 kernel: [283715.000412] traps: anqicms[23456] general protection fault ip:46b1c2 sp:c000153e40 error:0 in anqicms[400000+e3d000]
      `),
    },
    { app: 'anqicms' },
  );
  assert.equal(death.verdict.cause, 'crash');
  assert.equal(death.verdict.reason.kind, 'crash-record');
  assert.equal(death.pid, 23456);
});

test("upstart's `killed by TERM signal` with no stop recorded is someone else's stop: stopped, likely", () => {
  const death = onlyDeath(
    {
      syslog: syslog(`
        Jul 23 10:03:47 web1 kernel: [283715.000412] init: anqicms main process (23456) killed by TERM signal
        Jul 23 10:03:47 web1 kernel: [283715.000433] init: anqicms main process ended, respawning
      `),
    },
    { app: 'anqicms' },
  );
  assert.deepEqual(decided(death), {
    cause: 'stopped',
    confidence: 'likely',
    reason: { kind: 'stop-signal', signal: 'SIGTERM' },
    because: ['exit-status'],
  });
  assert.equal(death.pid, 23456);
});

test("with the app in focus, the scan keeps none of another unit's job and clean-end lines, and all of the app's", () => {
  const { sources } = readFolder(
    {
      syslog: syslog(`
        Jul 23 10:00:04 web1 systemd[1]: Starting sysstat-collect.service - system activity accounting tool...
        Jul 23 10:00:04 web1 systemd[1]: sysstat-collect.service: Deactivated successfully.
        Jul 23 10:01:44 web1 systemd[1]: Started session-1234.scope - Session 1234 of User root.
        Jul 23 10:03:47 web1 systemd[1]: anqicms.service: Main process exited, code=dumped, status=6/ABRT
        Jul 23 10:03:47 web1 systemd[1]: anqicms.service: Deactivated successfully.
        Jul 23 10:03:52 web1 systemd[1]: Stopped anqicms.service - AnQiCMS.
        Jul 23 10:03:52 web1 systemd[1]: Starting anqicms.service - AnQiCMS...
        Jul 23 10:03:52 web1 systemd[1]: Started anqicms.service - AnQiCMS.
        Jul 23 10:05:00 web1 systemd[1]: Started Session 42 of user root.
      `),
    },
    { app: 'anqicms' },
  );
  const units = sources[0]!.observations
    .map((o) => o.event)
    .flatMap((e) => (e.type.startsWith('unit.') && 'unit' in e ? [`${e.type} ${e.unit}`] : []));
  assert.deepEqual(units, [
    'unit.exited anqicms.service',
    'unit.deactivated anqicms.service',
    'unit.stopped anqicms.service',
    'unit.starting anqicms.service',
    'unit.started anqicms.service',
    // A description: which unit it is, is told after the scan.
    'unit.started Session 42 of user root',
  ]);
});
