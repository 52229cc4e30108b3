// When an alert is tried again: a 2xx is delivered (Slack's too, whatever its body says); only a server error, a rate
// limit (429, honouring Retry-After, or a chat robot's own rate-limit code) and a network failure are retried, and
// never more than the cap; any other refusal is given up at once with the reason logged.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { Dispatcher } from '../../src/alert/dispatcher.js';
import { judgeResponse } from '../../src/alert/formats.js';
import { incidentAlert } from '../../src/alert/payload.js';
import { makeWebhook, type Webhook } from '../../src/alert/webhook.js';
import type { WebhookFormat } from '../../src/alert/webhook-format.js';
import type { Incident } from '../../src/contract/analysis.js';
import { EMPTY_BUNDLE } from '../../src/store/records.js';
import { Store } from '../../src/store/store.js';

const hook = (format: WebhookFormat, url = 'http://127.0.0.1:9/x') =>
  makeWebhook(new URL(url), format, null, 0);

describe('judging an answer', () => {
  test('Slack: any 2xx is delivered, whatever the body', () => {
    const slack = hook('slack');
    assert.equal(judgeResponse(slack, 200, 'ok').ok, true);
    assert.equal(judgeResponse(slack, 200, 'no_text').ok, true);
    assert.equal(judgeResponse(slack, 204, '').ok, true);
  });

  test('Slack 4xx refusals are not retried; 5xx and 429 are', () => {
    const slack = hook('slack');
    for (const [status, body] of [
      [400, 'invalid_payload'],
      [403, 'action_prohibited'],
      [404, 'channel_not_found'],
      [410, 'channel_is_archived'],
    ] as const) {
      const v = judgeResponse(slack, status, body);
      assert.equal(v.ok, false);
      assert.equal(v.retryable, false, `${status} ${body}`);
      assert.match(v.detail, new RegExp(body));
    }
    assert.equal(judgeResponse(slack, 500, 'rollup_error').retryable, true);
    assert.equal(judgeResponse(slack, 503, '').retryable, true);
    assert.equal(judgeResponse(slack, 429, '').retryable, true);
    assert.equal(judgeResponse(hook('generic'), 425, '').retryable, false);
  });

  test('Retry-After in seconds or as an HTTP date', () => {
    const slack = hook('slack');
    assert.equal(judgeResponse(slack, 429, '', '7').retryAfterMs, 7000);
    const at = new Date(Date.now() + 30_000).toUTCString();
    const ms = judgeResponse(slack, 503, '', at).retryAfterMs ?? 0;
    assert.ok(ms > 25_000 && ms <= 30_000, String(ms));
    assert.equal(judgeResponse(slack, 429, '', 'soon').retryAfterMs, undefined);
  });

  test('chat robots: a refusal inside a 200 is given up, their rate-limit codes are retried', () => {
    const ding = hook('dingtalk');
    const wrongKeyword = judgeResponse(ding, 200, '{"errcode":310000,"errmsg":"keywords not in content"}');
    assert.deepEqual([wrongKeyword.ok, wrongKeyword.retryable], [false, false]);
    assert.equal(
      judgeResponse(ding, 200, '{"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"}')
        .retryable,
      true,
    );
    assert.equal(
      judgeResponse(hook('wecom'), 200, '{"errcode":45009,"errmsg":"api freq out of limit"}').retryable,
      true,
    );
    assert.equal(
      judgeResponse(hook('wecom'), 200, '{"errcode":93000,"errmsg":"invalid webhook url"}').retryable,
      false,
    );
    // Feishu says its rate limit with a 400.
    assert.equal(
      judgeResponse(hook('feishu'), 400, '{"code":9499,"msg":"too many request","data":{}}').retryable,
      true,
    );
    assert.equal(
      judgeResponse(hook('feishu'), 200, '{"code":19021,"msg":"sign match fail"}').retryable,
      false,
    );
  });
});

