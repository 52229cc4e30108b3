// The store: file modes, WAL, migrations, one transaction per incident (with its claims, positions and outbox), the
// errors that stop watch at start, and a full disk (a real, tiny tmpfs) reported as a write error that passes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import type { Incident } from '../../src/contract/analysis.js';
import { OomsleuthError } from '../../src/errors.js';
import { defaultStorePath } from '../../src/store/default-path.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/migrations.js';
import { EMPTY_BUNDLE, type StoredIncident } from '../../src/store/records.js';
import { type IncidentCommit, Store, StoreWriteError } from '../../src/store/store.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'oomsleuth-store-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function open(file: string, options?: Parameters<typeof Store.open>[1]): Promise<Store> {
  const store = await Store.open(file, options);
  cleanups.push(() => store.close());
  return store;
}

function incident(over: Partial<Incident> = {}): Incident {
  return {
    process: 'anqicms',
    pid: 12345,
    diedAt: '2024-07-23T10:03:47+08:00',
    diedWithin: null,
    restartedAt: null,
    cause: 'oom-killer',
    confidence: 'confirmed',
    oom: {
      scope: 'memcg',
      cgroup: '/app',
      invokedBy: 'anqicms',
      totalVmKb: 1,
      anonRssKb: 2,
      fileRssKb: 3,
      shmemRssKb: 0,
      oomScoreAdj: 0,
    },
    missing: [],
    evidence: [
      { source: '/dev/kmsg', line: 7, time: null, text: 'Killed process 12345 (anqicms)', says: 'kill' },
    ],
    ...over,
  };
}

function commit(id: string, over: Partial<IncidentCommit> = {}, inc: Partial<Incident> = {}): IncidentCommit {
  const stored: StoredIncident = {
    id,
    kind: 'app',
    app: 'anqicms',
    host: 'h',
    incident: incident(inc),
    finalizedMs: 1_000,
    alertState: 'alerted',
    summaryId: null,
  };
  return {
    stored,
    bundle: {
      oomBlock: [{ source: '/dev/kmsg', line: 1, text: 'invoked oom-killer' }],
      appTail: [{ source: 'running.log', line: 9, text: 'last words' }],
      guardian: [],
      memory: [{ at: '2024-07-23T10:03:40+08:00', rssKb: 100, hwmKb: 120, cgroupUsageKb: null }],
    },
    claims: [`${id}-k1`, `${id}-k2`],
    positions: [
      {
        source: 'kmsg',
        replay: { kind: 'kmsg', seq: 5, bootId: 'b' },
        read: { kind: 'kmsg', seq: 9, bootId: 'b' },
      },
    ],
    outbox: [{ alertId: id, kind: 'incident', webhook: 'w1', payload: '{}' }],
    ...over,
  };
}

