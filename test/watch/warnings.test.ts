// The guard's early warnings, as watch takes them from its incidents file: stored, alerted once with their own
// document (`oomsleuth.warning/1`, one idempotency key per life), not again when read again after a restart, held back
// when another life of the app was warned about within the crash-loop window, never alerted from the backlog; and the
// `oomsleuth_time_to_oom_seconds` gauge counting down from the forecast until the life ends.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { Dispatcher } from '../../src/alert/dispatcher.js';
import { makeWebhook } from '../../src/alert/webhook.js';
import type { WarningRecord } from '../../src/forecast/warning-record.js';
import { Store } from '../../src/store/store.js';
import { warningId } from '../../src/watch/identity.js';
import { LiveCorrelator } from '../../src/watch/live-correlator.js';
import { timeToOomNow, WatchMetrics } from '../../src/watch/metrics.js';
import { Watcher } from '../../src/watch/watcher.js';
import { skipUnlessCi } from '../helpers/skip.js';
import { FakeFollower } from './support/fake-follower.js';
import { Receiver } from './support/receiver.js';

const at = (iso: string) => Date.parse(iso);
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function warning(over: Partial<WarningRecord> = {}): WarningRecord {
  return {
    type: 'warning',
    process: 'anqicms',
    pid: 4242,
    startedAt: '2024-07-23T09:03:47+08:00',
    at: '2024-07-23T10:00:00+08:00',
    reason: 'trend',
    ceiling: 'memory-limit',
    usedKb: 53_248,
    ceilingKb: 65_536,
    timeToOomS: 480,
    timeToOomBandS: [360, 660],
    oomExpectedAt: '2024-07-23T10:08:00+08:00',
    growthKbPerS: 20.5,
    fitSpanS: 550,
    warnBeforeS: 600,
    memoryLimitKb: 65_536,
    availableKb: 3_000_000,
    says: 'pid 4242 may run out of memory in about 8m (6m–11m): memory cgroup at 52 MiB of 64 MiB, growing 1.2 MiB/min over the last 9m10s',
    command: ['/www/anqicms/anqicms'],
    ...over,
  };
}

/** The guard's death record of a life (what ends its warning's countdown). */
const death = (pid: number, diedAt: string) =>
  JSON.stringify({ process: 'anqicms', pid, diedAt, cause: 'oom-killer', memory: [] });

