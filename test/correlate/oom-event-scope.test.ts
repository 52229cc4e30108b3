// The OOM event, not the pid, carries the scope and the memory cgroup (issue 9, class 5): before 5.1 the kernel names
// the task it chose and may kill a thread's leader or a child instead; under a storm the header of an event is
// rate-limited away and must not be borrowed from the previous event.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFolder } from './log-folder.js';

/** cron's check.sh: anqicms alive all along. */
const ALIVE = `
  20240723 10:02:01 anqicms PID check: 1
  20240723 10:03:01 anqicms PID check: 1
  20240723 10:04:01 anqicms PID check: 1
  20240723 10:05:01 anqicms PID check: 1
`;

/** cron's check.sh: anqicms gone at 10:04:01, back at 10:05:01. */
const DIED = `
  20240723 10:02:01 anqicms PID check: 1
  20240723 10:03:01 anqicms PID check: 1
  20240723 10:04:01 anqicms PID check: 0
  20240723 10:05:01 anqicms PID check: 1
`;

const PHP = '/docker/9c1d0e5f7a3b2c4d6e8f0a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d';
const ANQI = '/docker/e4b2a6c8d0f2e4a6c8b0d2f4e6a8c0b2d4f6e8a0c2b4d6f8e0a2c4b6d8f0e2a4';

test('a headerless RHEL 7 event does not borrow the cgroup of the event before it', () => {
  const { findings } = readFolder(
    {
      'check.log': DIED,
      messages: `
        Jul 23 10:03:44 web1 kernel: php-fpm invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=0
        Jul 23 10:03:44 web1 kernel: Task in ${PHP} killed as a result of limit of ${PHP}
        Jul 23 10:03:44 web1 kernel: memory: usage 524288kB, limit 524288kB, failcnt 88213
        Jul 23 10:03:44 web1 kernel: Memory cgroup out of memory: Kill process 31207 (php-fpm) score 131 or sacrifice child
        Jul 23 10:03:44 web1 kernel: Killed process 31207 (php-fpm), UID 33, total-vm:412316kB, anon-rss:67488kB, file-rss:2540kB, shmem-rss:11808kB
        Jul 23 10:03:47 web1 kernel: Memory cgroup out of memory: Kill process 23471 (anqicms) score 1000 or sacrifice child
        Jul 23 10:03:47 web1 kernel: Killed process 23456 (anqicms), UID 0, total-vm:2123456kB, anon-rss:1012345kB, file-rss:1236kB, shmem-rss:0kB
      `,
    },
    { year: 2024 },
  );
  assert.equal(findings.deaths.length, 1);
  const death = findings.deaths[0]!;
  assert.equal(death.pid, 23456);
  assert.equal(death.verdict.cause, 'oom-killer');
  assert.equal(death.oom?.scope, 'memcg');
  assert.equal(death.oom?.cgroup, null);
  assert.equal(death.oom?.invokedBy, null);
  // The chosen thread's line is cited with the kill; the other event's header is not.
  assert.deepEqual(
    death.verdict.because.map((e) => e.fact.type),
    ['oom.kill-intent', 'oom.killed'],
  );
  assert.deepEqual(
    findings.otherKills.map((k) => [k.process, k.scope]),
    [['php-fpm', 'memcg']],
  );
});