describe('store', () => {
  test('created with the folder 0700 and the file 0600, in WAL mode, at the current schema', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'state', 'oomsleuth', 'oomsleuth.db');
    const store = await open(file, { nowMs: 42 });
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.equal((await stat(path.dirname(file))).mode & 0o777, 0o700);
    store.commitIncident(commit('a'));
    for (const suffix of ['-wal', '-shm'])
      assert.equal((await stat(file + suffix)).mode & 0o777, 0o600, suffix);
    const raw = new Database(file, { readonly: true });
    assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(raw.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    raw.close();
    assert.equal(store.createdMs(), 42);
    store.close();
    const again = await open(file, { nowMs: 99 });
    assert.equal(again.createdMs(), 42, 'the first start is remembered');
  });

  test('an existing file with loose permissions is tightened', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'o.db');
    writeFileSync(file, '', { mode: 0o644 });
    await open(file);
    assert.equal((await stat(file)).mode & 0o777, 0o600);
  });

  test('an incident whose kernel event another one claimed is that one read again: nothing new, no alert', async () => {
    const dir = await tempDir();
    const store = await open(path.join(dir, 'o.db'));
    assert.equal(store.commitIncident(commit('i1', { claims: ['i1-k1', 'kmono:5:23456'] })), true);
    assert.equal(store.commitIncident(commit('i2', { claims: ['i2-k1', 'kmono:5:23456'] })), false);
    assert.deepEqual(
      store.listIncidents().map((i) => i.id),
      ['i1'],
    );
    assert.equal(store.outboxOf(['i2']).length, 0, 'no alert for the copy');
    assert.equal(store.claimsSince(0).get('i2-k1'), 'i1', "the copy's lines belong to the stored incident");
  });

  test('an incident, its bundle, claims, outbox and the positions are written together, once', async () => {
    const dir = await tempDir();
    const store = await open(path.join(dir, 'o.db'));
    assert.equal(store.commitIncident(commit('i1')), true);
    assert.equal(store.commitIncident(commit('i1')), false, 'the same incident twice is one');
    assert.equal(store.listIncidents().length, 1);
    assert.equal(store.outboxOf(['i1']).length, 1);
    const bundle = store.bundleOf('i1');
    assert.deepEqual(bundle.appTail, [{ source: 'running.log', line: 9, text: 'last words' }]);
    assert.equal(bundle.memory[0]!.rssKb, 100);
    assert.deepEqual([...store.claimsSince(0).entries()].sort(), [
      ['i1-k1', 'i1'],
      ['i1-k2', 'i1'],
    ]);
    assert.equal(store.claimantOf(['nope', 'i1-k2']), 'i1');
    assert.deepEqual(store.loadPositions().get('kmsg')?.replay, { kind: 'kmsg', seq: 5, bootId: 'b' });
    store.savePositions([
      { source: 'journal', replay: { kind: 'journal', cursor: 's=1;i=2' }, read: null },
      {
        source: 'file:/x',
        replay: { kind: 'file', dev: 1, ino: 2, offset: 3, lineNo: 4, head: 'aGk=' },
        read: null,
      },
    ]);
    const positions = store.loadPositions();
    assert.deepEqual(positions.get('journal')?.replay, { kind: 'journal', cursor: 's=1;i=2' });
    assert.deepEqual(positions.get('file:/x')?.replay, {
      kind: 'file',
      dev: 1,
      ino: 2,
      offset: 3,
      lineNo: 4,
      head: 'aGk=',
    });
  });

  test('listing: by time and cause, an id prefix, totals for the metrics', async () => {
    const dir = await tempDir();
    const store = await open(path.join(dir, 'o.db'));
    store.commitIncident(commit('20240723T020347Z-anqicms-aaaaaa'));
    store.commitIncident(
      commit(
        '20240723T030000Z-anqicms-bbbbbb',
        {},
        { diedAt: '2024-07-23T11:00:00+08:00', cause: 'crash', oom: null },
      ),
    );
    assert.equal(store.listIncidents({ cause: 'crash' }).length, 1);
    assert.equal(store.listIncidents({ sinceMs: Date.parse('2024-07-23T10:30:00+08:00') }).length, 1);
    assert.equal(store.findIncident('20240723T0203').incident?.id, '20240723T020347Z-anqicms-aaaaaa');
    assert.deepEqual(store.findIncident('20240723T0').ambiguous.length, 2);
    const totals = store.metricTotals();
    assert.deepEqual(totals.kills, [{ process: 'anqicms', scope: 'memcg', count: 1 }]);
    assert.equal(totals.incidents.length, 2);
  });

  test('early warnings: stored once per id, with their outbox rows; the newest standing one per app for the gauge', async () => {
    const dir = await tempDir();
    const store = await open(path.join(dir, 'o.db'));
    const warning = (pid: number, at: string) => ({
      id: `w-${pid}`,
      app: 'anqicms',
      host: 'h',
      receivedMs: Date.parse(at),
      alertState: 'alerted' as const,
      warning: {
        type: 'warning' as const,
        process: 'anqicms',
        pid,
        startedAt: '2024-07-23T09:00:00+08:00',
        at,
        reason: 'trend' as const,
        ceiling: 'memory-limit' as const,
        usedKb: 1,
        ceilingKb: 2,
        timeToOomS: 300,
        timeToOomBandS: [200, 400] as const,
        oomExpectedAt: null,
        growthKbPerS: 1,
        fitSpanS: 60,
        warnBeforeS: 600,
        memoryLimitKb: 2,
        availableKb: null,
        says: 'pid … may run out of memory in about 5m',
        command: [],
      },
    });
    const first = warning(12345, '2024-07-23T10:00:00+08:00');
    const outbox = [{ alertId: 'w-12345', kind: 'warning' as const, webhook: 'w1', payload: '{}' }];
    assert.equal(store.commitWarning({ stored: first, outbox, positions: [] }), true);
    assert.equal(store.commitWarning({ stored: first, outbox, positions: [] }), false, 'one per id');
    assert.equal(store.outboxOf(['w-12345']).length, 1);
    assert.equal(store.outboxOf(['w-12345'])[0]?.kind, 'warning');
    assert.deepEqual(store.listWarnings(), [first]);
    assert.equal(store.warningAlertedSince('anqicms', Date.parse('2024-07-23T09:59:00+08:00')), true);
    assert.equal(store.warningAlertedSince('anqicms', Date.parse('2024-07-23T10:01:00+08:00')), false);
    assert.deepEqual(store.metricTotals().warnings, [
      { app: 'anqicms', pid: 12345, atMs: Date.parse(first.warning.at), timeToOomS: 300 },
    ]);
    // The life it warned about died (incident i1 of pid 12345 at 10:03:47): no warning stands.
    store.commitIncident(commit('i1'));
    assert.deepEqual(store.metricTotals().warnings, []);
    // The next life's warning stands.
    const next = warning(12401, '2024-07-23T10:30:00+08:00');
    store.commitWarning({ stored: next, outbox: [], positions: [] });
    assert.deepEqual(
      store.metricTotals().warnings?.map((w) => w.pid),
      [12401],
    );
  });

  test('a store of schema 1 is migrated: its outbox kept, warnings accepted', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'v1.db');
    const raw = new Database(file);
    raw.exec(MIGRATIONS[0]!);
    raw.pragma('user_version = 1');
    raw
      .prepare(
        `INSERT INTO outbox (alert_id, kind, webhook, payload, state, attempts, next_attempt_ms, created_ms)
         VALUES ('i-old', 'incident', 'w1', '{}', 'pending', 3, 5, 1)`,
      )
      .run();
    raw.close();
    const store = await open(file);
    const [kept] = store.outboxOf(['i-old']);
    assert.equal(kept?.attempts, 3);
    assert.equal(kept?.state, 'pending');
    const check = new Database(file, { readonly: true });
    assert.equal(check.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    check.close();
  });

  test('errors that stop watch at start: missing store for reading, unwritable place, newer schema', async () => {
    const dir = await tempDir();
    await assert.rejects(Store.open(path.join(dir, 'none.db'), { readOnly: true }), (e: unknown) => {
      return e instanceof OomsleuthError && e.code === 'OOMS_E_STORE_NOT_FOUND';
    });
    const blocker = path.join(dir, 'file');
    writeFileSync(blocker, 'x');
    await assert.rejects(Store.open(path.join(blocker, 'o.db')), (e: unknown) => {
      assert.ok(e instanceof OomsleuthError && e.code === 'OOMS_E_STORE_UNWRITABLE', String(e));
      assert.match(e.message, /pass --db/);
      return true;
    });
    const newer = path.join(dir, 'newer.db');
    const raw = new Database(newer);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    await assert.rejects(
      Store.open(newer),
      (e: unknown) => e instanceof OomsleuthError && e.code === 'OOMS_E_STORE_NEWER',
    );
    const notDb = path.join(dir, 'text.db');
    writeFileSync(
      notDb,
      'this is not a database, just text that is long enough to have a header...'.repeat(20),
    );
    await assert.rejects(
      Store.open(notDb),
      (e: unknown) => e instanceof OomsleuthError && /not an SQLite database/.test(e.message),
    );
  });

  test('the default path: /var/lib as root, XDG state folder otherwise', () => {
    assert.equal(defaultStorePath({}, 0), '/var/lib/oomsleuth/oomsleuth.db');
    assert.equal(defaultStorePath({ XDG_STATE_HOME: '/x/state' }, 1000), '/x/state/oomsleuth/oomsleuth.db');
    assert.equal(defaultStorePath({ HOME: '/home/u' }, 1000), '/home/u/.local/state/oomsleuth/oomsleuth.db');
  });

  test('a full disk is a write error that passes: the store takes writes again once there is space', async (t) => {
    if (process.getuid?.() !== 0) {
      const reason = 'needs root to mount a tiny tmpfs';
      if (process.env.CI === 'true') assert.fail(`CI=true, so this is a failure: ${reason}`);
      t.skip(reason);
      return;
    }
    const dir = await tempDir();
    const mount = path.join(dir, 'tiny');
    await mkdir(mount);
    // Room for the schema (every migration), one small incident and, once the filler is gone, the big one.
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=768k', 'tmpfs', mount]);
    cleanups.push(() => {
      execFileSync('umount', ['-l', mount]);
    });
    const store = await open(path.join(mount, 'o.db'));
    store.commitIncident(commit('before'));
    // Fill the disk to the last byte.
    const filler = path.join(mount, 'filler');
    try {
      execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=4k'], { stdio: 'ignore' });
    } catch {
      // dd stops with ENOSPC, as wanted
    }
    const big = {
      ...commit('full'),
      bundle: {
        ...EMPTY_BUNDLE,
        oomBlock: Array.from({ length: 400 }, (_, i) => ({ source: 'k', line: i, text: 'x'.repeat(500) })),
      },
    };
    assert.throws(
      () => store.commitIncident(big),
      (e: unknown) => e instanceof StoreWriteError && /full|I\/O/.test(e.message),
    );
    assert.equal(store.findIncident('full').incident, null, 'nothing half-written');
    await rm(filler);
    assert.equal(store.commitIncident(big), true);
    assert.equal(store.bundleOf('full').oomBlock.length, 400);
  });
});
