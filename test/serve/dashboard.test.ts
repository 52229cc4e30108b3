// `oomsleuth serve`: a non-loopback address without a token is refused; a request without the token gets 401; in
// chromium the list, its filters and an incident's page render, and an incident stored while the page is open
// arrives by server-sent events.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import type { Cause, Incident } from '../../src/contract/analysis.js';
import { loadChartAssets } from '../../src/pictures/chart-assets.js';
import { isLoopback, loadServeConfig } from '../../src/serve/serve-config.js';
import { buildServer } from '../../src/serve/server.js';
import type { Bundle, StoredIncident } from '../../src/store/records.js';
import { Store } from '../../src/store/store.js';
import { collectErrors, launchChromium } from '../helpers/browser.js';
import { CLI, runCli } from '../helpers/cli.js';
import { HOSTILE_TEXT, hostileExtras, hostileIncident } from '../pictures/fixtures.js';

const TOKEN = 'test-token-0123456789abcdef';

function store(writer: Store, id: string, cause: Cause, over: Partial<Incident> = {}, bundle?: Bundle): void {
  writer.commitIncident({
    stored: {
      id,
      kind: 'app',
      app: cause === 'crash' ? 'worker' : 'anqicms',
      host: 'vps',
      incident: hostileIncident({ cause, ...over }),
      finalizedMs: Date.now(),
      alertState: 'no-webhook',
      summaryId: null,
    },
    bundle: bundle ?? { oomBlock: [], appTail: [], guardian: [], memory: [] },
    claims: [],
    positions: [],
    outbox: [],
  });
}

