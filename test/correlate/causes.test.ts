// Every cause rule, decided in-process from a tiny log folder: literal guardian, app and kernel/system lines go
// through the real carriers, recognisers, clock and correlation, and the finding says which rule decided and why.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeathFinding } from '../../src/correlate/finding.js';
import { linesOf, ms, onlyDeath } from './log-folder.js';

/** cron's check.sh: alive at 10:03:01, gone at 10:04:01, back at 10:05:01. */
const CHECK_LOG = `
  20240723 10:01:01 anqicms PID check: 1
  20240723 10:02:01 anqicms PID check: 1
  20240723 10:03:01 anqicms PID check: 1
  20240723 10:04:01 anqicms PID check: 0
  20240723 10:05:01 anqicms PID check: 1
`;

/** AnQiCMS's running.log up to its last timed line (09:56:54); what it printed while dying follows. */
const LIFE = linesOf(`
  nohup: ignoring input
  2024/07/23 08:15:01 /www/wwwroot/www.example.com/
  Iris Version: 12.2.11

  Now listening on: http://localhost:8001
  Application started. Press CTRL+C to shut down.
  2024/07/23 08:15:02 请手动在浏览器输入访问地址： http://127.0.0.1:8001
  2024/07/23 09:41:28 sitemap 生成完成，共 936 条链接
  重载模板
  2024/07/23 09:56:54 推送百度: 成功 8 条
`);

/** The next life's startup banner, stamped `at` (HH:MM:SS on 2024-07-23). */
function restartAt(at: string): string[] {
  return [
    `2024/07/23 ${at} /www/wwwroot/www.example.com/`,
    'Iris Version: 12.2.11',
    '',
    'Now listening on: http://localhost:8001',
    'Application started. Press CTRL+C to shut down.',
  ];
}

/** A system log around the death with nothing about the app: cron runs start.sh every minute. */
const QUIET_SYSLOG = `
  Jul 23 10:00:01 web1 CRON[55385]: (root) CMD (/www/wwwroot/www.example.com/start.sh)
  Jul 23 10:03:01 web1 CRON[50462]: (root) CMD (/www/wwwroot/www.example.com/start.sh)
  Jul 23 10:04:01 web1 CRON[50277]: (root) CMD (/www/wwwroot/www.example.com/start.sh)
  Jul 23 10:10:01 web1 CRON[57644]: (root) CMD (/www/wwwroot/www.example.com/start.sh)
`;

const at = (hms: string) => ms(`2024-07-23T${hms}+08:00`);

/** The parts of a finding these tests compare. */
function decided(death: DeathFinding) {
  return {
    cause: death.verdict.cause,
    confidence: death.verdict.confidence,
    reason: death.verdict.reason,
    because: death.verdict.because.map((e) => e.role),
    missing: death.missing,
  };
}

// ---- oom-killer ----------------------------------------------------------------------------------------------------

test("the kernel's kill line for the app inside the guardian's window is oom-killer, confirmed, dated by the kill", () => {
  const death = onlyDeath({
    'check.log': CHECK_LOG,
    'running.log': [...LIFE, ...restartAt('10:04:01')],
    syslog: `
      Jul 23 10:03:01 web1 CRON[50462]: (root) CMD (/www/wwwroot/www.example.com/start.sh)
      Jul 23 10:03:46 web1 kernel: [283714.997871] anqicms invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0
      Jul 23 10:03:46 web1 kernel: [283714.997904] CPU: 1 PID: 23471 Comm: anqicms Not tainted 6.8.0-39-generic #39-Ubuntu
      Jul 23 10:03:47 web1 kernel: [283715.000379] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/cron.service,task=anqicms,pid=23456,uid=0
      Jul 23 10:03:47 web1 kernel: [283715.000412] Out of memory: Killed process 23456 (anqicms) total-vm:4123456kB, anon-rss:3987652kB, file-rss:1236kB, shmem-rss:0kB, UID:0 pgtables:7908kB oom_score_adj:0
      Jul 23 10:04:01 web1 CRON[50277]: (root) CMD (/www/wwwroot/www.example.com/start.sh)
    `,
  });
  assert.deepEqual(decided(death), {
    cause: 'oom-killer',
    confidence: 'confirmed',
    reason: { kind: 'kernel-kill', byOrder: false },
    because: ['oom-report', 'kill-record', 'kill-record'],
    missing: [],
  });
  assert.equal(death.pid, 23456);
  assert.equal(death.diedAtMs, at('10:03:47'));
  assert.equal(death.restartedAtMs, at('10:04:01'));
  assert.equal(death.oom?.anonRssKb, 3_987_652);
});

