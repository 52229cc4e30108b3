// One story across the tools (issue 9, class 8): analyze on a folder oomsleuth guard wrote reads its death lines with
// their pid and verdict, its own stops and incidents.jsonl, and never pins a death on another copy's kill.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { linesOf, ms, onlyDeath, readFolder } from './log-folder.js';

const at = (hms: string) => ms(`2024-07-23T${hms}+08:00`);

/** AnQiCMS's running.log from its 08:15 start to its last timed line at 09:56:54. */
const LIFE = linesOf(`
  2024/07/23 08:15:01 /www/wwwroot/a.example.com/
  Iris Version: 12.2.11

  Now listening on: http://localhost:8001
  Application started. Press CTRL+C to shut down.
  2024/07/23 09:56:54 推送百度: 成功 8 条
`);

const RESTART = linesOf(`
  2024/07/23 10:03:48 /www/wwwroot/a.example.com/
  Iris Version: 12.2.11

  Now listening on: http://localhost:8001
  Application started. Press CTRL+C to shut down.
`);

const MEMCG_A = '/system.slice/oomsleuth-guard-2950-anqicms-lyx07qd';

/** The guard's check.log for one life of pid 4242 ending at 10:03:47 as `died`, restarted as pid 4301. */
function guardLog(died: string, before: readonly string[] = []): string[] {
  return [
    `20240723 08:15:01 anqicms started: pid 4242 in memory cgroup ${MEMCG_A}`,
    '20240723 10:02:01 anqicms PID check: 1',
    '20240723 10:03:01 anqicms PID check: 1',
    ...before,
    `20240723 10:03:47 anqicms died: ${died}`,
    '20240723 10:03:48 anqicms restarted: pid 4301 (0.03s after the death)',
    '20240723 10:04:01 anqicms PID check: 1',
  ];
}

test("with no kernel log, the guard's recorded `oom-killer (confirmed)` (its memcg counter) is analyze's verdict too", () => {
  const death = onlyDeath({
    'check.log': guardLog(
      `signal SIGKILL after 1h48m, pid 4242 — oom-killer (confirmed): oom_kill of memory cgroup ${MEMCG_A} rose 0→1 (kernel log not readable: permission denied)`,
    ),
    'running.log': [...LIFE, ...RESTART],
  });
  assert.equal(death.verdict.cause, 'oom-killer');
  assert.equal(death.verdict.confidence, 'confirmed');
  assert.deepEqual(death.verdict.reason, { kind: 'recorded-verdict' });
  assert.deepEqual(
    death.verdict.because.map((e) => [e.role, e.fact.type]),
    [['recorded-verdict', 'guard.died']],
  );
  assert.deepEqual(death.missing, []);
  assert.equal(death.pid, 4242);
  assert.equal(death.restartedAtMs, at('10:03:48'));
  assert.notEqual(death.oom, null);
});

test("the guard's `stopping:` line makes the death that follows its own stop: stopped, confirmed", () => {
  const death = onlyDeath({
    'check.log': guardLog(
      'signal SIGTERM after 1h48m, pid 4242 — stopped (confirmed): SIGTERM from the guard',
      ['20240723 10:03:46 anqicms stopping: SIGTERM to pid 4242 (the guard got SIGTERM)'],
    ),
    'running.log': [...LIFE, '退出 terminated', ...RESTART],
  });
  assert.equal(death.verdict.cause, 'stopped');
  assert.equal(death.verdict.confidence, 'confirmed');
  assert.deepEqual(death.verdict.reason, { kind: 'guard-stop' });
  assert.equal(death.verdict.because[0]?.fact.type, 'guard.stopping');
});

test('a kill record the guard missed still decides: the kernel kill of its pid outranks its recorded `unexplained`', () => {
  const death = onlyDeath({
    'check.log': guardLog(
      'signal SIGKILL after 1h48m, pid 4242 — unexplained (possible): SIGKILL and nothing says who killed it (kernel log not readable: EPERM)',
    ),
    'running.log': [...LIFE, ...RESTART],
    'kern.log': `
      Jul 23 10:00:18 web1 kernel: [283206.079546] eth0: link up
      Jul 23 10:03:47 web1 kernel: [283435.001873] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=${MEMCG_A},task_memcg=${MEMCG_A},task=anqicms,pid=4242,uid=0
      Jul 23 10:03:47 web1 kernel: [283435.001912] Memory cgroup out of memory: Killed process 4242 (anqicms) total-vm:1392120kB, anon-rss:1046020kB, file-rss:1264kB, shmem-rss:0kB, UID:0 pgtables:2264kB oom_score_adj:0
    `,
  });
  assert.equal(death.verdict.cause, 'oom-killer');
  assert.equal(death.verdict.confidence, 'confirmed');
  assert.deepEqual(death.verdict.reason, { kind: 'kernel-kill', byOrder: false });
  assert.equal(death.oom?.cgroup, MEMCG_A);
});