describe('serve', () => {
  let dir = '';
  let writer: Store;
  let reader: Store;
  let app: FastifyInstance;
  let base = '';
  let browser: Browser | null = null;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'oomsleuth-serve-'));
    const db = path.join(dir, 'oomsleuth.db');
    writer = await Store.open(db);
    const { appTail, guardian, memory, oomBlock } = hostileExtras();
    store(
      writer,
      'a1',
      'oom-killer',
      {},
      { oomBlock: [...oomBlock!], appTail: [...appTail!], guardian: [...guardian!], memory: [...memory!] },
    );
    store(writer, 'b2', 'crash', {
      diedAt: '2024-07-23T15:00:01+08:00',
      diedWithin: null,
      restartedAt: null,
      pid: 2001,
    });
    reader = await Store.open(db, { readOnly: true });
    app = buildServer({
      store: reader,
      storeName: db,
      token: TOKEN,
      zone: 'Asia/Shanghai',
      assets: await loadChartAssets(),
      pollMs: 100,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await browser?.close();
    await app.close();
    reader.close();
    writer.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('a non-loopback address without a token is refused at start (exit 2, saying why)', async () => {
    const run = await runCli(['serve', '--listen', '0.0.0.0:0', '--db', path.join(dir, 'oomsleuth.db')], {
      timeoutMs: 10_000,
    });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /0\.0\.0\.0:0 is not a loopback address.*--token-file/);
    await assert.rejects(loadServeConfig({ listen: '192.0.2.7:8765' }), /not a loopback address/);
    const ok = await loadServeConfig({ listen: '192.0.2.7:8765', token: TOKEN });
    assert.equal(ok.token, TOKEN);
    assert.equal((await loadServeConfig({})).host, '127.0.0.1');
    assert.ok(isLoopback('127.0.0.1') && isLoopback('::1') && !isLoopback('0.0.0.0') && !isLoopback('::'));
  });

  test('the command: serves on the port it says, with a stream open, and ends at SIGTERM with exit 0', async () => {
    const child = spawn(
      process.execPath,
      [CLI, 'serve', '--db', path.join(dir, 'oomsleuth.db'), '--listen', '127.0.0.1:0'],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    try {
      let stderr = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stderr.setEncoding('utf8').on('data', (d: string) => {
          stderr += d;
          const found = /http:\/\/127\.0\.0\.1:(?<port>\d+)\//.exec(stderr);
          if (found && found.groups!.port !== '0') resolve(found[0]);
        });
        child.on('exit', () => reject(new Error(`serve ended: ${stderr}`)));
      });
      const page = await fetch(url);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /anqicms \(18734\)/);
      const events = await fetch(`${url}events`);
      assert.equal(events.headers.get('content-type'), 'text/event-stream; charset=utf-8');
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  test('without the token: 401 on every path; with it: the page, with a CSP that allows no inline handler', async () => {
    for (const url of ['/', '/incidents/a1', '/events', '/?token=wrong-token-0123456789']) {
      const response = await app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 401, url);
      assert.doesNotMatch(response.body, /anqicms/);
    }
    const wrong = await app.inject({ url: '/', headers: { authorization: 'Bearer nope' } });
    assert.equal(wrong.statusCode, 401);
    const page = await app.inject({ url: '/', headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(page.statusCode, 200);
    const csp = String(page.headers['content-security-policy']);
    assert.match(csp, /default-src 'none'; script-src 'sha256-/);
    assert.match(csp, /connect-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-hashes|https?:/);
    const adopt = await app.inject({ url: `/?cause=crash&token=${TOKEN}` });
    assert.equal(adopt.statusCode, 303);
    assert.equal(adopt.headers.location, '/?cause=crash');
    assert.match(String(adopt.headers['set-cookie']), /^oomsleuth_token=.*HttpOnly; SameSite=Strict/);
  });

  test('without a token only a loopback Host is served (no DNS rebinding); the list is cut at the newest 500', async () => {
    const many: StoredIncident[] = Array.from({ length: 501 }, (_, n) => ({
      id: `i${n}`,
      kind: 'app',
      app: 'anqicms',
      host: 'vps',
      incident: hostileIncident({ diedAt: new Date(Date.UTC(2024, 6, 23, 0, 0, n)).toISOString(), pid: n }),
      finalizedMs: n,
      alertState: 'no-webhook',
      summaryId: null,
    }));
    const open = buildServer({
      store: {
        listIncidents: () => many,
        incidentsStoredSince: () => [],
        findIncident: () => ({ incident: null, ambiguous: [] }),
        bundleOf: () => ({ oomBlock: [], appTail: [], guardian: [], memory: [] }),
      },
      storeName: 'test',
      token: null,
      zone: 'UTC',
      assets: await loadChartAssets(),
    });
    try {
      for (const host of ['127.0.0.1:8765', 'localhost:8765', '[::1]:8765', 'LOCALHOST']) {
        const ok = await open.inject({ url: '/', headers: { host } });
        assert.equal(ok.statusCode, 200, host);
      }
      const page = await open.inject({ url: '/', headers: { host: '127.0.0.1:8765' } });
      assert.equal(page.body.match(/<tr class="c-/g)?.length, 500);
      assert.match(page.body, /Showing the newest 500 of 501/);
      assert.doesNotMatch(page.body, /href="incidents\/i0"/);
      for (const host of ['evil.example:8765', '127.0.0.1.evil.example', '0.0.0.0:8765', '127.0.0.1@evil']) {
        const refused = await open.inject({ url: '/', headers: { host } });
        assert.equal(refused.statusCode, 403, host);
      }
    } finally {
      await open.close();
    }
  });

  test('in chromium: list, filters, incident page, and a new incident pushed live', async (t) => {
    browser = await launchChromium(t);
    if (browser === null) return;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectErrors(page);
    await page.goto(`${base}/?token=${TOKEN}`);
    assert.equal(page.url(), `${base}/`);
    const rows = page.locator('#incidents tbody tr');
    assert.equal(await rows.count(), 2);
    assert.equal(await page.locator('.timeline svg rect.mark').count(), 2);

    await page.selectOption('select[name=cause]', 'crash');
    await page.click('form.filters button');
    await page.waitForURL(/cause=crash/);
    assert.equal(await rows.count(), 1);
    assert.match((await rows.first().textContent()) ?? '', /crash/);
    await page.goto(`${base}/?app=anqicms`);
    assert.equal(await rows.count(), 1);
    await page.goto(`${base}/?until=2024-07-23+12:00`);
    assert.equal(await rows.count(), 1);
    assert.match((await rows.first().textContent()) ?? '', /oom-killer/);

    await page.locator('#incidents a', { hasText: 'anqicms (18734)' }).click();
    await page.waitForURL(/\/incidents\/a1$/);
    assert.equal(await page.locator('details.bundle').count(), 3);
    assert.equal(await page.locator('.memory-chart canvas').count(), 1);
    assert.equal(await page.locator('svg.tasks g.bar.victim').count(), 1);
    await page.locator('details.bundle summary', { hasText: 'App log' }).click();
    assert.ok(
      ((await page.locator('details.bundle pre').nth(1).textContent()) ?? '').includes(
        HOSTILE_TEXT.replace(/\u001b/g, '\\x1b'),
      ),
    );
    assert.equal(await page.evaluate<unknown>('window.pwned'), undefined);

    await page.goto(`${base}/`);
    await page.locator('#live.on').waitFor({ timeout: 5_000 });
    store(writer, 'c3', 'oom-killer', {
      process: 'fresh<app>',
      pid: 3003,
      diedAt: '2024-07-23T20:00:00+08:00',
    });
    await page.locator('#incidents tbody tr', { hasText: 'fresh<app> (3003)' }).waitFor({ timeout: 5_000 });
    assert.equal(await rows.count(), 3);
    assert.equal(await page.locator('#count').textContent(), '3');
    assert.deepEqual(errors, []);
    await page.close();
  });
});