test('a kill someone asked for with SysRq-f is a deliberate stop, only likely', () => {
  // A second SysRq-f within seconds: the kernel rate-limits the report's header, the kill line still follows.
  const death = onlyDeath({
    'check.log': CHECK_LOG,
    'running.log': [...LIFE, ...restartAt('10:04:01')],
    syslog: `
      Jul 23 10:03:01 web1 CRON[50462]: (root) CMD (/www/wwwroot/www.example.com/start.sh)
      Jul 23 10:03:47 web1 kernel: [283714.990112] sysrq: Manual OOM execution
      Jul 23 10:03:47 web1 kernel: [283715.000412] Out of memory: Killed process 23456 (anqicms) total-vm:4123456kB, anon-rss:3987652kB, file-rss:1236kB, shmem-rss:0kB, UID:0 pgtables:7908kB oom_score_adj:0
      Jul 23 10:04:01 web1 CRON[50277]: (root) CMD (/www/wwwroot/www.example.com/start.sh)
    `,
  });
  assert.deepEqual(decided(death), {
    cause: 'stopped',
    confidence: 'likely',
    reason: { kind: 'manual-kill' },
    because: ['oom-report', 'kill-record'],
    missing: [],
  });
  assert.deepEqual(
    death.verdict.because.map((e) => e.fact.type),
    ['oom.manual', 'oom.killed'],
  );
  assert.equal(death.pid, 23456);
  assert.equal(death.diedAtMs, at('10:03:47'));
});

test("systemd's word that the kernel OOM-killed a process of the unit is oom-killer, and its restart is no stop", () => {
  const death = onlyDeath(
    {
      'running.log': [...LIFE, ...restartAt('10:03:52')],
      syslog: `
        Jul 23 10:00:01 web1 CRON[55385]: (root) CMD (/www/wwwroot/www.example.com/start.sh)
        Jul 23 10:03:47 web1 systemd[1]: anqicms.service: A process of this unit has been killed by the OOM killer.
        Jul 23 10:03:47 web1 systemd[1]: anqicms.service: Main process exited, code=killed, status=9/KILL
        Jul 23 10:03:47 web1 systemd[1]: anqicms.service: Failed with result 'oom-kill'.
        Jul 23 10:03:52 web1 systemd[1]: anqicms.service: Scheduled restart job, restart counter is at 1.
        Jul 23 10:03:52 web1 systemd[1]: Stopped anqicms.service - AnQiCMS.
        Jul 23 10:03:52 web1 systemd[1]: Started anqicms.service - AnQiCMS.
        Jul 23 10:10:01 web1 CRON[57644]: (root) CMD (/www/wwwroot/www.example.com/start.sh)
      `,
    },
    { app: 'anqicms' },
  );
  assert.deepEqual(decided(death), {
    cause: 'oom-killer',
    confidence: 'confirmed',
    reason: { kind: 'unit-oom' },
    because: ['kill-record'],
    missing: [],
  });
  assert.equal(death.verdict.because[0]?.fact.type, 'unit.oom');
  assert.equal(death.diedAtMs, at('10:03:47'));
  assert.equal(death.restartedAtMs, at('10:03:52'));
});

