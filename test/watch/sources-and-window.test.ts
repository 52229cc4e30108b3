// Which sources watch follows (the kernel-log fallbacks, said with their reasons; PATH folders; --app-dir), and the
// live window: bounded however long watch runs, still correlating after it was trimmed, evidence citing file lines.
import assert from 'node:assert/strict';
import { symlinkSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { carrierByFormat } from '../../src/framing/carrier-list.js';
import { LiveCorrelator } from '../../src/watch/live-correlator.js';
import { LiveSource } from '../../src/watch/live-source.js';
import { planSources } from '../../src/watch/plan-sources.js';
import { FakeFollower } from './support/fake-follower.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'oomsleuth-plan-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('sources', () => {
  test('no /dev/kmsg, no journald: the syslog files, and the fallback is said with its reasons', async () => {
    const dir = await tempDir();
    writeFileSync(path.join(dir, 'syslog'), '');
    writeFileSync(path.join(dir, 'kern.log'), '');
    const plan = await planSources({
      paths: [],
      appDir: dir,
      app: null,
      guardIncidents: null,
      kmsgPath: path.join(dir, 'no-kmsg'),
      journalSocket: path.join(dir, 'no-socket'),
      logDir: dir,
    });
    cleanups.push(() => plan.watches.closeAll());
    assert.deepEqual(
      plan.sources.map((s) => s.follower.displayPath),
      [
        path.join(dir, 'syslog'),
        path.join(dir, 'kern.log'),
        path.join(dir, 'check.log'),
        path.join(dir, 'running.log'),
      ],
    );
    assert.deepEqual(
      plan.sources.map((s) => s.carrier?.format ?? null),
      [null, null, 'check-sh', 'app-log'],
    );
    const note = plan.notes.find((n) => n.code === 'OOMS_E_WATCH_SOURCE_FALLBACK');
    assert.match(
      note!.message,
      /cannot read .*no-kmsg: no such device .* no running journald .* following .*syslog/,
    );
    assert.equal(plan.guardIncidents?.displayPath, path.join(dir, 'incidents.jsonl'));
  });

  test('nothing readable at all: said, with the fix', async () => {
    const dir = await tempDir();
    const plan = await planSources({
      paths: [],
      appDir: null,
      app: null,
      guardIncidents: null,
      kmsgPath: path.join(dir, 'no-kmsg'),
      journalSocket: path.join(dir, 'no-socket'),
      logDir: dir,
    });
    assert.equal(plan.sources.length, 0);
    assert.match(plan.notes[0]!.message, /no kernel log is followed, .* run watch as root/);
  });

  test('a PATH folder: its live files, not the rotated copies; a PATH that does not exist yet is followed', async () => {
    const dir = await tempDir();
    const logs = path.join(dir, 'logs');
    await mkdir(logs);
    for (const name of ['running.log', 'running.log.1', 'syslog', 'syslog.2.gz', 'check.log']) {
      writeFileSync(path.join(logs, name), 'x\n');
    }
    const later = path.join(dir, 'later.log');
    const plan = await planSources({ paths: [logs, later], appDir: null, app: null, guardIncidents: null });
    cleanups.push(() => plan.watches.closeAll());
    assert.deepEqual(
      plan.sources.map((s) => path.basename(s.follower.displayPath)),
      ['later.log', 'check.log', 'running.log', 'syslog'].sort((a, b) =>
        a === 'later.log' ? 1 : b === 'later.log' ? -1 : a.localeCompare(b),
      ),
    );
    assert.ok(plan.notes.some((n) => /later\.log does not exist \(yet\)/.test(n.message)));
  });

  test('a PATH or a folder entry that cannot be looked at is said as it is, not as missing or skipped', async () => {
    const dir = await tempDir();
    const logs = path.join(dir, 'logs');
    await mkdir(logs);
    writeFileSync(path.join(logs, 'syslog'), 'x\n');
    symlinkSync('loop.log', path.join(logs, 'loop.log'));
    const loop = path.join(dir, 'loop');
    symlinkSync('loop', loop);
    const plan = await planSources({ paths: [logs, loop], appDir: null, app: null, guardIncidents: null });
    cleanups.push(() => plan.watches.closeAll());
    assert.ok(
      plan.notes.some(
        (n) => n.code === 'OOMS_E_SOURCE_UNREADABLE' && /loop\.log: too many symbolic links/.test(n.message),
      ),
      JSON.stringify(plan.notes),
    );
    // The looping PATH is followed (its follower says why it cannot be read), never called missing.
    assert.ok(!plan.notes.some((n) => /does not exist/.test(n.message)), JSON.stringify(plan.notes));
    assert.ok(plan.sources.some((s) => s.follower.displayPath === loop));
  });
});

describe('the live window', () => {
  test('stays bounded on a long run, and correlation still works after a trim', () => {
    const follower = new FakeFollower('check.log', 0);
    const source = new LiveSource({
      follower,
      sourceId: 0,
      carrier: carrierByFormat('check-sh')!,
      live: false,
    });
    void follower.start(null, { batch: (b) => source.push(b), note: () => undefined, up: () => undefined });
    // A guardian check every minute for ~4 days, alternating counts so no run compresses away: 6,000 observations.
    const lines: string[] = [];
    const base = Date.parse('2024-07-20T00:00:00Z');
    const stamp = (ms: number) => {
      const d = new Date(ms);
      const p = (n: number) => String(n).padStart(2, '0');
      return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
    };
    for (let i = 0; i < 6_000; i++)
      lines.push(`${stamp(base + i * 60_000)} anqicms PID check: ${1 + (i % 2)}`);
    // Then a death: the count drops to 0.
    lines.push(`${stamp(base + 6_000 * 60_000)} anqicms PID check: 0`);
    lines.push(`${stamp(base + 6_001 * 60_000)} anqicms PID check: 1`);
    const correlator = new LiveCorrelator({
      language: 'en',
      app: 'anqicms',
      zone: 'UTC',
      settleMs: 60_000,
      liveBootTimeMs: null,
    });
    const finals = [];
    for (let i = 0; i < lines.length; i += 500) {
      follower.push(lines.slice(i, i + 500));
      finals.push(...correlator.run([source], base).finalized);
      source.trim(Number.POSITIVE_INFINITY);
    }
    assert.equal(finals.length, 0, 'the death settles first');
    const window = source.snapshot(base, 'UTC')!;
    assert.ok(window.observations.length <= 3_000, `${window.observations.length} observations kept`);
    assert.ok(source.ring.size <= 500, `${source.ring.size} lines held`);
    const { finalized } = correlator.run([source], base + 60_000);
    const deaths = finalized.filter((f) => f.candidate.kind === 'app');
    assert.equal(deaths.length, 1);
    const firstDead = deaths[0]!.candidate.incident.evidence.find((e) => e.text.endsWith('PID check: 0'));
    assert.equal(firstDead?.line, 6_001, 'evidence cites the line number in the file');
  });
});
