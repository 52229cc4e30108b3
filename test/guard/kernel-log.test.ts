// The kernel's side of a death: the OOM records of a real capture (test/fixtures/real-kernel), read through the
// guard's kmsg reader — records before the child's start ignored, the kill found by pid, its report assembled.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  journalKernelEvents,
  KmsgLog,
  monotonicUsecToWallMs,
  openKernelLog,
} from '../../src/guard/kernel-log.js';
import { findKernelKill, kernelKillFigures } from '../../src/guard/kernel-oom-record.js';

const CAPTURE = new URL('../fixtures/real-kernel/memcg-v1-anqicms/kmsg.txt', import.meta.url);
const VICTIM = 8167;
const MEMCG = '/process_api/97853ca5a3b13686ae594a673d6e5909/oomsleuth-e2e-8128-anqicms-mwyb0bem';

/** A /dev/kmsg stand-in: one record per read, then EAGAIN (null) until more is pushed. */
function fakeKmsg(initial: readonly string[]) {
  const queue = [...initial];
  return {
    push: (...records: string[]) => queue.push(...records),
    read: async () => queue.shift() ?? null,
  };
}

async function captureRecords(): Promise<string[]> {
  return (await readFile(CAPTURE, 'utf8')).split('\n').filter((l) => /^\d/.test(l));
}

test('the kill of the child is found by pid among records written after its start, with its report', async () => {
  const records = await captureRecords();
  const kmsg = fakeKmsg(['6,700,700000000,-;some earlier record', '6,701,700000001,-;another']);
  const log = new KmsgLog(kmsg.read);
  await log.drain();
  const mark = await log.mark();
  assert.equal(mark, 701);
  kmsg.push(...records.map((r) => `${r}\n SUBSYSTEM=memory`));
  const kill = await log.findKill(VICTIM, mark);
  assert.ok(kill);
  assert.equal(kill.killed.event.pid, VICTIM);
  assert.equal(kill.killed.order, 893);
  assert.deepEqual(kernelKillFigures(kill), {
    scope: 'memcg',
    cgroup: MEMCG,
    invokedBy: 'anqicms',
    totalVmKb: 1_025_500,
    anonRssKb: 72_352,
    fileRssKb: 37_180,
    shmemRssKb: 0,
    oomScoreAdj: 0,
  });
  assert.equal(await log.findKill(VICTIM + 1, mark), null, 'another pid');
  assert.equal(await log.findKill(VICTIM, 893), null, 'a kill before the mark belongs to an earlier life');
});

test('records already in the ring when the guard starts are drained, not kept', async () => {
  const kmsg = fakeKmsg(await captureRecords());
  const log = new KmsgLog(kmsg.read);
  await log.drain();
  assert.equal(await log.findKill(VICTIM, -1), null);
  assert.equal(await log.mark(), 893);
});

test('waiting for a record that comes late: polled until it is there, or until the deadline', async () => {
  const records = await captureRecords();
  const kmsg = fakeKmsg([]);
  const log = new KmsgLog(kmsg.read);
  const mark = await log.mark();
  setTimeout(() => kmsg.push(...records), 120);
  const started = Date.now();
  const kill = await log.findKill(VICTIM, mark, { waitMs: 2000, pollMs: 20 });
  assert.ok(kill, 'found once written');
  assert.ok(Date.now() - started < 1000);
  const none = Date.now();
  assert.equal(await log.findKill(4242, mark, { waitMs: 150, pollMs: 20 }), null);
  assert.ok(Date.now() - none >= 150);
});

test('a user-space process writing `Killed process` into /dev/kmsg is not the kernel', async () => {
  const kmsg = fakeKmsg([]);
  const log = new KmsgLog(kmsg.read);
  const mark = await log.mark();
  // Facility 1 (user) × 8 + level 3.
  kmsg.push(
    '11,900,800000000,-;prank[77]: Out of memory: Killed process 4242 (anqicms) total-vm:1kB, anon-rss:1kB',
  );
  assert.equal(await log.findKill(4242, mark), null);
});

test('a kill report without the summary line (rate-limited header) still gives the victim', () => {
  const log = new KmsgLog(
    fakeKmsg([
      '3,10,5000000,-;Out of memory: Killed process 4242 (anqicms) total-vm:4123456kB, anon-rss:3987654kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:100kB oom_score_adj:0',
    ]).read,
  );
  return log.findKill(4242, -1).then((kill) => {
    assert.ok(kill);
    const figures = kernelKillFigures(kill);
    assert.equal(figures.scope, 'global');
    assert.equal(figures.anonRssKb, 3_987_654);
    assert.equal(figures.invokedBy, null);
  });
});

test('the same kill from the journal (journalctl -k -o json)', () => {
  const lines = [
    '{"_TRANSPORT":"kernel","SYSLOG_FACILITY":"0","__REALTIME_TIMESTAMP":"1795740637833000","_SOURCE_MONOTONIC_TIMESTAMP":"127553530","MESSAGE":"oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/x,task_memcg=/x,task=anqicms,pid=2249,uid=0","SYSLOG_IDENTIFIER":"kernel","PRIORITY":"6"}',
    '{"_TRANSPORT":"kernel","SYSLOG_FACILITY":"0","__REALTIME_TIMESTAMP":"1795740637833178","_SOURCE_MONOTONIC_TIMESTAMP":"127553604","MESSAGE":"Memory cgroup out of memory: Killed process 2249 (anqicms) total-vm:984984kB, anon-rss:64768kB, file-rss:33368kB, shmem-rss:0kB, UID:0 pgtables:572kB oom_score_adj:0","SYSLOG_IDENTIFIER":"kernel","PRIORITY":"3"}',
  ].join('\n');
  const events = journalKernelEvents(lines);
  assert.equal(events.length, 2);
  const kill = findKernelKill(events, 2249, 1_795_740_637_000);
  assert.ok(kill);
  assert.equal(kill.killed.atMs, 1_795_740_637_833.178);
  assert.equal(kernelKillFigures(kill).cgroup, '/x');
});

test('a monotonic kernel stamp becomes wall time through the monotonic clock', () => {
  assert.equal(monotonicUsecToWallMs(9_000_000, 1_000_000, 10_000_000_000n), 999_000);
});

test('a journal that cannot be read is not "no kill record": findKill rejects with why', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'oomsleuth-journal-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  // A journalctl that answers the start-up probe (-n 1) and then fails every read.
  const fake = join(dir, 'journalctl');
  await writeFile(
    fake,
    '#!/bin/sh\ncase " $* " in *" -n "*) exit 0 ;; esac\necho "Failed to open journal: Input/output error" >&2\nexit 1\n',
  );
  await chmod(fake, 0o755);
  const path = process.env.PATH;
  process.env.PATH = `${dir}:${path ?? ''}`;
  t.after(() => {
    process.env.PATH = path;
  });
  const log = await openKernelLog({ path: join(dir, 'no-kmsg') });
  assert.equal(log.via, 'journal');
  await assert.rejects(log.findKill(4242, Date.now(), { waitMs: 0 }), /Input\/output error/);
});