test('a kill in a dmesg capture with no boot time is tied to the death by order: likely, and the boot time is missing', () => {
  const death = onlyDeath({
    'check.log': CHECK_LOG,
    'running.log': [...LIFE, ...restartAt('10:04:01')],
    'dmesg.txt': `
      [283408.989854] [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:8e:1a:2b:fe:ee:0b:cb:66:71:08:00 SRC=218.92.0.112 DST=10.0.8.12 LEN=40 TOS=0x00 PREC=0x00 TTL=243 ID=64935 PROTO=TCP SPT=28759 DPT=23 WINDOW=1024 RES=0x00 SYN URGP=0
      [283714.997812] anqicms invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0
      [283715.000379] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/cron.service,task=anqicms,pid=23456,uid=0
      [283715.000412] Out of memory: Killed process 23456 (anqicms) total-vm:4123456kB, anon-rss:3987652kB, file-rss:1236kB, shmem-rss:0kB, UID:0 pgtables:7908kB oom_score_adj:0
    `,
  });
  assert.deepEqual(decided(death), {
    cause: 'oom-killer',
    confidence: 'likely',
    reason: { kind: 'kernel-kill', byOrder: true },
    because: ['oom-report', 'kill-record', 'kill-record'],
    missing: ['boot-time'],
  });
  assert.equal(death.pid, 23456);
  // The kill line cannot be placed: the guardian's window is all that dates the death.
  assert.ok(death.verdict.because.every((e) => e.atMs === null));
  assert.deepEqual(death.diedWithinMs, [at('10:03:01'), at('10:04:01')]);
  assert.equal(death.restartedAtMs, at('10:04:01'));
});

// ---- oom-daemon ----------------------------------------------------------------------------------------------------

test("earlyoom's SIGTERM outranks the shutdown line the app printed on it: oom-daemon, confirmed", () => {
  const death = onlyDeath({
    'check.log': CHECK_LOG,
    'running.log': [...LIFE, '退出 terminated', '监听到退出信号', ...restartAt('10:04:01')],
    syslog: `
      Jul 23 10:03:01 web1 CRON[45087]: (root) CMD (/www/wwwroot/www.example.com/start.sh)
      Jul 23 10:03:47 web1 earlyoom[812]: low memory! at or below SIGTERM limits: mem 10.00%, swap 10.00%
      Jul 23 10:03:47 web1 earlyoom[812]: sending SIGTERM to process 23456 uid 0 "anqicms": badness 880, VmRSS 3312 MiB
      Jul 23 10:03:47 web1 earlyoom[812]: process exited after 0.3 seconds
      Jul 23 10:04:01 web1 CRON[50277]: (root) CMD (/www/wwwroot/www.example.com/start.sh)
    `,
  });
  assert.deepEqual(decided(death), {
    cause: 'oom-daemon',
    confidence: 'confirmed',
    reason: { kind: 'daemon-kill' },
    because: ['kill-record'],
    missing: [],
  });
  assert.equal(death.verdict.because[0]?.fact.type, 'earlyoom.killed');
  assert.equal(death.pid, 23456);
  assert.equal(death.diedAtMs, at('10:03:47'));
  assert.equal(death.restartedAtMs, at('10:04:01'));
  // The shutdown line is still cited, as what the app printed — not as what decided.
  assert.ok(death.evidence.some((e) => e.role === 'dying-words' && e.text === '退出 terminated'));
});

test('systemd-oomd killing the unit under memory pressure is oom-daemon, and the restart is no stop', () => {
  const death = onlyDeath(
    {
      'running.log': [...LIFE, ...restartAt('10:03:52')],
      syslog: `
        Jul 23 10:00:01 web1 CRON[55385]: (root) CMD (/www/wwwroot/www.example.com/start.sh)
        Jul 23 10:03:47 web1 systemd-oomd[612]: Killed /system.slice/anqicms.service due to memory pressure for /system.slice/anqicms.service being 87.42% > 50.00% for > 20s with reclaim activity
        Jul 23 10:03:47 web1 systemd[1]: anqicms.service: systemd-oomd killed 1 process(es) in this unit.
        Jul 23 10:03:47 web1 systemd[1]: anqicms.service: Main process exited, code=killed, status=9/KILL
        Jul 23 10:03:47 web1 systemd[1]: anqicms.service: Failed with result 'oom-kill'.
        Jul 23 10:03:52 web1 systemd[1]: anqicms.service: Scheduled restart job, restart counter is at 1.
        Jul 23 10:03:52 web1 systemd[1]: Stopped anqicms.service - AnQiCMS.
        Jul 23 10:03:52 web1 systemd[1]: Started anqicms.service - AnQiCMS.
        Jul 23 10:10:01 web1 CRON[57644]: (root) CMD (/www/wwwroot/www.example.com/start.sh)
      `,
    },
    { app: 'anqicms' },
  );
  assert.deepEqual(decided(death), {
    cause: 'oom-daemon',
    confidence: 'confirmed',
    reason: { kind: 'daemon-kill' },
    because: ['kill-record', 'kill-record'],
    missing: [],
  });
  assert.deepEqual(
    death.verdict.because.map((e) => e.fact.type),
    ['oomd.killed', 'unit.oomd'],
  );
  assert.equal(death.diedAtMs, at('10:03:47'));
  assert.equal(death.restartedAtMs, at('10:03:52'));
});

