// Each death's verdict from the facts the guard has at that moment, decided by the shared cause rules in the
// contract's order of precedence.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findLastWords, NO_WORDS } from '../../src/guard/app-log-tail.js';
import { type DeathFacts, describeExit, judgeDeath } from '../../src/guard/death-case.js';
import { type KernelLog, KmsgLog, kernelRecordOfDeath } from '../../src/guard/kernel-log.js';
import type { KernelKill } from '../../src/guard/kernel-oom-record.js';
import { says } from '../../src/report/words.js';

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
  nearLimit: null,
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

/** The judgement flattened the way the assertions read it. */
function judge(facts: DeathFacts) {
  const j = judgeDeath(facts);
  return { ...j, cause: j.verdict.cause, confidence: j.verdict.confidence };
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
  const verdict = judge({ ...base, kernel: { ...base.kernel, kill: await realKill() } });
  assert.equal(verdict.cause, 'oom-killer');
  assert.equal(verdict.confidence, 'confirmed');
  assert.equal(verdict.detail, 'kernel killed pid 2249, anon-rss 3.8 GiB');
  assert.equal(verdict.oom?.anonRssKb, 3_987_654);
  assert.equal(verdict.oom?.invokedBy, 'anqicms');
  assert.equal(verdict.oom?.cgroup, '/x/anqicms');
  assert.deepEqual(verdict.missing, []);
  assert.deepEqual(
    verdict.evidence.map((e) => says(e, 'en')),
    [
      'the child was killed by SIGKILL after 3h12m',
      'anqicms triggered the OOM killer',
      'OOM summary: memcg OOM in /x/anqicms, victim anqicms pid 2249',
      'kernel OOM kill of pid 2249 (anqicms), anon-rss 3.8 GiB',
    ],
  );
});

test('the kernel record wins over the app’s last words and over our own stop', async () => {
  const words = findLastWords('退出 terminated\n监听到退出信号\n');
  const verdict = judge({
    ...base,
    words,
    stop: { why: 'the guard got SIGTERM', killedAfterMs: null },
    kernel: { ...base.kernel, kill: await realKill() },
  });
  assert.equal(verdict.cause, 'oom-killer');
});

test("the child's own cgroup counted an OOM kill: confirmed even when the kernel log is unreadable", () => {
  // Confirmed: nothing is missing to decide it (the same rule as analyze), though the kernel log would add figures.
  const verdict = judge({
    ...base,
    kernel: { via: null, problem: '/dev/kmsg: EPERM', kill: null },
    memcg: memcg(true, 0, 1),
  });
  assert.equal(verdict.cause, 'oom-killer');
  assert.equal(verdict.confidence, 'confirmed');
  assert.deepEqual(verdict.missing, []);
  assert.equal(verdict.oom?.scope, 'memcg');
  assert.equal(verdict.oom?.anonRssKb, null);
  assert.match(
    verdict.detail,
    /^oom_kill of memory cgroup \/x\/anqicms rose 0→1 \(kernel log not readable: \/dev\/kmsg: EPERM\)$/,
  );
  assert.ok(verdict.evidence.some((e) => e.source.endsWith('memory.oom_control') && e.text === 'oom_kill 1'));
});

test('a shared cgroup counting a kill, with no record for the pid: likely, not confirmed', () => {
  const verdict = judge({ ...base, memcg: memcg(false, 3, 4) });
  assert.equal(verdict.cause, 'oom-killer');
  assert.equal(verdict.confidence, 'likely');
});

test('our own stop is `stopped`, also when the child needed a SIGKILL', () => {
  const graceful = judge({
    ...base,
    exit: { code: 0, signal: null },
    stop: { why: 'the guard got SIGTERM', killedAfterMs: null },
  });
  assert.equal(graceful.cause, 'stopped');
  assert.equal(graceful.confidence, 'confirmed');
  const forced = judge({ ...base, stop: { why: 'the guard got SIGINT', killedAfterMs: 10_000 } });
  assert.equal(forced.cause, 'stopped');
  assert.match(forced.detail, /SIGKILL after 10s without exiting/);
});

test('the app log: runtime OOM before panic; a panic is a crash', () => {
  const exit2 = { code: 2, signal: null } as const;
  const oom = judge({
    ...base,
    exit: exit2,
    words: findLastWords(
      'runtime: out of memory: cannot allocate 4194304-byte block (251428864 in use)\nfatal error: runtime: out of memory\n\ngoroutine 1 [running]:\n',
    ),
  });
  assert.equal(oom.cause, 'runtime-oom');
  assert.equal(oom.confidence, 'confirmed');
  assert.equal(oom.detail, 'fatal error: runtime: out of memory');
  const panic = judge({
    ...base,
    exit: exit2,
    words: findLastWords(
      '2024/07/23 10:04:01 serving\npanic: assignment to entry in nil map\n\ngoroutine 7 [running]:\n',
    ),
  });
  assert.equal(panic.cause, 'crash');
  assert.equal(panic.detail, 'panic: assignment to entry in nil map');
  const fatal = judge({ ...base, exit: exit2, words: findLastWords('fatal error: concurrent map writes\n') });
  assert.equal(fatal.cause, 'crash');
});

