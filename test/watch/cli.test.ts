// `watch` refuses a bad start at once (exit 2, every problem said, no secret repeated): bad webhook URL, unwritable
// --db, port in use. `incidents` lists and shows what a store holds, by id prefix, as text and JSON.
import assert from 'node:assert/strict';
import { symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, test } from 'node:test';
import type { Incident } from '../../src/contract/analysis.js';
import { displayWidth } from '../../src/report/display-width.js';
import { Store } from '../../src/store/store.js';
import { runCli } from '../helpers/cli.js';
import { WatchProcess } from './support/watch-process.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'oomsleuth-cli-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('watch refuses a bad start at once', () => {
  test('bad webhook URLs, formats and flags: every problem, exit 2, the URL not repeated', async () => {
    const dir = await tempDir();
    const loop = path.join(dir, 'app');
    symlinkSync('app', loop);
    const started = Date.now();
    const run = await runCli([
      'watch',
      dir,
      '--db',
      path.join(dir, 'db'),
      '--webhook',
      'hooks.example.com/TOKEN123',
      '--webhook',
      'gopher://example.com/TOKEN456',
      '--webhook-format',
      'teams',
      '--settle',
      'soon',
      '--alert-on',
      'all',
      '--app-dir',
      loop,
    ]);
    assert.equal(run.code, 2, run.stderr);
    assert.ok(Date.now() - started < 10_000);
    assert.match(run.stderr, /--webhook #1 is not a URL/);
    assert.match(run.stderr, /--webhook #2 uses gopher/);
    assert.match(
      run.stderr,
      /--webhook-format "teams" must be one of generic, slack, dingtalk, feishu, wecom/,
    );
    assert.match(run.stderr, /--settle "soon" is not a duration/);
    assert.match(run.stderr, /--alert-on "all" must be app or any/);
    assert.match(run.stderr, /--app-dir cannot read .*app: too many symbolic links/);
    assert.doesNotMatch(run.stderr, /TOKEN123|TOKEN456/);
  });

  test('an --db that cannot be created: exit 2 before anything is followed', async () => {
    const dir = await tempDir();
    const blocker = path.join(dir, 'a-file');
    writeFileSync(blocker, 'x');
    const run = await runCli(['watch', dir, '--db', path.join(blocker, 'sub', 'oomsleuth.db')]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(
      run.stderr,
      /cannot create the folder .*a-file\/sub: a part of the path is a file, not a folder/,
    );
    assert.match(run.stderr, /pass --db/);
    assert.doesNotMatch(run.stderr, /watching/);
  });

  test('a second watch on the same --db: exit 2 at start, saying another watch holds it (issue 13, defect 7)', async () => {
    const dir = await tempDir();
    const log = path.join(dir, 'syslog');
    writeFileSync(log, 'Jul 23 10:00:01 web1 CRON[1]: (root) CMD (true)\n');
    const db = path.join(dir, 'state', 'oomsleuth.db');
    const first = new WatchProcess([log, '--db', db]);
    cleanups.push(() => first.kill());
    await first.waitForStderr(/watching/);
    // The same store by another spelling of its path.
    const second = await runCli(
      ['watch', log, '--db', path.join(dir, 'state', '..', 'state', 'oomsleuth.db')],
      {
        timeoutMs: 10_000,
      },
    );
    assert.equal(second.code, 2, second.stderr);
    assert.match(second.stderr, /another oomsleuth watch is using the store .*oomsleuth\.db/);
    assert.match(second.stderr, /stop the other one .* or give this one its own --db/);
    assert.doesNotMatch(second.stderr, /watching/);
    assert.equal((await first.stop()).code, 0, 'the first watch runs on, and stops cleanly');
    // Once the first is gone, the store is free.
    const third = new WatchProcess([log, '--db', db]);
    cleanups.push(() => third.kill());
    await third.waitForStderr(/watching/);
  });

  test('a metrics port in use: exit 2 at start, saying so', async () => {
    const dir = await tempDir();
    const busy = http.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => busy.close(() => resolve())));
    const { port } = busy.address() as AddressInfo;
    const run = await runCli(['watch', dir, '--db', path.join(dir, 'db'), '--metrics', `127.0.0.1:${port}`]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(
      run.stderr,
      new RegExp(`--metrics 127\\.0\\.0\\.1:${port}: cannot listen: the port is in use`),
    );
  });
});

function incident(over: Partial<Incident>): Incident {
  return {
    process: 'anqicms',
    pid: 4242,
    diedAt: '2024-07-23T10:03:47+08:00',
    diedWithin: null,
    restartedAt: '2024-07-23T10:04:01+08:00',
    cause: 'oom-killer',
    confidence: 'confirmed',
    oom: {
      scope: 'memcg',
      cgroup: '/anqicms',
      invokedBy: 'anqicms',
      totalVmKb: 2048000,
      anonRssKb: 1024000,
      fileRssKb: 1000,
      shmemRssKb: 0,
      oomScoreAdj: 0,
    },
    missing: [],
    evidence: [
      {
        source: '/dev/kmsg',
        line: 812,
        time: '2024-07-23T10:03:47+08:00',
        text: '3,812,1,-;Memory cgroup out of memory: Killed process 4242 (anqicms)',
        says: 'kernel OOM kill of pid 4242 (anqicms)',
      },
    ],
    ...over,
  };
}

async function storeWithTwo(dir: string): Promise<string> {
  const file = path.join(dir, 'o.db');
  const store = await Store.open(file);
  const base = { kind: 'app' as const, app: 'anqicms', host: 'web1', finalizedMs: 1, summaryId: null };
  store.commitIncident({
    stored: { ...base, id: '20240723T020347Z-anqicms-aaaaaa', incident: incident({}), alertState: 'alerted' },
    bundle: {
      oomBlock: [
        { source: '/dev/kmsg', line: 800, text: '4,800,1,-;anqicms invoked oom-killer: gfp_mask=0xcc0' },
        {
          source: '/dev/kmsg',
          line: 812,
          text: '3,812,1,-;Memory cgroup out of memory: Killed process 4242 (anqicms)',
        },
      ],
      appTail: [{ source: 'running.log', line: 99, text: '2024/07/23 10:03:40 cache warm-up' }],
      guardian: [{ source: 'check.log', line: 5, text: '20240723 10:03:01 anqicms PID check: 1' }],
      memory: [{ at: '2024-07-23T10:03:40+08:00', rssKb: 1000000, hwmKb: 1000000, cgroupUsageKb: 1020000 }],
    },
    claims: ['a'],
    positions: [],
    outbox: [
      {
        alertId: '20240723T020347Z-anqicms-aaaaaa',
        kind: 'incident',
        webhook: 'w',
        payload: '{}',
        state: 'delivered',
      },
    ],
  });
  store.commitIncident({
    stored: {
      ...base,
      id: '20240723T050000Z-anqicms-bbbbbb',
      incident: incident({ diedAt: '2024-07-23T13:00:00+08:00', cause: 'crash', oom: null, pid: 5000 }),
      alertState: 'no-webhook',
    },
    bundle: { oomBlock: [], appTail: [], guardian: [], memory: [] },
    claims: ['b'],
    positions: [],
    outbox: [],
  });
  store.close();
  return file;
}

describe('incidents', () => {
  test('lists what the store holds, filtered by --since and --cause', async () => {
    const db = await storeWithTwo(await tempDir());
    const all = await runCli(['incidents', '--db', db, '--tz', 'Asia/Shanghai']);
    assert.equal(all.code, 0, all.stderr);
    assert.match(
      all.stdout,
      /20240723T020347Z-anqicms-aaaaaa\s+2024-07-23T10:03:47\+08:00\s+anqicms\s+4242\s+oom-killer \(confirmed\)\s+alerted: 1 delivered/,
    );
    assert.match(all.stdout, /20240723T050000Z-anqicms-bbbbbb .* crash \(confirmed\)\s+no-webhook/);
    const crash = await runCli(['incidents', '--db', db, '--cause', 'crash', '--json']);
    const doc = JSON.parse(crash.stdout);
    assert.equal(doc.schema, 'oomsleuth.incidents/1');
    assert.deepEqual(
      doc.incidents.map((i: { id: string }) => i.id),
      ['20240723T050000Z-anqicms-bbbbbb'],
    );
    const since = await runCli(['incidents', '--db', db, '--since', '2024-07-23T12:00:00+08:00', '--json']);
    assert.equal(JSON.parse(since.stdout).incidents.length, 1);
  });

  test('show ID (a prefix is enough) prints the incident with its whole bundle; --json too', async () => {
    const db = await storeWithTwo(await tempDir());
    const shown = await runCli(['incidents', 'show', '20240723T0203', '--db', db, '--tz', 'Asia/Shanghai']);
    assert.equal(shown.code, 0, shown.stderr);
    for (const want of [
      /incident 20240723T020347Z-anqicms-aaaaaa on web1 \(app anqicms\)/,
      /anqicms pid 4242: oom-killer \(confirmed\)/,
      /anon-rss 1000 MiB/,
      /kernel OOM report \(2 lines\):\n\s+\/dev\/kmsg:800 .*invoked oom-killer/,
      /app log, last 1 line\(s\) before the cliff:\n\s+running\.log:99/,
      /guardian lines around the death \(1\)/,
      /memory samples from oomsleuth guard \(1\)/,
    ]) {
      assert.match(shown.stdout, want);
    }
    const json = JSON.parse(
      (await runCli(['incidents', 'show', '20240723T020347Z-anqicms-aaaaaa', '--db', db, '--json'])).stdout,
    );
    assert.equal(json.schema, 'oomsleuth.incident/1');
    assert.equal(json.bundle.oomBlock.length, 2);
    assert.equal(json.alert.deliveries[0].state, 'delivered');
  });

  test('--lang zh (or a zh_* locale): the table and `show` in Chinese, aligned by columns; ids, causes, lines as stored', async () => {
    const db = await storeWithTwo(await tempDir());
    const list = await runCli(['incidents', '--db', db, '--tz', 'Asia/Shanghai'], {
      env: { LANG: 'zh_CN.UTF-8' },
    });
    assert.equal(list.code, 0, list.stderr);
    const [header, first, second, total] = list.stdout.split('\n');
    assert.match(header!, /^ID +退出时间 +进程 +PID +原因 +告警$/);
    assert.match(
      first!,
      /^20240723T020347Z-anqicms-aaaaaa +2024-07-23T10:03:47\+08:00 +anqicms +4242 +oom-killer \(confirmed\) +alerted: 已送达 1$/,
    );
    assert.match(second!, /crash \(confirmed\) +no-webhook$/);
    // Columns by terminal width: 退出时间 is four characters but eight columns.
    assert.equal(displayWidth(header!.slice(0, header!.indexOf('进程'))), first!.indexOf('anqicms  '));
    assert.equal(total, '共 2 个事件；`oomsleuth incidents show ID` 显示单个事件及其证据');
    const shown = await runCli([
      'incidents',
      'show',
      '20240723T0203',
      '--db',
      db,
      '--tz',
      'Asia/Shanghai',
      '--lang',
      'zh',
    ]);
    for (const want of [
      /^事件 20240723T020347Z-anqicms-aaaaaa，主机 web1（应用 anqicms）$/m,
      /^anqicms pid 4242: oom-killer \(confirmed\)$/m,
      /^OOM：memcg OOM，cgroup \/anqicms，anon-rss 1000 MiB，.*由 anqicms 触发$/m,
      /^告警：alerted: 已送达 1$/m,
      /^内核 OOM 报告（2 行）：\n\s+\/dev\/kmsg:800 .*invoked oom-killer/m,
      /^应用日志，断档前的最后 1 行：\n\s+running\.log:99/m,
      /^oomsleuth guard 采集的内存样本（1 个）：$/m,
    ]) {
      assert.match(shown.stdout, want);
    }
  });

  test('an unknown or ambiguous id, a missing store, bad flags: exit 2 with the fix', async () => {
    const dir = await tempDir();
    const db = await storeWithTwo(dir);
    const unknown = await runCli(['incidents', 'show', 'nope', '--db', db]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no incident nope in .* list them with `oomsleuth incidents`/);
    const ambiguous = await runCli(['incidents', 'show', '20240723T0', '--db', db]);
    assert.equal(ambiguous.code, 2);
    assert.match(ambiguous.stderr, /matches 2 incidents/);
    const missing = await runCli(['incidents', '--db', path.join(dir, 'missing.db')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no store at .*missing\.db — `oomsleuth watch` creates it/);
    // A store that exists but cannot be read is not called missing.
    symlinkSync('loop.db', path.join(dir, 'loop.db'));
    const looping = await runCli(['incidents', '--db', path.join(dir, 'loop.db')]);
    assert.equal(looping.code, 2);
    assert.match(
      looping.stderr,
      /cannot read the store .*loop\.db: too many symbolic links \(a link loop\) \(ELOOP\)/,
    );
    const bad = await runCli(['incidents', '--db', db, '--cause', 'bad', '--since', 'yesterday']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--cause "bad" must be one of/);
    assert.match(bad.stderr, /--since "yesterday" is not an ISO 8601 time/);
  });
});