// ---- runtime-oom ---------------------------------------------------------------------------------------------------

test("Go's `fatal error: runtime: out of memory` with no kill record in a covering syslog is runtime-oom, confirmed", () => {
  const death = onlyDeath({
    'check.log': CHECK_LOG,
    'running.log': [
      ...LIFE,
      'fatal error: runtime: out of memory',
      '',
      'runtime stack:',
      'runtime.throw({0x1c6b2e5?, 0x400000?})',
      '\t/usr/local/go/src/runtime/panic.go:1023 +0x5c fp=0x7f3a1dffad58 sp=0x7f3a1dffad28 pc=0x43e2dc',
      '',
      'goroutine 4127 gp=0xc0005a3dc0 m=9 mp=0xc000700008 [running]:',
      ...restartAt('10:04:01'),
    ],
    syslog: QUIET_SYSLOG,
  });
  assert.deepEqual(decided(death), {
    cause: 'runtime-oom',
    confidence: 'confirmed',
    reason: { kind: 'runtime-oom' },
    because: ['dying-words'],
    missing: [],
  });
  assert.equal(death.verdict.because[0]?.text, 'fatal error: runtime: out of memory');
  assert.equal(death.restartedAtMs, at('10:04:01'));
});

// ---- crash ---------------------------------------------------------------------------------------------------------

test('a Go panic in running.log with no kill record in a covering syslog is a crash, confirmed', () => {
  const death = onlyDeath({
    'check.log': CHECK_LOG,
    'running.log': [
      ...LIFE,
      'panic: runtime error: invalid memory address or nil pointer dereference',
      '[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x1a3f4c5]',
      '',
      'goroutine 2817 [running]:',
      'kandaoni.com/anqicms/provider.(*Website).PushArchive(0x0, 0xc0012e6480)',
      '\t/data/build/anqicms/provider/push.go:88 +0x45',
      ...restartAt('10:04:01'),
    ],
    syslog: QUIET_SYSLOG,
  });
  assert.deepEqual(decided(death), {
    cause: 'crash',
    confidence: 'confirmed',
    reason: { kind: 'panic' },
    because: ['dying-words'],
    missing: [],
  });
  assert.equal(
    death.verdict.because[0]?.text,
    'panic: runtime error: invalid memory address or nil pointer dereference',
  );
  assert.equal(death.restartedAtMs, at('10:04:01'));
});

test("the kernel's segfault line for the app inside the window is a crash, confirmed, dated by that line", () => {
  const death = onlyDeath({
    'check.log': CHECK_LOG,
    'running.log': [...LIFE, ...restartAt('10:04:01')],
    syslog: `
      Jul 23 10:03:01 web1 CRON[50462]: (root) CMD (/www/wwwroot/www.example.com/start.sh)
      Jul 23 10:03:47 web1 kernel: [283715.000412] anqicms[23456]: segfault at 8 ip 000000000046b1c2 sp 000000c000153e40 error 4 in anqicms[400000+e3d000] likely on CPU 1 (core 1, socket 0)
      Jul 23 10:04:01 web1 CRON[50277]: (root) CMD (/www/wwwroot/www.example.com/start.sh)
    `,
  });
  assert.deepEqual(decided(death), {
    cause: 'crash',
    confidence: 'confirmed',
    reason: { kind: 'crash-record' },
    because: ['crash-record'],
    missing: [],
  });
  assert.equal(death.diedAtMs, at('10:03:47'));
  assert.equal(death.restartedAtMs, at('10:04:01'));
});

