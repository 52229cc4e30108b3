// Issue 13, defects 1 and 3: an incident is known by the kernel event it reports, not by where it was read. The copy a
// copytruncate leaves (syslog.1, another inode) read again after a restart, and the same kill read first from the
// kernel ring and then from syslog, are the stored incident — never a second incident, never a second alert.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { carrierByFormat } from '../../src/framing/carrier-list.js';
import { type PipelineRig, pipelineRig } from './support/pipeline-rig.js';
import { Receiver } from './support/receiver.js';

const SCENARIO = fileURLToPath(new URL('../scenarios/same-kill-three-carriers/logs/', import.meta.url));
const lines = (file: string): string[] =>
  readFileSync(path.join(SCENARIO, file), 'utf8')
    .split('\n')
    .filter((l) => l !== '');
const syslog = lines('syslog');
const dmesg = lines('dmesg.txt');
/** The same syslog as a classic rsyslog writes it without the kernel's own `[seconds]` stamp. */
const plainSyslog = syslog.map((l) => l.replace(/ kernel: \[\s*\d+\.\d+\] /, ' kernel: '));
const rfc3164 = carrierByFormat('syslog-rfc3164')!;
const dmesgRaw = carrierByFormat('dmesg')!;
const createdMs = Date.parse('2024-07-23T00:00:00Z');
const afterKillMs = Date.parse('2024-07-23T10:03:48Z');

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(): Promise<{ db: string; receiver: Receiver }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'oomsleuth-identity-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const receiver = new Receiver();
  await receiver.up();
  cleanups.push(() => receiver.down());
  return { db: path.join(dir, 'db'), receiver };
}

async function started(rig: Promise<PipelineRig>): Promise<PipelineRig> {
  const r = await rig;
  cleanups.push(() => r.close());
  r.setNow(afterKillMs);
  return r;
}

async function settle(r: PipelineRig, receiver: Receiver): Promise<void> {
  r.watcher.correlateNow();
  await new Promise((resolve) => setTimeout(resolve, 400));
  void receiver;
}

for (const [name, text] of [
  ['with the kernel stamp', syslog],
  ['classic, without the kernel stamp', plainSyslog],
] as const) {
  test(`copytruncate while stopped: the copy read again after a restart is the same incident (syslog ${name})`, async () => {
    const { db, receiver } = await setup();
    const files = { syslog: rfc3164 };
    const a = await started(pipelineRig({ db, createdMs, files, receiver }));
    a.feeds.syslog!.push(text);
    await settle(a, receiver);
    assert.equal(a.store.listIncidents().length, 1, a.logs.join('\n'));
    const firstId = a.store.listIncidents()[0]!.id;
    await a.close();

    // Restarted after a copytruncate: the follower reads the copy (another inode) from where the ring replays.
    const feeds = a.feeds;
    feeds.syslog!.newInode();
    const b = await started(pipelineRig({ db, createdMs, files, feeds, receiver }));
    b.feeds.syslog!.push(text);
    await settle(b, receiver);
    const stored = b.store.listIncidents();
    assert.deepEqual(
      stored.map((i) => i.id),
      [firstId],
      `one incident, not a second from the copy:\n${b.logs.join('\n')}`,
    );
    assert.equal(receiver.received.length, 1, 'one alert');
  });
}

test('the same kill read from the kernel ring and then from syslog after a restart is one incident', async () => {
  const { db, receiver } = await setup();
  const files = { 'dmesg.txt': dmesgRaw, syslog: rfc3164 };
  const a = await started(pipelineRig({ db, createdMs, files, receiver }));
  a.feeds['dmesg.txt']!.push(dmesg);
  await settle(a, receiver);
  assert.equal(a.store.listIncidents().length, 1, a.logs.join('\n'));
  await a.close();

  // watch was stopped before syslog had the kill; after the restart only syslog has news.
  const b = await started(pipelineRig({ db, createdMs, files, feeds: a.feeds, receiver }));
  b.feeds.syslog!.push(syslog);
  await settle(b, receiver);
  assert.equal(b.store.listIncidents().length, 1, b.logs.join('\n'));
  assert.equal(receiver.received.length, 1, 'one alert');
});

test('the same kill in the kernel ring and in syslog within one run is one incident', async () => {
  const { db, receiver } = await setup();
  const files = { 'dmesg.txt': dmesgRaw, syslog: rfc3164 };
  const a = await started(pipelineRig({ db, createdMs, files, receiver }));
  a.feeds['dmesg.txt']!.push(dmesg);
  a.watcher.correlateNow();
  a.feeds.syslog!.push(syslog);
  await settle(a, receiver);
  assert.equal(a.store.listIncidents().length, 1, a.logs.join('\n'));
  assert.equal(receiver.received.length, 1, 'one alert');
});