async function rig(options: {
  db: string;
  createdMs: number;
  now: () => number;
  webhook?: boolean;
  crashLoopMs?: number;
  metrics?: boolean;
}) {
  const store = await Store.open(options.db, { nowMs: options.createdMs });
  const guard = new FakeFollower('incidents.jsonl', 99);
  const logs: string[] = [];
  let receiver: Receiver | null = null;
  let dispatcher: Dispatcher | null = null;
  if (options.webhook !== false) {
    receiver = new Receiver();
    await receiver.up();
    dispatcher = new Dispatcher({
      store,
      webhooks: [makeWebhook(new URL(receiver.url), 'generic', null, 0)],
      host: 'web1',
      language: 'en',
      retryBaseMs: 50,
      retryMaxMs: 200,
      storm: { windowMs: options.crashLoopMs ?? 5 * 60_000, quietMs: 5 * 60_000, maxHoldMs: 30 * 60_000 },
      log: (_l, m) => logs.push(m),
      now: options.now,
    });
  }
  const metrics = options.metrics ? await WatchMetrics.create(store.metricTotals()) : null;
  const watcher = new Watcher({
    store,
    sources: [],
    guardIncidents: guard,
    correlator: new LiveCorrelator({
      language: 'en',
      app: 'anqicms',
      zone: 'Asia/Shanghai',
      settleMs: 90_000,
      liveBootTimeMs: null,
    }),
    dispatcher,
    metrics,
    host: 'web1',
    alertOn: 'app',
    log: (_l, m) => logs.push(m),
    now: options.now,
  });
  await watcher.start();
  dispatcher?.start();
  const stop = async () => {
    await watcher.stop();
    await dispatcher?.stop();
    await receiver?.down();
    store.close();
  };
  cleanups.push(stop);
  return { store, guard, receiver, logs, metrics, stop };
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'oomsleuth-warnings-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const settle = (ms = 300) => new Promise((resolve) => setTimeout(resolve, ms));

describe('early warnings in watch', () => {
  test('stored and alerted once, with their own document and a key per life — also after a restart', async () => {
    const dir = await tempDir();
    const db = path.join(dir, 'db');
    const now = () => at('2024-07-23T10:00:01+08:00');
    const w = warning();
    const first = await rig({ db, createdMs: at('2024-07-23T00:00:00+08:00'), now });
    // Incident lines and torn lines around it are not warnings.
    first.guard.push(['{"type":"warning",', JSON.stringify(w), 'not json']);
    await first.receiver!.waitFor(1, 5_000);
    const [stored] = first.store.listWarnings();
    assert.equal(stored?.id, warningId(w));
    assert.match(stored!.id, /^20240723T010347Z-anqicms-warn-[0-9a-f]{6}$/);
    assert.equal(stored?.alertState, 'alerted');
    assert.deepEqual(stored?.warning, w);
    const got = first.receiver!.received[0]!;
    assert.equal(got.headers['idempotency-key'], stored!.id);
    assert.deepEqual(got.json, {
      schema: 'oomsleuth.warning/1',
      id: stored!.id,
      host: 'web1',
      app: 'anqicms',
      warning: w,
    });
    assert.ok(first.logs.some((l) => l.startsWith(`warning ${stored!.id}: anqicms pid 4242 may run out`)));
    await first.stop();

    // A restarted watch that reads the same line again (its position was not saved): nothing new.
    const second = await rig({ db, createdMs: at('2024-07-23T00:00:00+08:00'), now });
    second.guard.push([JSON.stringify(w)]);
    await settle();
    assert.equal(second.store.listWarnings().length, 1);
    assert.equal(second.receiver!.received.length, 0);
  });

  test('the next life’s warning within the crash-loop window is stored, not alerted; with the window off it is', async () => {
    const dir = await tempDir();
    for (const [crashLoopMs, expected] of [
      [5 * 60_000, ['alerted', 'repeated']],
      [0, ['alerted', 'alerted']],
    ] as const) {
      const r = await rig({
        db: path.join(dir, `db-${crashLoopMs}`),
        createdMs: at('2024-07-23T00:00:00+08:00'),
        now: () => at('2024-07-23T10:01:00+08:00'),
        crashLoopMs,
      });
      r.guard.push([
        JSON.stringify(warning()),
        death(4242, '2024-07-23T10:00:30+08:00'),
        JSON.stringify(
          warning({ pid: 4301, startedAt: '2024-07-23T10:00:31+08:00', at: '2024-07-23T10:00:50+08:00' }),
        ),
      ]);
      await r.receiver!.waitFor(expected.filter((s) => s === 'alerted').length, 5_000);
      await settle();
      assert.deepEqual(
        r.store.listWarnings().map((s) => s.alertState),
        expected,
      );
      assert.equal(r.receiver!.received.length, expected.filter((s) => s === 'alerted').length);
    }
  });

  test('warnings from before the store first ran are stored without an alert; no webhook, no alert', async () => {
    const dir = await tempDir();
    const backlog = await rig({
      db: path.join(dir, 'db-backlog'),
      createdMs: at('2024-07-23T11:00:00+08:00'),
      now: () => at('2024-07-23T11:00:01+08:00'),
    });
    backlog.guard.push([JSON.stringify(warning())]);
    await settle();
    assert.deepEqual(
      backlog.store.listWarnings().map((s) => s.alertState),
      ['backlog'],
    );
    assert.equal(backlog.receiver!.received.length, 0);
    const quiet = await rig({
      db: path.join(dir, 'db-quiet'),
      createdMs: at('2024-07-23T00:00:00+08:00'),
      now: () => at('2024-07-23T10:00:01+08:00'),
      webhook: false,
    });
    quiet.guard.push([JSON.stringify(warning())]);
    assert.deepEqual(
      quiet.store.listWarnings().map((s) => s.alertState),
      ['no-webhook'],
    );
  });

  test('a full disk: the warning is alerted anyway, stored once there is room, its line not counted as read till then', async (t) => {
    if (process.getuid?.() !== 0) return skipUnlessCi(t, 'needs root to mount a tiny tmpfs');
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
      now: () => at('2024-07-23T10:00:01+08:00'),
    });
    const filler = path.join(mount, 'filler');
    try {
      execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=4k'], { stdio: 'ignore' });
    } catch {
      // ENOSPC: the disk is full, as wanted
    }
    r.guard.push([death(1, '2024-07-23T09:00:00+08:00'), JSON.stringify(warning())]);
    assert.ok(
      r.logs.some((l) =>
        /disk is full.*1 warning\(s\) kept in memory and retried; alerts are sent meanwhile/.test(l),
      ),
      r.logs.join('\n'),
    );
    await r.receiver!.waitFor(1);
    assert.equal(r.store.listWarnings().length, 0);
    await rm(filler);
    for (let i = 0; i < 50 && r.store.listWarnings().length === 0; i++) await settle(100);
    const [stored] = r.store.listWarnings();
    assert.equal(stored?.id, warningId(warning()));
    assert.equal(
      r.store.outboxOf([stored!.id])[0]?.state,
      'delivered',
      'recorded as delivered, not queued again',
    );
    assert.equal(r.store.loadPositions().get('file:incidents.jsonl')?.read?.kind, 'file');
    await settle();
    assert.equal(r.receiver!.received.length, 1);
  });

  test('oomsleuth_time_to_oom_seconds counts down from the forecast, per app, until the life ends — across a restart', async () => {
    const dir = await tempDir();
    const db = path.join(dir, 'db');
    const r = await rig({
      db,
      createdMs: at('2024-07-23T00:00:00+08:00'),
      now: () => at('2024-07-23T10:00:01+08:00'),
      webhook: false,
      metrics: true,
    });
    const w = warning({ at: new Date(Date.now() - 30_000).toISOString() });
    r.guard.push([JSON.stringify(w)]);
    const value = r.metrics!.timeToOom('anqicms');
    assert.ok(value !== null && value > 445 && value <= 450, String(value));
    const text = await r.metrics!.registry.metrics();
    assert.match(text, /^# TYPE oomsleuth_time_to_oom_seconds gauge$/m);
    assert.match(text, /^oomsleuth_time_to_oom_seconds\{app="anqicms"\} 4[45]\d(\.\d+)?$/m);
    await r.stop();

    // A restarted watch finds the standing warning in its store.
    const again = await rig({
      db,
      createdMs: at('2024-07-23T00:00:00+08:00'),
      now: () => at('2024-07-23T10:00:01+08:00'),
      webhook: false,
      metrics: true,
    });
    assert.ok((again.metrics!.timeToOom('anqicms') ?? 0) > 400);
    // A death of another life does not end it; the death of its own does.
    again.guard.push([death(999, new Date().toISOString())]);
    assert.notEqual(again.metrics!.timeToOom('anqicms'), null);
    again.guard.push([death(4242, new Date().toISOString())]);
    assert.equal(again.metrics!.timeToOom('anqicms'), null);
    assert.doesNotMatch(await again.metrics!.registry.metrics(), /^oomsleuth_time_to_oom_seconds\{/m);
  });

  test('the countdown: the forecast less the time since, never below 0; a near-limit warning without one is 0', () => {
    const w = { app: 'anqicms', pid: 1, atMs: 1_000_000, timeToOomS: 100 };
    assert.equal(timeToOomNow(w, 1_000_000), 100);
    assert.equal(timeToOomNow(w, 1_040_000), 60);
    assert.equal(timeToOomNow(w, 2_000_000), 0);
    assert.equal(timeToOomNow({ ...w, timeToOomS: null }, 1_000_000), 0);
  });
});