// ---- stopped -------------------------------------------------------------------------------------------------------

test("the app's own shutdown line with no kill record in a covering syslog is stopped, confirmed", () => {
  const death = onlyDeath({
    'check.log': CHECK_LOG,
    'running.log': [...LIFE, '退出 terminated', '监听到退出信号', ...restartAt('10:04:01')],
    syslog: QUIET_SYSLOG,
  });
  assert.deepEqual(decided(death), {
    cause: 'stopped',
    confidence: 'confirmed',
    reason: { kind: 'shutdown-words' },
    because: ['dying-words'],
    missing: [],
  });
  assert.equal(death.verdict.because[0]?.text, '退出 terminated');
  assert.equal(death.restartedAtMs, at('10:04:01'));
});

test("old stop.sh's `PID check: <real pid>` before the cliff is stopped, confirmed, with that pid", () => {
  const death = onlyDeath({
    'check.log': `
      20240723 10:02:01 anqicms PID check: 1
      20240723 10:03:01 anqicms PID check: 1
      20240723 10:03:47 anqicms PID check: 23456
      20240723 10:04:01 anqicms PID check: 0
      20240723 10:05:01 anqicms PID check: 1
    `,
    'running.log': [...LIFE, ...restartAt('10:04:01')],
    syslog: QUIET_SYSLOG,
  });
  assert.deepEqual(decided(death), {
    cause: 'stopped',
    confidence: 'confirmed',
    reason: { kind: 'stop-record' },
    because: ['stop-record'],
    missing: [],
  });
  assert.equal(death.pid, 23456);
  assert.equal(death.diedAtMs, at('10:03:47'));
  assert.equal(death.restartedAtMs, at('10:04:01'));
});

test('systemd `Stopping`/`Stopped` for the unit with no kill record is stopped, confirmed', () => {
  const death = onlyDeath(
    {
      'running.log': [...LIFE, ...restartAt('10:03:54')],
      syslog: `
        Jul 23 10:00:04 web1 systemd[1]: sysstat-collect.service: Deactivated successfully.
        Jul 23 10:03:47 web1 systemd[1]: Stopping anqicms.service - AnQiCMS...
        Jul 23 10:03:47 web1 systemd[1]: anqicms.service: Deactivated successfully.
        Jul 23 10:03:47 web1 systemd[1]: Stopped anqicms.service - AnQiCMS.
        Jul 23 10:03:54 web1 systemd[1]: Started anqicms.service - AnQiCMS.
        Jul 23 10:10:01 web1 CRON[57644]: (root) CMD (/www/wwwroot/www.example.com/start.sh)
      `,
    },
    { app: 'anqicms' },
  );
  assert.deepEqual(decided(death), {
    cause: 'stopped',
    confidence: 'confirmed',
    reason: { kind: 'stop-record' },
    because: ['stop-record', 'stop-record'],
    missing: [],
  });
  assert.deepEqual(
    death.verdict.because.map((e) => e.fact.type),
    ['unit.stopping', 'unit.stopped'],
  );
  assert.equal(death.diedAtMs, at('10:03:47'));
  assert.equal(death.restartedAtMs, at('10:03:54'));
});

/** `oomsleuth guard`'s check.log around one death at 10:03:47 of pid 23456, restarted a second later. */
function guardCheckLog(diedLine: string): string[] {
  return [
    '20240723 10:02:01 anqicms PID check: 1',
    '20240723 10:03:01 anqicms PID check: 1',
    `20240723 10:03:47 anqicms died: ${diedLine}`,
    '20240723 10:03:48 anqicms restarted: pid 24210 (1s after the death)',
    '20240723 10:04:01 anqicms PID check: 1',
  ];
}

