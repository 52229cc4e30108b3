// The pieces that touch the process table and the files next to check.log: /proc parsing, the lock, the pid and
// child files, the app log's tail, the cgroup helpers.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { findLastWords, readLifeOutput, TAIL_BYTES } from '../../src/guard/app-log-tail.js';
import { SpawnError, spawnChild } from '../../src/guard/child.js';
import { acquireLock, isLockHeld, lockName } from '../../src/guard/lock.js';
import { isOurMemcgDir, type Memcg, memcgName, parseLimit } from '../../src/guard/memcg.js';
import {
  childFileFor,
  readChildRecord,
  readPidFile,
  writeChildRecord,
  writePidFile,
} from '../../src/guard/pid-file.js';
import { isSameProcessAlive, parseProcStat, readProcStat } from '../../src/guard/proc-stat.js';

async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'oomsleuth-guard-files-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('/proc/PID/stat: a comm with spaces and parentheses, the state, the parent and the start time', () => {
  const stat = parseProcStat(
    '4242 (we(ird) n)ame) S 1 4242 4242 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 318469 3133440 389',
  );
  assert.deepEqual(stat, { pid: 4242, comm: 'we(ird) n)ame', state: 'S', ppid: 1, startTicks: 318469 });
  assert.equal(parseProcStat('garbage'), null);
});

test('a process is told from a later one that got its pid by its start time', async () => {
  const self = await readProcStat(process.pid);
  assert.ok(self);
  assert.equal(await isSameProcessAlive(process.pid, self.startTicks), true);
  assert.equal(await isSameProcessAlive(process.pid, self.startTicks + 1), false);
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.once('exit', resolve));
  assert.equal(await isSameProcessAlive(child.pid ?? 0, null), false);
});

test('a child that cannot be put in its memory cgroup is not left running without the limit', async (t) => {
  const dir = await tempDir(t);
  const refuse = async () => {
    throw Object.assign(new Error('EACCES: permission denied, open cgroup.procs'), { code: 'EACCES' });
  };
  const cgroup: Memcg = {
    version: 2,
    dir: join(dir, 'cg'),
    cgroupPath: '/oomsleuth-guard-1-test',
    limitBytes: 64 * 1024 * 1024,
    addProcess: refuse,
    pids: async () => [],
    oomKillCount: async () => 0,
    usage: async () => ({ usageBytes: 0, limitBytes: null }),
    remove: async () => undefined,
  };
  const start = spawnChild({
    command: '/bin/sleep',
    args: ['30'],
    cwd: dir,
    appLog: join(dir, 'running.log'),
    env: process.env,
    memcg: { cgroup, homeDir: join(dir, 'home') },
  });
  const error = await start.then(
    (child) => {
      child.process.kill('SIGKILL');
      return null;
    },
    (e: unknown) => e,
  );
  assert.ok(error instanceof SpawnError, 'the start fails');
  assert.match(error.message, /could not be put in its memory cgroup .*permission denied.*it was killed/);
  const pid = Number(/pid (?<pid>\d+)/.exec(error.message)?.groups?.pid);
  assert.equal(await isSameProcessAlive(pid, null), false, 'and the child is gone');
});