test('signals: a fault is a crash; a stop signal not from us is someone else’s stop', () => {
  const segv = judge({ ...base, exit: { code: null, signal: 'SIGSEGV' } });
  assert.deepEqual([segv.cause, segv.confidence], ['crash', 'confirmed']);
  const term = judge({ ...base, exit: { code: null, signal: 'SIGTERM' } });
  assert.deepEqual([term.cause, term.confidence], ['stopped', 'likely']);
  const words = judge({
    ...base,
    exit: { code: 0, signal: null },
    words: findLastWords('退出 terminated\n'),
  });
  assert.deepEqual([words.cause, words.confidence], ['stopped', 'likely']);
  assert.match(words.detail, /it printed "退出 terminated" on a signal nobody recorded sending/);
});

test('SIGKILL with no record: unexplained, and `missing` names the kernel log', () => {
  const read = judge(base);
  assert.deepEqual([read.cause, read.confidence], ['unexplained', 'possible']);
  assert.deepEqual(read.missing, ['kernel-log']);
  assert.match(read.detail, /no kernel OOM record for pid 2249 in \/dev\/kmsg: a kill from user space/);
  const unread = judge({ ...base, kernel: { via: null, problem: 'no access', kill: null } });
  assert.equal(unread.cause, 'unexplained');
  assert.match(unread.detail, /nothing says who killed it \(kernel log not readable: no access\)/);
});

test('SIGKILL, kernel log unreadable, but the machine counted an OOM kill or the cgroup was full: likely', () => {
  const unread = { via: null, problem: 'no access', kill: null };
  const vmstat = judge({ ...base, kernel: unread, vmstat: { before: 10, after: 11 } });
  assert.deepEqual(
    [vmstat.cause, vmstat.confidence, vmstat.missing],
    ['oom-killer', 'likely', ['kernel-log']],
  );
  const full = judge({ ...base, kernel: unread, nearLimit: { usageKb: 63_000, limitKb: 65_536 } });
  assert.deepEqual([full.cause, full.confidence], ['oom-killer', 'likely']);
});

test('exit codes with no last words: a crash (likely); code 0 by itself is unexplained', () => {
  const one = judge({ ...base, exit: { code: 1, signal: null } });
  assert.deepEqual([one.cause, one.confidence], ['crash', 'likely']);
  const port = judge({
    ...base,
    exit: { code: 255, signal: null },
    words: findLastWords('2024/07/23 10:04:01 端口已经被占用，可能软件已经启动\n'),
  });
  assert.match(port.detail, /port is in use/);
  const zero = judge({ ...base, exit: { code: 0, signal: null } });
  assert.deepEqual([zero.cause, zero.confidence], ['unexplained', 'possible']);
});

test('no exit status (a process the guard adopted): last words are `likely`, an end with no record unexplained', () => {
  const panic = judge({ ...base, exit: null, words: findLastWords('panic: boom\n') });
  assert.deepEqual([panic.cause, panic.confidence], ['crash', 'likely']);
  const gone = judge({ ...base, exit: null });
  assert.equal(gone.cause, 'unexplained');
  assert.match(says(gone.evidence[0]!, 'en'), /exit status is unknown/);
});

test('how the child ended, in words', () => {
  assert.equal(describeExit({ code: null, signal: 'SIGKILL' }), 'signal SIGKILL');
  assert.equal(describeExit({ code: 2, signal: null }), 'exit code 2');
  assert.equal(describeExit(null), 'exit status unknown');
});

test('a kernel log that fails while read for a death: the verdict says it could not look, not "no record"', async () => {
  const failing: KernelLog = {
    via: 'journal',
    problem: null,
    mark: async () => 0,
    findKill: async () => {
      throw new Error('journalctl exited with status 1');
    },
    close: async () => undefined,
  };
  const kernel = await kernelRecordOfDeath(failing, 2249, 0);
  assert.deepEqual(kernel, { via: null, problem: 'journal: journalctl exited with status 1', kill: null });
  const verdict = judge({ ...base, kernel });
  assert.equal(verdict.cause, 'unexplained');
  assert.match(
    verdict.detail,
    /nothing says who killed it \(kernel log not readable: journal: journalctl exited/,
  );
  assert.doesNotMatch(verdict.detail, /a kill from user space/);
});