for (const signal of ['SIGTERM', 'SIGQUIT']) {
  test(`the guard's \`died: signal ${signal}\` line is someone else's stop: stopped, likely, the kernel log missing`, () => {
    const death = onlyDeath({
      'check.log': guardCheckLog(
        `signal ${signal} after 1h48m, pid 23456 — stopped (likely): ${signal} from someone else`,
      ),
      'running.log': [...LIFE, ...restartAt('10:03:48')],
    });
    assert.deepEqual(decided(death), {
      cause: 'stopped',
      confidence: 'likely',
      reason: { kind: 'stop-signal', signal },
      because: ['exit-status'],
      // earlyoom sends SIGTERM first: only the system log would tell.
      missing: ['kernel-log'],
    });
    assert.equal(death.pid, 23456);
    assert.equal(death.diedAtMs, at('10:03:47'));
    assert.equal(death.restartedAtMs, at('10:03:48'));
  });
}

// ---- what the exit status alone says -------------------------------------------------------------------------------

test("the guard's `died: signal SIGKILL` with no kernel log is unexplained, possible, and names the kernel log", () => {
  const death = onlyDeath({
    'check.log': guardCheckLog(
      'signal SIGKILL after 1h48m, pid 23456 — unexplained (possible): SIGKILL and nothing says who killed it',
    ),
    'running.log': [...LIFE, ...restartAt('10:03:48')],
  });
  assert.deepEqual(decided(death), {
    cause: 'unexplained',
    confidence: 'possible',
    reason: { kind: 'sigkill-unexplained' },
    because: ['exit-status'],
    missing: ['kernel-log'],
  });
  assert.equal(death.pid, 23456);
  assert.equal(death.diedAtMs, at('10:03:47'));
});

test("the guard's `died: signal SIGKILL` with a covering kernel log that holds no kill stays unexplained", () => {
  const death = onlyDeath({
    'check.log': guardCheckLog(
      'signal SIGKILL after 1h48m, pid 23456 — unexplained (possible): SIGKILL and no kernel OOM record',
    ),
    'running.log': [...LIFE, ...restartAt('10:03:48')],
    'kern.log': `
      Jul 23 10:00:18 web1 kernel: [283206.079546] [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:8e:1a:2b:fe:ee:0b:cb:66:71:08:00 SRC=45.148.10.192 DST=10.0.8.12 LEN=40 TOS=0x00 PREC=0x00 TTL=243 ID=64440 PROTO=TCP SPT=23884 DPT=23 WINDOW=1024 RES=0x00 SYN URGP=0
      Jul 23 10:07:20 web1 kernel: [283928.477404] [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:8e:1a:2b:fe:ee:0b:cb:66:71:08:00 SRC=80.66.83.44 DST=10.0.8.12 LEN=40 TOS=0x00 PREC=0x00 TTL=243 ID=41225 PROTO=TCP SPT=44807 DPT=6379 WINDOW=1024 RES=0x00 SYN URGP=0
    `,
  });
  assert.deepEqual(decided(death), {
    cause: 'unexplained',
    confidence: 'possible',
    reason: { kind: 'sigkill-unexplained' },
    because: ['exit-status'],
    missing: [],
  });
});

test("the guard's `died: exit code 2` with no last words is a crash, likely", () => {
  const death = onlyDeath({
    'check.log': guardCheckLog(
      'exit code 2 after 1h48m, pid 23456 — crash (likely): exit code 2 with no panic or fatal error in the app log',
    ),
    'running.log': [...LIFE, ...restartAt('10:03:48')],
  });
  assert.deepEqual(decided(death), {
    cause: 'crash',
    confidence: 'likely',
    reason: { kind: 'exit-code', code: 2 },
    because: ['exit-status'],
    missing: ['kernel-log'],
  });
  assert.equal(death.pid, 23456);
  assert.equal(death.diedAtMs, at('10:03:47'));
  assert.equal(death.restartedAtMs, at('10:03:48'));
});

// ---- unexplained ---------------------------------------------------------------------------------------------------

