// The /dev/kmsg and journal followers with stand-ins: a file of kmsg records (dictionary lines dropped, resume by
// sequence number, records lost while away said), and a fake journalctl (positions are cursors; a resume asks for
// --cursor, a restart after journalctl ended asks for --after-cursor).
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, test } from 'node:test';
import type { FollowBatch, FollowNote, FollowSink } from '../../src/sources/follow/follower.js';
import { JournalFollower } from '../../src/sources/follow/journal-follower.js';
import { KmsgFollower } from '../../src/sources/follow/kmsg-follower.js';
import type { FollowPosition } from '../../src/sources/follow/position.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'oomsleuth-streams-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function sink() {
  const got = {
    texts: [] as string[],
    positions: [] as FollowPosition[],
    notes: [] as FollowNote[],
    up: [] as boolean[],
  };
  const s: FollowSink = {
    batch: (b: FollowBatch) => {
      got.texts.push(...b.lines.map((l) => l.text));
      got.positions.push(...b.positions);
    },
    note: (n) => got.notes.push(n),
    up: (u) => got.up.push(u),
  };
  return { got, s };
}

async function until(what: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!what()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('kmsg follower', () => {
  const records = [
    '6,10,1000,-;first record',
    ' SUBSYSTEM=virtio',
    ' DEVICE=+virtio:virtio1',
    '3,11,2000,-;Memory cgroup out of memory: Killed process 42 (anqicms) total-vm:1kB, anon-rss:1kB',
    '6,12,3000,-;third record',
  ];

  test('records are handed over with their sequence numbers; dictionary lines are dropped', async () => {
    const dir = await tempDir();
    const kmsg = path.join(dir, 'kmsg');
    const boot = path.join(dir, 'boot_id');
    writeFileSync(kmsg, `${records.join('\n')}\n`);
    writeFileSync(boot, 'boot-a\n');
    const f = new KmsgFollower({ sourceId: 3, path: kmsg, bootIdFile: boot });
    cleanups.push(() => f.stop());
    const { got, s } = sink();
    await f.start(null, s);
    await until(() => got.texts.length === 3);
    assert.deepEqual(got.texts, [records[0], records[3], records[4]]);
    assert.deepEqual(got.positions[1], { kind: 'kmsg', seq: 11, bootId: 'boot-a' });
  });

  test('a restart resumes at the stored sequence number, and says what the ring dropped meanwhile', async () => {
    const dir = await tempDir();
    const kmsg = path.join(dir, 'kmsg');
    const boot = path.join(dir, 'boot_id');
    writeFileSync(boot, 'boot-a\n');
    writeFileSync(kmsg, `${records.join('\n')}\n`);
    const f = new KmsgFollower({ sourceId: 0, path: kmsg, bootIdFile: boot });
    cleanups.push(() => f.stop());
    const { got, s } = sink();
    await f.start({ kind: 'kmsg', seq: 11, bootId: 'boot-a' }, s, {
      kind: 'kmsg',
      seq: 12,
      bootId: 'boot-a',
    });
    await until(() => got.texts.length === 2);
    assert.deepEqual(got.texts, [records[3], records[4]]);
    // (The stand-in file ends, so `cat` ends and is started again: only "overwritten" notes matter here.)
    assert.equal(got.notes.filter((n) => /overwritten/.test(n.message)).length, 0);

    // The last run had read up to seq 8 and the oldest record left is 10: records 8 and 9 were lost while away.
    const g = new KmsgFollower({ sourceId: 0, path: kmsg, bootIdFile: boot });
    cleanups.push(() => g.stop());
    const other = sink();
    await g.start({ kind: 'kmsg', seq: 5, bootId: 'boot-a' }, other.s, {
      kind: 'kmsg',
      seq: 8,
      bootId: 'boot-a',
    });
    await until(() => other.got.texts.length === 3);
    assert.ok(
      other.got.notes.some((n) =>
        /2 record\(s\) were overwritten in the ring buffer while watch was not running/.test(n.message),
      ),
    );

    // Another boot: the stored sequence numbers mean nothing; everything is read.
    writeFileSync(boot, 'boot-b\n');
    const h = new KmsgFollower({ sourceId: 0, path: kmsg, bootIdFile: boot });
    cleanups.push(() => h.stop());
    const fresh = sink();
    await h.start({ kind: 'kmsg', seq: 12, bootId: 'boot-a' }, fresh.s);
    await until(() => fresh.got.texts.length === 3);
  });

  test('without a boot id a stored sequence number is not trusted: the ring is read from its oldest record', async () => {
    const dir = await tempDir();
    const kmsg = path.join(dir, 'kmsg');
    writeFileSync(kmsg, `${records.join('\n')}\n`);
    // Both runs lacked a boot id: the stored seq 12 may be the last boot's, and this boot's 10 and 11 are new.
    const f = new KmsgFollower({ sourceId: 0, path: kmsg, bootIdFile: path.join(dir, 'no-boot-id') });
    cleanups.push(() => f.stop());
    const { got, s } = sink();
    await f.start({ kind: 'kmsg', seq: 12, bootId: null }, s);
    await until(() => got.texts.length === 3);
    assert.deepEqual(got.texts, [records[0], records[3], records[4]]);
    assert.ok(got.notes.some((n) => /boot id cannot be read/.test(n.message)));
  });

  test('an unreadable device fails the start (watch then falls back)', async () => {
    const f = new KmsgFollower({ sourceId: 0, path: '/nonexistent/kmsg' });
    await assert.rejects(f.start(null, sink().s), /no such device/);
  });
});

describe('journal follower', () => {
  function fakeJournalctl(dir: string, entries: string[]): { bin: string; argsFile: string } {
    const argsFile = path.join(dir, 'args');
    const data = path.join(dir, 'entries.json');
    writeFileSync(data, `${entries.join('\n')}\n`);
    const bin = path.join(dir, 'journalctl');
    // Prints the entries, then ends (the first run) or waits (later runs), recording its arguments each time.
    writeFileSync(
      bin,
      `#!/bin/sh\necho "$@" >> '${argsFile}'\ncat '${data}'\nif [ "$(wc -l < '${argsFile}')" -gt 1 ]; then exec sleep 60; fi\n`,
    );
    chmodSync(bin, 0o755);
    return { bin, argsFile };
  }
  const entry = (cursor: string, message: string) =>
    JSON.stringify({
      __CURSOR: cursor,
      __REALTIME_TIMESTAMP: '1721700227000731',
      _TRANSPORT: 'kernel',
      SYSLOG_IDENTIFIER: 'kernel',
      MESSAGE: message,
    });

  test('positions are cursors; a resume asks for --cursor, a restart after journalctl ended for --after-cursor', async () => {
    const dir = await tempDir();
    const { bin, argsFile } = fakeJournalctl(dir, [entry('s=1;i=a', 'one'), entry('s=1;i=b', 'two')]);
    const f = new JournalFollower({ sourceId: 0, matches: ['_TRANSPORT=kernel'], journalctl: bin });
    cleanups.push(() => f.stop());
    const { got, s } = sink();
    await f.start({ kind: 'journal', cursor: 's=1;i=0' }, s);
    await until(() => got.texts.length === 2);
    assert.deepEqual(got.positions, [
      { kind: 'journal', cursor: 's=1;i=a' },
      { kind: 'journal', cursor: 's=1;i=b' },
    ]);
    // It ended: started again (after 1 s) after the last cursor it handed over.
    await until(() => readFileSync(argsFile, 'utf8').trim().split('\n').length === 2, 5_000);
    const [first, second] = readFileSync(argsFile, 'utf8').trim().split('\n');
    assert.match(first!, /^-f -o json --no-pager -q --cursor=s=1;i=0 _TRANSPORT=kernel$/);
    assert.match(second!, /--after-cursor=s=1;i=b/);
    assert.ok(
      got.notes.some((n) => n.code === 'OOMS_E_WATCH_SOURCE_LOST' && /journalctl ended/.test(n.message)),
    );
    assert.deepEqual(got.up.slice(0, 2), [true, false]);
  });

  test('a first start reads the last entries (-n) as context', async () => {
    const dir = await tempDir();
    const { bin, argsFile } = fakeJournalctl(dir, [entry('s=1;i=a', 'one')]);
    writeFileSync(argsFile, 'earlier run\n');
    const f = new JournalFollower({ sourceId: 0, matches: [], journalctl: bin, initialEntries: 50 });
    cleanups.push(() => f.stop());
    const { got, s } = sink();
    await f.start(null, s);
    await until(() => got.texts.length === 1);
    assert.match(readFileSync(argsFile, 'utf8'), /-n 50/);
  });
});
