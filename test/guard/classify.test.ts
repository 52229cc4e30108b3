// Each death's verdict from the facts the guard has at that moment, in the contract's order of precedence.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findLastWords, NO_WORDS } from '../../src/guard/app-log-tail.js';
import { classifyDeath, type DeathFacts, describeExit } from '../../src/guard/classify.js';
import { KmsgLog } from '../../src/guard/kernel-log.js';
import type { KernelKill } from '../../src/guard/kernel-oom-record.js';

const iso = (ms: number) => new Date(ms).toISOString();

const base: DeathFacts = {
  name: 'anqicms',
  pid: 2249,
  diedAtMs: 1_721_700_241_000,
  uptimeMs: 11_520_000,
  exit: { code: null, signal: 'SIGKILL' },
  stop: null,
  kernel: { via: '/dev/kmsg', problem: null, kill: null },
  memcg: null,
  vmstat: { before: 10, after: 10 },
  nearLimit: false,
  words: NO_WORDS,
  appLogPath: '/www/wwwroot/anqicms/running.log',
};

async function realKill(): Promise<KernelKill> {
  const records = [
    '4,345,127550964,-;anqicms invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0',
    '6,423,127553530,-;oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/x/anqicms,task_memcg=/x/anqicms,task=anqicms,pid=2249,uid=0',
    '3,424,127553604,-;Memory cgroup out of memory: Killed process 2249 (anqicms) total-vm:984984kB, anon-rss:3987654kB, file-rss:33368kB, shmem-rss:0kB, UID:0 pgtables:572kB oom_score_adj:0',
  ];
  const log = new KmsgLog(async () => records.shift() ?? null);
  const kill = await log.findKill(2249, -1);
  assert.ok(kill);
  return kill;
}

const memcg = (own: boolean, before: number, after: number): DeathFacts['memcg'] => ({
  path: '/x/anqicms',
  counterFile: '/sys/fs/cgroup/memory/x/anqicms/memory.oom_control',
  own,
  before,
  after,
  limitKb: 4 * 1024 * 1024,
});

test('SIGKILL and the kernel record for the pid: oom-killer, confirmed, with the kernel figures', async () => {
  const verdict = classifyDeath({ ...base, kernel: { ...base.kernel, kill: await realKill() } }, iso);
  assert.equal(verdict.cause, 'oom-killer');
  assert.equal(verdict.confidence, 'confirmed');
  assert.equal(verdict.detail, 'kernel killed pid 2249, anon-rss 3.8 GiB');
  assert.equal(verdict.oom?.anonRssKb, 3_987_654);
  assert.equal(verdict.oom?.invokedBy, 'anqicms');
  assert.equal(verdict.oom?.cgroup, '/x/anqicms');
  assert.deepEqual(verdict.missing, []);
  assert.deepEqual(
    verdict.evidence.map((e) => e.says),
    [
      'the child was killed by SIGKILL after 3h12m',
      'anqicms invoked the OOM killer',
      'kernel OOM summary: memcg scope, cgroup /x/anqicms',
      'kernel OOM kill of pid 2249',
    ],
  );
});

test('the kernel record wins over the app’s last words and over our own stop', async () => {
  const words = findLastWords('退出 terminated\n监听到退出信号\n');
  const verdict = classifyDeath(
    {
      ...base,
      words,
      stop: { why: 'the guard got SIGTERM', killedAfterMs: null },
      kernel: { ...base.kernel, kill: await realKill() },
    },
    iso,
  );
  assert.equal(verdict.cause, 'oom-killer');
});

test("the child's own cgroup counted an OOM kill: confirmed even when the kernel log is unreadable", () => {
  const verdict = classifyDeath(
    { ...base, kernel: { via: null, problem: '/dev/kmsg: EPERM', kill: null }, memcg: memcg(true, 0, 1) },
    iso,
  );
  assert.equal(verdict.cause, 'oom-killer');
  assert.equal(verdict.confidence, 'confirmed');
  assert.deepEqual(verdict.missing, ['kernel-log']);
  assert.equal(verdict.oom?.scope, 'memcg');
  assert.equal(verdict.oom?.anonRssKb, null);
  assert.match(
    verdict.detail,
    /^oom_kill of memory cgroup \/x\/anqicms rose 0→1 \(kernel log not readable: \/dev\/kmsg: EPERM\)$/,
  );
  assert.ok(verdict.evidence.some((e) => e.source.endsWith('memory.oom_control') && e.text === 'oom_kill 1'));
});

test('a shared cgroup counting a kill, with no record for the pid: likely, not confirmed', () => {
  const verdict = classifyDeath({ ...base, memcg: memcg(false, 3, 4) }, iso);
  assert.equal(verdict.cause, 'oom-killer');
  assert.equal(verdict.confidence, 'likely');
});

test('our own stop is `stopped`, also when the child needed a SIGKILL', () => {
  const graceful = classifyDeath(
    { ...base, exit: { code: 0, signal: null }, stop: { why: 'the guard got SIGTERM', killedAfterMs: null } },
    iso,
  );
  assert.equal(graceful.cause, 'stopped');
  assert.equal(graceful.confidence, 'confirmed');
  const forced = classifyDeath(
    { ...base, stop: { why: 'the guard got SIGINT', killedAfterMs: 10_000 } },
    iso,
  );
  assert.equal(forced.cause, 'stopped');
  assert.match(forced.detail, /SIGKILL after 10s without exiting/);
});