test('a cliff in running.log and a guardian restart with no kernel log is unexplained, and the kernel log is missing', () => {
  const death = onlyDeath({
    'check.log': `
      20240723 10:02:01 anqicms PID check: 1
      PID anqicms check: 1
      20240723 10:03:01 anqicms PID check: 1
      PID anqicms check: 1
      20240723 10:04:01 anqicms PID check: 0
      PID anqicms check: 0
      anqicms NOT running
      20240723 10:05:01 anqicms PID check: 1
      PID anqicms check: 1
    `,
    'running.log': [...LIFE, ...restartAt('10:04:01')],
  });
  assert.deepEqual(decided(death), {
    cause: 'unexplained',
    confidence: 'possible',
    reason: { kind: 'no-record' },
    because: [],
    missing: ['kernel-log'],
  });
  assert.equal(death.restartedAtMs, at('10:04:01'));
  const roles = new Set(death.evidence.map((e) => e.role));
  for (const role of [
    'guardian-last-alive',
    'guardian-first-dead',
    'guardian-restart',
    'app-last-line',
    'next-start',
  ])
    assert.ok(roles.has(role as never), `no ${role} cited`);
});

// ---- engine bugs found writing these tests: they fail until src/ is fixed ------------------------------------------

test("a SysRq-f kill with the kernel's full report (a kworker's `invoked oom-killer`, order=-1) is still a deliberate stop", () => {
  // What the kernel prints for SysRq-f: the sysrq line, then moom_callback's out_of_memory() dumps the usual
  // report from the kworker that ran it (order=-1), then the summary and the kill line.
  const death = onlyDeath({
    'check.log': CHECK_LOG,
    'running.log': [...LIFE, ...restartAt('10:04:01')],
    syslog: `
      Jul 23 10:03:01 web1 CRON[50462]: (root) CMD (/www/wwwroot/www.example.com/start.sh)
      Jul 23 10:03:46 web1 kernel: [283714.990112] sysrq: Manual OOM execution
      Jul 23 10:03:46 web1 kernel: [283714.997871] kworker/1:3 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=-1, oom_score_adj=0
      Jul 23 10:03:47 web1 kernel: [283715.000379] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/cron.service,task=anqicms,pid=23456,uid=0
      Jul 23 10:03:47 web1 kernel: [283715.000412] Out of memory: Killed process 23456 (anqicms) total-vm:4123456kB, anon-rss:3987652kB, file-rss:1236kB, shmem-rss:0kB, UID:0 pgtables:7908kB oom_score_adj:0
      Jul 23 10:04:01 web1 CRON[50277]: (root) CMD (/www/wwwroot/www.example.com/start.sh)
    `,
  });
  assert.equal(death.verdict.cause, 'stopped');
  assert.equal(death.verdict.confidence, 'likely');
  assert.deepEqual(death.verdict.reason, { kind: 'manual-kill' });
  assert.ok(death.verdict.because.some((e) => e.fact.type === 'oom.manual'));
});

test("cron's echoed `PID anqicms check: 1` lines leave the last stamped check as the last sign of life", () => {
  const stamped = [
    '20240723 10:01:01 anqicms PID check: 1',
    '20240723 10:02:01 anqicms PID check: 1',
    '20240723 10:03:01 anqicms PID check: 1',
    '20240723 10:04:01 anqicms PID check: 0',
    '20240723 10:05:01 anqicms PID check: 1',
  ];
  const running = [...LIFE, ...restartAt('10:04:01')];
  assert.deepEqual(onlyDeath({ 'check.log': stamped, 'running.log': running }).diedWithinMs, [
    at('10:03:01'),
    at('10:04:01'),
  ]);
  // The same checks with cron's stdout redirected into the file: each stamped check is echoed unstamped.
  const echoed = onlyDeath({
    'check.log': `
      20240723 10:01:01 anqicms PID check: 1
      PID anqicms check: 1
      20240723 10:02:01 anqicms PID check: 1
      PID anqicms check: 1
      20240723 10:03:01 anqicms PID check: 1
      PID anqicms check: 1
      20240723 10:04:01 anqicms PID check: 0
      PID anqicms check: 0
      anqicms NOT running
      20240723 10:05:01 anqicms PID check: 1
      PID anqicms check: 1
    `,
    'running.log': running,
  });
  assert.deepEqual(echoed.diedWithinMs, [at('10:03:01'), at('10:04:01')]);
});