test('the lock is held by one process at a time and freed with it', async () => {
  const key = `/tmp/lock-test-${process.pid}-${Date.now()}`;
  assert.match(lockName(key), /^\0oomsleuth-guard:[0-9a-f]{40}$/);
  const first = await acquireLock(key);
  assert.ok(first);
  assert.equal(await acquireLock(key), null);
  assert.equal(await isLockHeld(key), true);
  await first.release();
  assert.equal(await isLockHeld(key), false);
  // A process that dies frees it, whatever kills it.
  const holder = spawn(
    process.execPath,
    [
      '-e',
      `require('net').createServer().listen({ path: ${JSON.stringify(lockName(key))} }, () => console.log('ready'))`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise((resolve) => holder.stdout?.once('data', resolve));
  assert.equal(await isLockHeld(key), true);
  holder.kill('SIGKILL');
  await new Promise((resolve) => holder.once('exit', resolve));
  assert.equal(await isLockHeld(key), false);
});

test('the pid file holds the guard’s pid alone; the child file what an adopter needs', async (t) => {
  const dir = await tempDir(t);
  const pidFile = join(dir, 'anqicms.guard.pid');
  await writePidFile(pidFile, 4242);
  assert.equal(await readPidFile(pidFile), 4242);
  const record = {
    guardPid: 4242,
    childPid: 4243,
    childStartTicks: 318469,
    startedAtMs: 1_721_700_241_000,
    command: ['./anqicms', '-port', '8001'],
    memcg: {
      version: 1 as const,
      dir: '/sys/fs/cgroup/memory/x/oomsleuth-guard-4242-anqicms-abc',
      path: '/x/oomsleuth-guard-4242-anqicms-abc',
    },
  };
  await writeChildRecord(pidFile, record);
  assert.equal(childFileFor(pidFile), `${pidFile}.child`);
  assert.deepEqual(await readChildRecord(pidFile), record);
  await writeFile(childFileFor(pidFile), '{not json');
  assert.equal(await readChildRecord(pidFile), null);
  await writeFile(pidFile, 'twelve\n');
  assert.equal(await readPidFile(pidFile), null);
  // A record that exists but cannot be read is not "no record": it may name a child still running.
  const other = join(dir, 'other.guard.pid');
  await mkdir(childFileFor(other));
  await assert.rejects(readChildRecord(other), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'OOMS_E_GUARD_LOG_UNWRITABLE');
    assert.match(error.message, /cannot read .*other\.guard\.pid\.child: EISDIR/);
    return true;
  });
});

test('the app log: only what this life wrote, at most the tail, and its last words', async (t) => {
  const dir = await tempDir(t);
  const log = join(dir, 'running.log');
  await writeFile(log, 'panic: from an earlier life\n');
  const offset = 'panic: from an earlier life\n'.length;
  await appendFile(
    log,
    '2024/07/23 10:04:01 /www/wwwroot/anqicms/\nfatal error: runtime: out of memory\n\nruntime stack:\n',
  );
  const text = await readLifeOutput(log, offset);
  assert.doesNotMatch(text, /earlier life/);
  const words = findLastWords(text);
  assert.equal(words.runtimeOom?.message, 'fatal error: runtime: out of memory');
  assert.equal(words.panic, null);
  assert.equal(words.lastLine, 'runtime stack:');
  // A huge life: only the tail, from a line boundary.
  await appendFile(log, `${'x'.repeat(100)}\n`.repeat(Math.ceil((TAIL_BYTES * 2) / 101)));
  await appendFile(log, 'panic: at the end\n');
  const tail = await readLifeOutput(log, offset);
  assert.ok(tail.length <= TAIL_BYTES);
  assert.match(tail, /^x{100}\n/);
  assert.equal(findLastWords(tail).panic?.message, 'panic: at the end');
  // Rotated away (shorter than the offset): its tail is read.
  await writeFile(log, '退出 terminated\n');
  assert.equal(findLastWords(await readLifeOutput(log, 10_000)).shutdown?.signal, 'terminated');
  assert.equal(await readLifeOutput(join(dir, 'missing.log'), 0), '');
  // Anything but "not there" is not taken for "no last words": the guard says it could not read them.
  await assert.rejects(readLifeOutput(dir, 0), /EISDIR/);
});

test('cgroup helpers: "no limit" in both versions, and names that say who made them', () => {
  assert.equal(parseLimit('max\n'), null);
  assert.equal(parseLimit('9223372036854771712\n'), null);
  assert.equal(parseLimit('67108864\n'), 67_108_864);
  const name = memcgName('anqicms site!', 'guard');
  assert.match(name, new RegExp(`^oomsleuth-guard-${process.pid}-anqicms_site_-[0-9a-z]+$`));
  assert.equal(isOurMemcgDir(`/sys/fs/cgroup/memory/x/${name}`), true);
  assert.equal(isOurMemcgDir('/sys/fs/cgroup/memory/system.slice/anqicms.service'), false);
});