test('a headerless event takes the cgroup an earlier event of the file gave for the same chosen task', () => {
  const { findings } = readFolder(
    {
      'check.log': DIED,
      messages: `
        Jul 23 09:12:05 web1 kernel: anqicms invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=0
        Jul 23 09:12:05 web1 kernel: Task in ${ANQI} killed as a result of limit of ${ANQI}
        Jul 23 09:12:05 web1 kernel: memory: usage 1048576kB, limit 1048576kB, failcnt 3106
        Jul 23 09:12:05 web1 kernel: Memory cgroup out of memory: Kill process 23471 (anqicms) score 912 or sacrifice child
        Jul 23 09:12:05 web1 kernel: Killed process 30102 (cwebp), UID 0, total-vm:320512kB, anon-rss:291376kB, file-rss:1204kB, shmem-rss:0kB
        Jul 23 10:03:44 web1 kernel: php-fpm invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=0
        Jul 23 10:03:44 web1 kernel: Task in ${PHP} killed as a result of limit of ${PHP}
        Jul 23 10:03:44 web1 kernel: Memory cgroup out of memory: Kill process 31207 (php-fpm) score 131 or sacrifice child
        Jul 23 10:03:44 web1 kernel: Killed process 31207 (php-fpm), UID 33, total-vm:412316kB, anon-rss:67488kB, file-rss:2540kB, shmem-rss:11808kB
        Jul 23 10:03:47 web1 kernel: Memory cgroup out of memory: Kill process 23471 (anqicms) score 1000 or sacrifice child
        Jul 23 10:03:47 web1 kernel: Killed process 23456 (anqicms), UID 0, total-vm:2123456kB, anon-rss:1012345kB, file-rss:1236kB, shmem-rss:0kB
      `,
    },
    { year: 2024 },
  );
  const death = findings.deaths.find((d) => d.pid === 23456);
  assert.ok(death, 'no death of pid 23456');
  assert.equal(death.oom?.scope, 'memcg');
  assert.equal(death.oom?.cgroup, ANQI);
  // The 09:12 event sacrificed a child: anqicms lived through it.
  assert.equal(findings.deaths.length, 1);
  assert.deepEqual(
    findings.otherKills.map((k) => [k.process, k.scope]),
    [
      ['cwebp', 'memcg'],
      ['php-fpm', 'memcg'],
    ],
  );
});

test('4.19: the summary names the chosen app, the kernel kills its child: the app lived, the child was memcg-killed', () => {
  const { findings } = readFolder(
    {
      'check.log': ALIVE,
      'kern.log': `
        Jul 23 10:03:01 web1 kernel: [283654.120002] docker0: port 1(veth3a1f2c9) entered forwarding state
        Jul 23 10:03:47 web1 kernel: [283714.997871] anqicms invoked oom-killer: gfp_mask=0x6000c0(GFP_KERNEL), nodemask=(null), order=0, oom_score_adj=0
        Jul 23 10:03:47 web1 kernel: [283714.998125] memory: usage 1048576kB, limit 1048576kB, failcnt 5210
        Jul 23 10:03:47 web1 kernel: [283715.000379] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=e4b2a6c8d0f2,mems_allowed=0,oom_memcg=${ANQI},task_memcg=${ANQI},task=anqicms,pid=28811,uid=0
        Jul 23 10:03:47 web1 kernel: [283715.000390] Memory cgroup out of memory: Kill process 28811 (anqicms) score 986 or sacrifice child
        Jul 23 10:03:47 web1 kernel: [283715.000412] Killed process 30102 (cwebp) total-vm:320512kB, anon-rss:291376kB, file-rss:1204kB, shmem-rss:0kB
      `,
    },
    { year: 2024 },
  );
  assert.deepEqual(findings.deaths, []);
  assert.equal(findings.otherKills.length, 1);
  assert.equal(findings.otherKills[0]?.process, 'cwebp');
  assert.equal(findings.otherKills[0]?.scope, 'memcg');
});

test('a summary whose Killed line was lost still stands for the kill when no other task was killed instead', () => {
  const { findings } = readFolder(
    {
      'check.log': DIED,
      'kern.log': `
        Jul 23 10:03:01 web1 kernel: [283654.120002] docker0: port 1(veth3a1f2c9) entered forwarding state
        Jul 23 10:03:47 web1 kernel: [283714.997871] anqicms invoked oom-killer: gfp_mask=0x6000c0(GFP_KERNEL), nodemask=(null), order=0, oom_score_adj=0
        Jul 23 10:03:47 web1 kernel: [283715.000379] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=e4b2a6c8d0f2,mems_allowed=0,oom_memcg=${ANQI},task_memcg=${ANQI},task=anqicms,pid=28811,uid=0
        Jul 23 10:03:47 web1 kernel: [283715.000390] Memory cgroup out of memory: Kill process 28811 (anqicms) score 986 or sacrifice child
        Jul 23 10:04:01 web1 kernel: [283728.410774] docker0: port 1(veth3a1f2c9) entered disabled state
      `,
    },
    { year: 2024 },
  );
  assert.equal(findings.deaths.length, 1);
  assert.equal(findings.deaths[0]?.pid, 28811);
  assert.equal(findings.deaths[0]?.verdict.cause, 'oom-killer');
  assert.equal(findings.deaths[0]?.oom?.cgroup, ANQI);
});