test("earlyoom's kill in the system log outranks the guard's recorded `stopped (likely)` for a SIGTERM", () => {
  const death = onlyDeath({
    'check.log': guardLog(
      'signal SIGTERM after 1h48m, pid 4242 — stopped (likely): SIGTERM from someone else',
    ),
    'running.log': [...LIFE, '退出 terminated', ...RESTART],
    syslog: `
      Jul 23 10:00:01 web1 CRON[55385]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)
      Jul 23 10:03:46 web1 earlyoom[611]: mem avail:    91 of  1987 MiB ( 4.60%), swap free:    0 of    0 MiB ( 0.00%)
      Jul 23 10:03:46 web1 earlyoom[611]: low memory! at or below SIGTERM limits: mem 10.00%, swap 100.00%
      Jul 23 10:03:46 web1 earlyoom[611]: sending SIGTERM to process 4242 uid 0 "anqicms": oom_score 911, VmRSS 1421 MiB, cmdline "/www/wwwroot/a.example.com/anqicms"
      Jul 23 10:05:01 web1 CRON[57644]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)
    `,
  });
  assert.equal(death.verdict.cause, 'oom-daemon');
  assert.equal(death.verdict.confidence, 'confirmed');
});

test('incidents.jsonl alone is the guard folder: the death, its pid, its millisecond, its restart and the figures', () => {
  const death = onlyDeath({
    'incidents.jsonl': [
      `{"process":"anqicms","pid":4242,"diedAt":"2024-07-23T10:03:47.312+08:00","diedWithin":null,"restartedAt":"2024-07-23T10:03:47.339+08:00","cause":"oom-killer","confidence":"confirmed","oom":{"scope":"memcg","cgroup":"${MEMCG_A}","invokedBy":"anqicms","totalVmKb":1392120,"anonRssKb":1046020,"fileRssKb":1264,"shmemRssKb":0,"oomScoreAdj":0},"missing":[],"evidence":[],"exit":{"code":null,"signal":"SIGKILL"},"memory":[],"uptimeMs":6466312,"memoryLimitKb":1048576,"command":["/www/wwwroot/a.example.com/anqicms"]}`,
    ],
  });
  assert.equal(death.process, 'anqicms');
  assert.equal(death.pid, 4242);
  assert.equal(death.diedAtMs, ms('2024-07-23T10:03:47.312+08:00'));
  assert.equal(death.restartedAtMs, ms('2024-07-23T10:03:47.339+08:00'));
  assert.equal(death.verdict.cause, 'oom-killer');
  assert.equal(death.verdict.confidence, 'confirmed');
  assert.equal(death.oom?.anonRssKb, 1_046_020);
  assert.equal(death.oom?.cgroup, MEMCG_A);
});

test("the guard's died: line and its incidents.jsonl record of one death are one death", () => {
  const { findings } = readFolder({
    'check.log': guardLog(
      `signal SIGKILL after 1h48m, pid 4242 — oom-killer (confirmed): oom_kill of memory cgroup ${MEMCG_A} rose 0→1`,
    ),
    'incidents.jsonl': [
      `{"process":"anqicms","pid":4242,"diedAt":"2024-07-23T10:03:47.312+08:00","diedWithin":null,"restartedAt":"2024-07-23T10:03:47.339+08:00","cause":"oom-killer","confidence":"confirmed","oom":{"scope":"memcg","cgroup":"${MEMCG_A}","invokedBy":null,"totalVmKb":null,"anonRssKb":null,"fileRssKb":null,"shmemRssKb":null,"oomScoreAdj":null},"missing":[],"evidence":[],"exit":{"code":null,"signal":"SIGKILL"},"memory":[],"uptimeMs":6466312,"memoryLimitKb":1048576,"command":["/www/wwwroot/a.example.com/anqicms"]}`,
    ],
    'running.log': [...LIFE, ...RESTART],
  });
  assert.equal(findings.deaths.length, 1);
  const death = findings.deaths[0]!;
  assert.equal(death.diedAtMs, ms('2024-07-23T10:03:47.312+08:00'));
  assert.ok(death.evidence.some((e) => e.fact.type === 'guard.died'));
  assert.ok(death.evidence.some((e) => e.fact.type === 'guard.incident'));
});