test('the app log: runtime OOM before panic; a panic is a crash', () => {
  const exit2 = { code: 2, signal: null } as const;
  const oom = classifyDeath(
    {
      ...base,
      exit: exit2,
      words: findLastWords(
        'runtime: out of memory: cannot allocate 4194304-byte block (251428864 in use)\nfatal error: runtime: out of memory\n\ngoroutine 1 [running]:\n',
      ),
    },
    iso,
  );
  assert.equal(oom.cause, 'runtime-oom');
  assert.equal(oom.confidence, 'confirmed');
  assert.equal(oom.detail, 'fatal error: runtime: out of memory');
  const panic = classifyDeath(
    {
      ...base,
      exit: exit2,
      words: findLastWords(
        '2024/07/23 10:04:01 serving\npanic: assignment to entry in nil map\n\ngoroutine 7 [running]:\n',
      ),
    },
    iso,
  );
  assert.equal(panic.cause, 'crash');
  assert.equal(panic.detail, 'panic: assignment to entry in nil map');
  const fatal = classifyDeath(
    { ...base, exit: exit2, words: findLastWords('fatal error: concurrent map writes\n') },
    iso,
  );
  assert.equal(fatal.cause, 'crash');
});

test('signals: a fault is a crash; a stop signal not from us is someone else’s stop', () => {
  const segv = classifyDeath({ ...base, exit: { code: null, signal: 'SIGSEGV' } }, iso);
  assert.deepEqual([segv.cause, segv.confidence], ['crash', 'confirmed']);
  const term = classifyDeath({ ...base, exit: { code: null, signal: 'SIGTERM' } }, iso);
  assert.deepEqual([term.cause, term.confidence], ['stopped', 'likely']);
  const words = classifyDeath(
    { ...base, exit: { code: 0, signal: null }, words: findLastWords('退出 terminated\n') },
    iso,
  );
  assert.deepEqual([words.cause, words.confidence], ['stopped', 'likely']);
  assert.match(words.detail, /it printed "退出 terminated", not sent by the guard/);
});

test('SIGKILL with no record: unexplained, and `missing` names the kernel log', () => {
  const read = classifyDeath(base, iso);
  assert.deepEqual([read.cause, read.confidence], ['unexplained', 'possible']);
  assert.deepEqual(read.missing, ['kernel-log']);
  assert.match(read.detail, /no kernel OOM record for pid 2249 in \/dev\/kmsg: a kill from user space/);
  const unread = classifyDeath({ ...base, kernel: { via: null, problem: 'no access', kill: null } }, iso);
  assert.equal(unread.cause, 'unexplained');
  assert.match(unread.detail, /nothing says who killed it \(kernel log not readable: no access\)/);
});

test('SIGKILL, kernel log unreadable, but the machine counted an OOM kill or the cgroup was full: likely', () => {
  const unread = { via: null, problem: 'no access', kill: null };
  const vmstat = classifyDeath({ ...base, kernel: unread, vmstat: { before: 10, after: 11 } }, iso);
  assert.deepEqual(
    [vmstat.cause, vmstat.confidence, vmstat.missing],
    ['oom-killer', 'likely', ['kernel-log']],
  );
  const full = classifyDeath({ ...base, kernel: unread, nearLimit: true }, iso);
  assert.deepEqual([full.cause, full.confidence], ['oom-killer', 'likely']);
});

test('exit codes with no last words: a crash (likely); code 0 by itself is unexplained', () => {
  const one = classifyDeath({ ...base, exit: { code: 1, signal: null } }, iso);
  assert.deepEqual([one.cause, one.confidence], ['crash', 'likely']);
  const port = classifyDeath(
    {
      ...base,
      exit: { code: 255, signal: null },
      words: findLastWords('2024/07/23 10:04:01 端口已经被占用，可能软件已经启动\n'),
    },
    iso,
  );
  assert.match(port.detail, /port is in use/);
  const zero = classifyDeath({ ...base, exit: { code: 0, signal: null } }, iso);
  assert.deepEqual([zero.cause, zero.confidence], ['unexplained', 'possible']);
});

test('no exit status (a process the guard adopted): last words are `likely`, an end with no record unexplained', () => {
  const panic = classifyDeath({ ...base, exit: null, words: findLastWords('panic: boom\n') }, iso);
  assert.deepEqual([panic.cause, panic.confidence], ['crash', 'likely']);
  const gone = classifyDeath({ ...base, exit: null }, iso);
  assert.equal(gone.cause, 'unexplained');
  assert.match(gone.evidence[0]?.says ?? '', /exit status is unknown/);
});

test('how the child ended, in words', () => {
  assert.equal(describeExit({ code: null, signal: 'SIGKILL' }), 'signal SIGKILL');
  assert.equal(describeExit({ code: 2, signal: null }), 'exit code 2');
  assert.equal(describeExit(null), 'exit status unknown');
});
