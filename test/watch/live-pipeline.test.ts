// The live pipeline end to end in one process, fed by hand with real-world log lines (the scenarios' files) on a
// controlled clock: a kernel kill is final at once, a death without a kill record waits the settle window, kernel
// evidence turns a waiting death into an OOM kill, kills of other processes follow --alert-on, a restart neither
// loses nor repeats an incident, and a crash loop is one alert plus a summary.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Dispatcher } from '../../src/alert/dispatcher.js';
import type { StormPolicy } from '../../src/alert/storm.js';
import { makeWebhook } from '../../src/alert/webhook.js';
import type { Carrier } from '../../src/framing/carrier.js';
import { carrierByFormat } from '../../src/framing/carrier-list.js';
import { Store } from '../../src/store/store.js';
import { LiveCorrelator } from '../../src/watch/live-correlator.js';
import { LiveSource } from '../../src/watch/live-source.js';
import { type AlertOn, Watcher } from '../../src/watch/watcher.js';
import { FakeFollower } from './support/fake-follower.js';
import { Receiver } from './support/receiver.js';

const SCENARIOS = fileURLToPath(new URL('../scenarios/', import.meta.url));
const ZONE = 'Asia/Shanghai';
const read = (scenario: string, file: string): string[] =>
  readFileSync(path.join(SCENARIOS, scenario, 'logs', file), 'utf8')
    .split('\n')
    .filter((l, i, a) => i < a.length - 1 || l !== '');
const at = (iso: string) => Date.parse(iso);

interface Rig {
  readonly watcher: Watcher;
  readonly store: Store;
  readonly feeds: Record<string, FakeFollower>;
  readonly receiver: Receiver | null;
  readonly logs: string[];
  setNow(ms: number): void;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'oomsleuth-pipeline-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function rig(options: {
  db: string;
  createdMs: number;
  files: Record<string, Carrier | null>;
  app?: string | null;
  settleMs?: number;
  alertOn?: AlertOn;
  webhook?: boolean;
  storm?: StormPolicy;
  now?: () => number;
  guard?: boolean;
}): Promise<Rig> {
  let now = options.createdMs;
  const clock = options.now ?? (() => now);
  const store = await Store.open(options.db, { nowMs: options.createdMs });
  const feeds: Record<string, FakeFollower> = {};
  const sources = Object.entries(options.files).map(([name, carrier], i) => {
    const follower = new FakeFollower(name, i);
    feeds[name] = follower;
    return new LiveSource({ follower, sourceId: i, carrier, live: false });
  });
  const logs: string[] = [];
  const guardFollower = options.guard ? new FakeFollower('incidents.jsonl', 99) : null;
  if (guardFollower) feeds['incidents.jsonl'] = guardFollower;
  let receiver: Receiver | null = null;
  let dispatcher: Dispatcher | null = null;
  if (options.webhook) {
    receiver = new Receiver();
    await receiver.up();
    const r = receiver;
    dispatcher = new Dispatcher({
      store,
      webhooks: [makeWebhook(new URL(r.url), 'generic', null, 0)],
      host: 'test-host',
      language: 'en',
      retryBaseMs: 50,
      retryMaxMs: 200,
      ...(options.storm ? { storm: options.storm } : {}),
      log: (_l, m) => logs.push(m),
      ...(options.now ? { now: options.now } : {}),
    });
  }
  const watcher = new Watcher({
    store,
    sources,
    guardIncidents: guardFollower,
    correlator: new LiveCorrelator({
      language: 'en',
      app: options.app ?? null,
      zone: ZONE,
      settleMs: options.settleMs ?? 90_000,
      liveBootTimeMs: null,
    }),
    dispatcher,
    metrics: null,
    host: 'test-host',
    alertOn: options.alertOn ?? 'app',
    log: (_l, m) => logs.push(m),
    now: clock,
  });
  await watcher.start();
  dispatcher?.start();
  cleanups.push(async () => {
    await watcher.stop();
    await dispatcher?.stop();
    await receiver?.down();
    store.close();
  });
  return {
    watcher,
    store,
    feeds,
    receiver,
    logs,
    setNow: (ms) => {
      now = ms;
    },
  };
}