test("another copy's kill (a pid the guard's life does not have, another memory cgroup) is an other kill, not a death", () => {
  const { findings } = readFolder({
    'check.log': [
      `20240723 08:15:01 anqicms started: pid 4242 in memory cgroup ${MEMCG_A}`,
      '20240723 10:02:01 anqicms PID check: 1',
      '20240723 10:03:01 anqicms PID check: 1',
      '20240723 10:04:01 anqicms PID check: 1',
    ],
    'running.log': [...LIFE, '2024/07/23 10:04:12 推送百度: 成功 3 条'],
    'kern.log': `
      Jul 23 10:00:18 web1 kernel: [283206.079546] eth0: link up
      Jul 23 10:03:47 web1 kernel: [283435.001873] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/system.slice/oomsleuth-guard-3120-anqicms-lyx0b2m,task_memcg=/system.slice/oomsleuth-guard-3120-anqicms-lyx0b2m,task=anqicms,pid=31337,uid=0
      Jul 23 10:03:47 web1 kernel: [283435.001912] Memory cgroup out of memory: Killed process 31337 (anqicms) total-vm:1392120kB, anon-rss:1046020kB, file-rss:1264kB, shmem-rss:0kB, UID:0 pgtables:2264kB oom_score_adj:0
    `,
  });
  assert.deepEqual(findings.deaths, []);
  assert.deepEqual(
    findings.otherKills.map((k) => [k.process, k.pid, k.scope]),
    [['anqicms', 31337, 'memcg']],
  );
});

test('a kill in a unit named like the app but not its own (a staging copy) is an other kill when the app runs as a unit', () => {
  const { findings } = readFolder(
    {
      'running.log': [...LIFE, '2024/07/23 10:04:12 推送百度: 成功 3 条'],
      syslog: `
        Jul 23 08:15:01 web1 systemd[1]: Started anqicms.service - AnQiCMS.
        Jul 23 10:03:47 web1 kernel: [283435.001873] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/system.slice/anqicms-staging.service,task_memcg=/system.slice/anqicms-staging.service,task=anqicms,pid=51234,uid=0
        Jul 23 10:03:47 web1 kernel: [283435.001912] Memory cgroup out of memory: Killed process 51234 (anqicms) total-vm:992120kB, anon-rss:516020kB, file-rss:1264kB, shmem-rss:0kB, UID:0 pgtables:1264kB oom_score_adj:0
        Jul 23 10:03:47 web1 systemd[1]: anqicms-staging.service: A process of this unit has been killed by the OOM killer.
      `,
    },
    { app: 'anqicms' },
  );
  assert.deepEqual(findings.deaths, []);
  assert.deepEqual(
    findings.otherKills.map((k) => [k.process, k.pid]),
    [['anqicms', 51234]],
  );
});

test('a shutdown line with no system log covering the death is stopped, only likely: it may answer an OOM daemon', () => {
  const death = onlyDeath({
    'check.log': `
      20240723 10:02:01 anqicms PID check: 1
      20240723 10:03:01 anqicms PID check: 1
      20240723 10:04:01 anqicms PID check: 0
      20240723 10:05:01 anqicms PID check: 1
    `,
    'running.log': [...LIFE, '退出 terminated', '监听到退出信号', ...RESTART],
    // Yesterday's syslog: read, but it does not cover the death.
    'syslog.1': `
      Jul 22 09:00:01 web1 CRON[50462]: (root) CMD (/www/wwwroot/a.example.com/start.sh)
      Jul 22 10:00:01 web1 CRON[50277]: (root) CMD (/www/wwwroot/a.example.com/start.sh)
    `,
  });
  assert.equal(death.verdict.cause, 'stopped');
  assert.equal(death.verdict.confidence, 'likely');
  assert.deepEqual(death.missing, ['kernel-log']);
});