// ---- the dispatcher against a receiver that answers what each test says ------------------------------------------------

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly headers?: Record<string, string>;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function receiverAnswering(answer: (n: number) => Answer): Promise<{ url: string; posts: number[] }> {
  const posts: number[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      posts.push(Date.now());
      const a = answer(posts.length);
      res.writeHead(a.status, { 'content-type': 'text/plain', ...a.headers }).end(a.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, posts };
}

const incident: Incident = {
  process: 'anqicms',
  pid: 1,
  diedAt: '2024-07-23T10:03:47+08:00',
  diedWithin: null,
  restartedAt: null,
  cause: 'oom-killer',
  confidence: 'confirmed',
  oom: null,
  missing: [],
  evidence: [],
};

async function dispatch(webhook: Webhook, maxAttempts?: number) {
  const dir = await mkdtemp(path.join(tmpdir(), 'oomsleuth-retry-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const store = await Store.open(path.join(dir, 'o.db'));
  cleanups.push(() => store.close());
  const logs: { level: string; message: string }[] = [];
  const dispatcher = new Dispatcher({
    store,
    webhooks: [webhook],
    host: 'h',
    language: 'en',
    retryBaseMs: 50,
    retryMaxMs: 100,
    timeoutMs: 500,
    ...(maxAttempts === undefined ? {} : { maxAttempts }),
    log: (level, message) => logs.push({ level, message }),
  });
  cleanups.push(() => dispatcher.stop());
  const id = 'i-retry';
  store.commitIncident({
    stored: {
      id,
      kind: 'app',
      app: 'anqicms',
      host: 'h',
      incident,
      finalizedMs: Date.now(),
      alertState: 'alerted',
      summaryId: null,
    },
    bundle: EMPTY_BUNDLE,
    claims: [id],
    positions: [],
    outbox: dispatcher.rowsFor(incidentAlert(id, 'h', 'anqicms', 'app', incident, 0), 'incident'),
  });
  dispatcher.start();
  return { row: () => store.outboxOf([id])[0]!, logs };
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the outbox', () => {
  test('Slack: a 200 whose body is not `ok` is delivered once, not posted again and again', async () => {
    const r = await receiverAnswering(() => ({ status: 200, body: 'no_text' }));
    const d = await dispatch(hook('slack', r.url));
    await settle(800);
    assert.equal(r.posts.length, 1);
    assert.equal(d.row().state, 'delivered');
  });

  test('a 5xx is retried up to the cap, then given up with the reason', async () => {
    const r = await receiverAnswering(() => ({ status: 500, body: 'boom' }));
    const d = await dispatch(hook('slack', r.url), 3);
    await settle(1500);
    assert.equal(r.posts.length, 3, 'three attempts, no more');
    const row = d.row();
    assert.equal(row.state, 'failed');
    assert.match(row.lastError ?? '', /HTTP 500/);
    assert.ok(
      d.logs.some((l) => l.level === 'error' && /gave up after 3 attempts.*HTTP 500/.test(l.message)),
      JSON.stringify(d.logs),
    );
  });

  test('429 with Retry-After: the next attempt waits as long as the receiver asked', async () => {
    const r = await receiverAnswering((n) =>
      n === 1
        ? { status: 429, body: 'rate_limited', headers: { 'retry-after': '1' } }
        : { status: 200, body: 'ok' },
    );
    const d = await dispatch(hook('slack', r.url));
    await settle(1800);
    assert.equal(r.posts.length, 2);
    assert.ok(r.posts[1]! - r.posts[0]! >= 950, `waited ${r.posts[1]! - r.posts[0]!} ms`);
    assert.equal(d.row().state, 'delivered');
  });

  test('a 4xx refusal is given up at once, the reason logged', async () => {
    const r = await receiverAnswering(() => ({ status: 404, body: 'channel_not_found' }));
    const d = await dispatch(hook('slack', r.url));
    await settle(600);
    assert.equal(r.posts.length, 1);
    assert.equal(d.row().state, 'failed');
    assert.ok(
      d.logs.some((l) => l.level === 'error' && /refused: HTTP 404: channel_not_found/.test(l.message)),
    );
  });
});