const checkSh = carrierByFormat('check-sh')!;
const appLog = carrierByFormat('app-log')!;
const rfc3339 = carrierByFormat('syslog-rfc3339')!;

describe('live pipeline', () => {
  test('a kernel kill naming the app is final at once; the guardian seeing the same death later adds nothing', async () => {
    const dir = await tempDir();
    const r = await rig({
      db: path.join(dir, 'db'),
      createdMs: at('2024-07-23T00:00:00+08:00'),
      files: { 'check.log': checkSh, 'running.log': appLog, 'kern.log': rfc3339 },
      webhook: true,
    });
    const check = read('carrier-syslog-rfc3339', 'check.log');
    const running = read('carrier-syslog-rfc3339', 'running.log');
    const kern = read('carrier-syslog-rfc3339', 'kern.log');
    const checkCut = check.findIndex((l) => l.includes(' 10:04:01 '));
    const runCut = running.findIndex((l) => l.includes('10:04:01'));
    r.feeds['check.log']!.push(check.slice(0, checkCut));
    r.feeds['running.log']!.push(running.slice(0, runCut));
    r.setNow(at('2024-07-23T10:03:47.5+08:00'));
    r.feeds['kern.log']!.push(kern);
    r.watcher.correlateNow();

    const stored = r.store.listIncidents();
    assert.equal(stored.length, 1, r.logs.join('\n'));
    const [first] = stored;
    assert.equal(first!.incident.cause, 'oom-killer');
    assert.equal(first!.incident.confidence, 'confirmed');
    assert.equal(first!.incident.pid, 23456);
    assert.equal(first!.alertState, 'alerted');
    const kernLine = first!.incident.evidence.find((e) => e.text.includes('Killed process'));
    assert.equal(kernLine?.line, 68, 'evidence cites the line number in the file');

    const bundle = r.store.bundleOf(first!.id);
    assert.equal(
      bundle.oomBlock.length,
      66,
      'the whole report, from "invoked oom-killer" to "Killed process"',
    );
    assert.match(bundle.oomBlock[0]!.text, /invoked oom-killer/);
    assert.match(bundle.oomBlock.at(-1)!.text, /Killed process 23456/);
    assert.ok(
      bundle.oomBlock.some((l) => l.text.includes('[  pid  ]')),
      'the task table is kept',
    );
    assert.equal(bundle.appTail.at(-1)!.text, running[runCut - 1]);
    assert.equal(bundle.appTail.length, runCut);
    assert.ok(bundle.guardian.length > 0);

    await r.receiver!.waitFor(1);
    const doc = r.receiver!.received[0]!.json as { schema: string; id: string; incident: { pid: number } };
    assert.equal(doc.schema, 'oomsleuth.incident/1');
    assert.equal(doc.id, first!.id);
    assert.equal(r.receiver!.received[0]!.headers['idempotency-key'], first!.id);
    assert.equal(doc.incident.pid, 23456);

    // The guardian and the app log then show the death and the restart: the same death, no second incident.
    r.setNow(at('2024-07-23T10:12:00+08:00'));
    r.feeds['check.log']!.push(check.slice(checkCut));
    r.feeds['running.log']!.push(running.slice(runCut));
    r.watcher.correlateNow();
    r.setNow(at('2024-07-23T10:20:00+08:00'));
    r.watcher.correlateNow();
    assert.equal(r.store.listIncidents().length, 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(r.receiver!.received.length, 1);
  });

  test('a death with no kill record waits the settle window, then is unexplained, naming what is missing', async () => {
    const dir = await tempDir();
    const r = await rig({
      db: path.join(dir, 'db'),
      createdMs: at('2024-07-22T00:00:00+08:00'),
      files: { 'check.log': checkSh, 'running.log': appLog },
      settleMs: 90_000,
    });
    r.setNow(at('2024-07-23T03:20:00+08:00'));
    r.feeds['check.log']!.push(read('unexplained-no-kernel-log', 'check.log'));
    r.feeds['running.log']!.push(read('unexplained-no-kernel-log', 'running.log'));
    r.watcher.correlateNow();
    assert.equal(r.store.listIncidents().length, 0, 'waiting for kernel evidence');
    r.setNow(at('2024-07-23T03:21:29+08:00'));
    r.watcher.correlateNow();
    assert.equal(r.store.listIncidents().length, 0, 'still within the settle window');
    r.setNow(at('2024-07-23T03:21:31+08:00'));
    r.watcher.correlateNow();
    const stored = r.store.listIncidents();
    assert.equal(stored.length, 1);
    assert.equal(stored[0]!.incident.cause, 'unexplained');
    assert.ok(stored[0]!.incident.missing.includes('kernel-log'));
    assert.equal(stored[0]!.incident.restartedAt, '2024-07-23T03:13:01+08:00');
    assert.equal(stored[0]!.alertState, 'no-webhook');
    const bundle = r.store.bundleOf(stored[0]!.id);
    assert.ok(bundle.guardian.some((l) => l.text.includes('PID check: 0')));
    assert.ok(bundle.appTail.length > 0);
  });

  test('kernel evidence arriving while a death settles makes it an OOM kill at once', async () => {
    const dir = await tempDir();
    const r = await rig({
      db: path.join(dir, 'db'),
      createdMs: at('2024-07-23T00:00:00+08:00'),
      files: { 'check.log': checkSh, 'running.log': appLog, 'kern.log': rfc3339 },
    });
    r.setNow(at('2024-07-23T10:12:00+08:00'));
    r.feeds['check.log']!.push(read('carrier-syslog-rfc3339', 'check.log'));
    r.feeds['running.log']!.push(read('carrier-syslog-rfc3339', 'running.log'));
    r.watcher.correlateNow();
    assert.equal(r.store.listIncidents().length, 0);
    r.setNow(at('2024-07-23T10:12:10+08:00'));
    r.feeds['kern.log']!.push(read('carrier-syslog-rfc3339', 'kern.log'));
    r.watcher.correlateNow();
    const stored = r.store.listIncidents();
    assert.equal(stored.length, 1);
    assert.equal(stored[0]!.incident.cause, 'oom-killer');
    assert.equal(stored[0]!.incident.restartedAt, '2024-07-23T10:04:01+08:00');
    r.setNow(at('2024-07-23T10:30:00+08:00'));
    r.watcher.correlateNow();
    assert.equal(r.store.listIncidents().length, 1);
  });

  for (const alertOn of ['app', 'any'] as const) {
    test(`kills of other processes are recorded; --alert-on ${alertOn} ${alertOn === 'app' ? 'does not alert them' : 'alerts them'}`, async () => {
      const dir = await tempDir();
      const r = await rig({
        db: path.join(dir, 'db'),
        createdMs: at('2024-07-23T00:00:00+08:00'),
        files: { 'check.log': checkSh, 'running.log': appLog, syslog: carrierByFormat('syslog-rfc3164')! },
        alertOn,
        webhook: true,
        storm: { windowMs: 0, quietMs: 0, maxHoldMs: 0 },
      });
      r.setNow(at('2024-07-23T10:45:00+08:00'));
      r.feeds['check.log']!.push(read('other-kills-app-lived', 'check.log'));
      r.feeds['running.log']!.push(read('other-kills-app-lived', 'running.log'));
      r.feeds.syslog!.push(read('other-kills-app-lived', 'syslog'));
      r.watcher.correlateNow();
      const stored = r.store.listIncidents();
      assert.deepEqual(
        stored.map((s) => [s.kind, s.incident.process, s.incident.pid, s.app]),
        [
          ['other', 'mysqld', 901, 'anqicms'],
          ['other', 'cwebp', 31877, 'anqicms'],
        ],
      );
      assert.ok(stored.every((s) => s.alertState === (alertOn === 'app' ? 'not-alerted' : 'alerted')));
      if (alertOn === 'any') {
        await r.receiver!.waitFor(2);
        assert.deepEqual(
          r.receiver!.received.map((x) => (x.json as { kind: string }).kind),
          ['other', 'other'],
        );
      } else {
        await new Promise((resolve) => setTimeout(resolve, 200));
        assert.equal(r.receiver!.received.length, 0);
      }
    });
  }

  test('restarts: a death not final when watch died is found again (not lost); a stored one is not repeated', async () => {
    const dir = await tempDir();
    const db = path.join(dir, 'db');
    const files = { 'check.log': checkSh, 'running.log': appLog };
    const check = read('unexplained-no-kernel-log', 'check.log');
    const running = read('unexplained-no-kernel-log', 'running.log');
    const createdMs = at('2024-07-22T00:00:00+08:00');

    const a = await rig({ db, createdMs, files, settleMs: 60_000 });
    a.setNow(at('2024-07-23T03:20:00+08:00'));
    a.feeds['check.log']!.push(check);
    a.feeds['running.log']!.push(running);
    a.watcher.correlateNow();
    assert.equal(a.store.listIncidents().length, 0, 'settling when "killed"');
    await a.watcher.stop();
    a.store.close();

    // Restarted: the followers hand the lines again from the stored positions.
    const b = await rig({ db, createdMs, files, settleMs: 60_000 });
    assert.equal(
      (b.feeds['check.log']!.started as { offset: number }).offset,
      0,
      'replays from the oldest line held',
    );
    b.setNow(at('2024-07-23T03:25:00+08:00'));
    b.feeds['check.log']!.push(check);
    b.feeds['running.log']!.push(running);
    b.watcher.correlateNow();
    b.setNow(at('2024-07-23T03:26:01+08:00'));
    b.watcher.correlateNow();
    assert.equal(b.store.listIncidents().length, 1);
    await b.watcher.stop();
    b.store.close();

    const c = await rig({ db, createdMs, files, settleMs: 60_000 });
    c.setNow(at('2024-07-23T03:30:00+08:00'));
    c.feeds['check.log']!.push(check);
    c.feeds['running.log']!.push(running);
    c.watcher.correlateNow();
    c.setNow(at('2024-07-23T03:40:00+08:00'));
    c.watcher.correlateNow();
    assert.equal(c.store.listIncidents().length, 1, 'the replayed lines are claimed: no second incident');
  });

  test("oomsleuth guard's memory samples join the incident, whether they come after it or before", async () => {
    const dir = await tempDir();
    const kern = read('carrier-syslog-rfc3339', 'kern.log');
    const guardLine = (pid: number) =>
      JSON.stringify({
        process: 'anqicms',
        pid,
        diedAt: '2024-07-23T10:03:47.200+08:00',
        cause: 'oom-killer',
        memory: [
          { at: '2024-07-23T10:03:37+08:00', rssKb: 3_500_000, hwmKb: 3_500_000, cgroupUsageKb: null },
          { at: '2024-07-23T10:03:42+08:00', rssKb: 3_900_000, hwmKb: 3_900_000, cgroupUsageKb: null },
        ],
      });
    for (const order of ['after', 'before'] as const) {
      const r = await rig({
        db: path.join(dir, `db-${order}`),
        createdMs: at('2024-07-23T00:00:00+08:00'),
        files: { 'kern.log': rfc3339 },
        app: 'anqicms',
        guard: true,
      });
      r.setNow(at('2024-07-23T10:03:48+08:00'));
      if (order === 'before') r.feeds['incidents.jsonl']!.push(['not json', guardLine(23456)]);
      r.feeds['kern.log']!.push(kern);
      r.watcher.correlateNow();
      if (order === 'after') r.feeds['incidents.jsonl']!.push([guardLine(999), guardLine(23456)]);
      const [stored] = r.store.listIncidents();
      const memory = r.store.bundleOf(stored!.id).memory;
      assert.deepEqual(
        memory.map((m) => m.rssKb),
        [3_500_000, 3_900_000],
        order,
      );
    }
  });

  test('a full disk: reported, the alert goes out anyway, the incident is stored once there is room, never twice', async (t) => {
    if (process.getuid?.() !== 0) {
      const reason = 'needs root to mount a tiny tmpfs';
      if (process.env.CI === 'true') assert.fail(`CI=true, so this is a failure: ${reason}`);
      t.skip(reason);
      return;
    }
    const dir = await tempDir();
    const mount = path.join(dir, 'tiny');
    await mkdir(mount);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mount]);
    cleanups.push(() => {
      execFileSync('umount', ['-l', mount]);
    });
    const r = await rig({
      db: path.join(mount, 'db'),
      createdMs: at('2024-07-23T00:00:00+08:00'),
      files: { 'kern.log': rfc3339 },
      app: 'anqicms',
      webhook: true,
    });
    const filler = path.join(mount, 'filler');
    try {
      execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=4k'], { stdio: 'ignore' });
    } catch {
      // ENOSPC: the disk is full, as wanted
    }
    r.setNow(at('2024-07-23T10:03:48+08:00'));
    r.feeds['kern.log']!.push(read('carrier-syslog-rfc3339', 'kern.log'));
    r.watcher.correlateNow();
    assert.ok(
      r.logs.some((l) => /disk is full.*kept in memory and retried; alerts are sent meanwhile/.test(l)),
      r.logs.join('\n'),
    );
    await r.receiver!.waitFor(1);
    assert.equal(r.store.listIncidents().length, 0);
    await rm(filler);
    for (let i = 0; i < 50 && r.store.listIncidents().length === 0; i++)
      await new Promise((res) => setTimeout(res, 100));
    const [stored] = r.store.listIncidents();
    assert.equal(stored!.incident.pid, 23456);
    assert.equal(
      r.store.outboxOf([stored!.id])[0]!.state,
      'delivered',
      'recorded as delivered, not queued again',
    );
    await new Promise((res) => setTimeout(res, 300));
    assert.equal(r.receiver!.received.length, 1);
  });

  test('a follower that cannot stop is said, not dropped', async () => {
    const dir = await tempDir();
    const r = await rig({
      db: path.join(dir, 'db'),
      createdMs: at('2024-07-23T00:00:00+08:00'),
      files: { 'kern.log': rfc3339 },
      app: 'anqicms',
    });
    r.feeds['kern.log']!.stop = async () => {
      throw new Error('EIO on close');
    };
    await r.watcher.stop();
    assert.ok(
      r.logs.some((l) => /cannot stop following kern\.log cleanly: EIO on close/.test(l)),
      r.logs.join('\n'),
    );
  });

  test('a crash loop is one alert plus a summary, not a flood', async () => {
    const dir = await tempDir();
    const started = Date.now();
    const base = at('2024-07-23T10:00:00+08:00');
    const now = () => base + (Date.now() - started);
    const r = await rig({
      db: path.join(dir, 'db'),
      createdMs: at('2024-07-23T00:00:00+08:00'),
      files: { 'kern.log': rfc3339 },
      app: 'anqicms',
      webhook: true,
      storm: { windowMs: 5 * 60_000, quietMs: 400, maxHoldMs: 60_000 },
      now,
    });
    const kills = [1, 2, 3, 4, 5].map(
      (i) =>
        `2024-07-23T10:0${i}:00.000000+08:00 web1 kernel: [${1000 + i * 60}.000000] Out of memory: Killed process ${4000 + i} (anqicms) total-vm:4123456kB, anon-rss:3987652kB, file-rss:1236kB, shmem-rss:0kB, UID:0 pgtables:7908kB oom_score_adj:0`,
    );
    for (const line of kills) {
      r.feeds['kern.log']!.push([line]);
      r.watcher.correlateNow();
    }
    const stored = r.store.listIncidents();
    assert.deepEqual(
      stored.map((s) => s.alertState),
      ['alerted', 'held', 'held', 'held', 'held'],
    );
    await r.receiver!.waitFor(2, 5_000);
    const [alert, summary] = r.receiver!.received.map((x) => x.json as Record<string, unknown>);
    assert.equal(alert!.schema, 'oomsleuth.incident/1');
    assert.equal(summary!.schema, 'oomsleuth.summary/1');
    assert.equal(summary!.count, 4);
    assert.deepEqual(summary!.causes, { 'oom-killer': 4 });
    assert.ok(
      r.store
        .listIncidents()
        .slice(1)
        .every((s) => s.alertState === 'summarized' && s.summaryId === summary!.id),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(r.receiver!.received.length, 2);
  });
});
