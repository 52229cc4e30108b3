// The outbox against a loopback receiver: 500s and timeouts are retried with backoff and the alert is delivered once
// the receiver says yes; a receiver that is down gets it when it is back; a refusal is not retried; rows pending in
// the store go out after a restart; an alert sent while the store was failing is recorded as delivered, not resent.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { Dispatcher, type DispatcherOptions } from '../../src/alert/dispatcher.js';
import { incidentAlert } from '../../src/alert/payload.js';
import { makeWebhook, type Webhook } from '../../src/alert/webhook.js';
import type { Incident } from '../../src/contract/analysis.js';
import { EMPTY_BUNDLE } from '../../src/store/records.js';
import { Store } from '../../src/store/store.js';
import { Receiver } from '../watch/support/receiver.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

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

async function setup(over: Partial<DispatcherOptions> = {}, path_?: string) {
  const dir = await mkdtemp(path.join(tmpdir(), 'oomsleuth-outbox-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const receiver = new Receiver();
  await receiver.up();
  cleanups.push(() => receiver.down());
  const store = await Store.open(path_ ?? path.join(dir, 'o.db'));
  cleanups.push(() => store.close());
  const webhook = makeWebhook(new URL(`${receiver.url}?token=SECRETTOKEN`), 'generic', null, 0);
  const logs: { level: string; message: string; code?: string }[] = [];
  let failed = 0;
  const dispatcher = make(store, webhook, logs, () => failed++, over);
  return { dir, receiver, store, webhook, logs, dispatcher, failed: () => failed };
}

function make(
  store: Store,
  webhook: Webhook,
  logs: { level: string; message: string; code?: string }[],
  onFailed: () => void,
  over: Partial<DispatcherOptions> = {},
): Dispatcher {
  const d = new Dispatcher({
    store,
    webhooks: [webhook],
    host: 'h',
    language: 'en',
    retryBaseMs: 50,
    retryMaxMs: 200,
    timeoutMs: 300,
    log: (level, message, code) => logs.push({ level, message, ...(code ? { code } : {}) }),
    onFailedAttempt: onFailed,
    ...over,
  });
  cleanups.push(() => d.stop());
  return d;
}

function queue(store: Store, dispatcher: Dispatcher, id: string): void {
  const doc = incidentAlert(id, 'h', 'anqicms', 'app', incident, 0);
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
    outbox: dispatcher.rowsFor(doc, 'incident'),
  });
}

describe('outbox', () => {
  test('500s are retried with backoff; delivered once the receiver says yes; each failure counted', async () => {
    const s = await setup();
    s.receiver.script.push(500, 500);
    s.dispatcher.start();
    queue(s.store, s.dispatcher, 'i-500');
    s.dispatcher.kick();
    await s.receiver.waitFor(1, 5_000, () => s.receiver.accepted.length);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(s.receiver.received.length, 3);
    assert.equal(s.receiver.accepted.length, 1);
    assert.equal(s.failed(), 2);
    const [row] = s.store.outboxOf(['i-500']);
    assert.equal(row!.state, 'delivered');
    assert.equal(row!.attempts, 3);
    assert.ok(s.logs.some((l) => l.code === 'OOMS_E_ALERT_DELIVERY_FAILED' && /HTTP 500/.test(l.message)));
    assert.ok(
      s.logs.every((l) => !l.message.includes('SECRETTOKEN')),
      'the token never reaches a log',
    );
  });

  test('an endpoint that does not answer times out and is retried', async () => {
    const s = await setup();
    s.receiver.script.push(null);
    s.dispatcher.start();
    queue(s.store, s.dispatcher, 'i-timeout');
    s.dispatcher.kick();
    await s.receiver.waitFor(1, 5_000, () => s.receiver.accepted.length);
    assert.equal(s.receiver.received.length, 2);
    assert.ok(s.logs.some((l) => /no answer within/.test(l.message)));
  });

  test('a receiver that is down gets the alert once it is back, once', async () => {
    const s = await setup();
    await s.receiver.down();
    s.dispatcher.start();
    queue(s.store, s.dispatcher, 'i-down');
    s.dispatcher.kick();
    await new Promise((r) => setTimeout(r, 600));
    assert.ok(s.failed() >= 2, `${s.failed()} failed attempts while down`);
    assert.ok(s.logs.some((l) => /connection refused/.test(l.message)));
    await s.receiver.up();
    await s.receiver.waitFor(1, 5_000);
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(s.receiver.received.length, 1);
    assert.equal(s.store.outboxOf(['i-down'])[0]!.state, 'delivered');
  });

  test('a refusal (4xx) is not retried, and says what to check', async () => {
    const s = await setup();
    s.receiver.status = 404;
    s.dispatcher.start();
    queue(s.store, s.dispatcher, 'i-404');
    s.dispatcher.kick();
    await s.receiver.waitFor(1);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(s.receiver.received.length, 1);
    assert.equal(s.store.outboxOf(['i-404'])[0]!.state, 'failed');
    assert.ok(
      s.logs.some((l) => l.level === 'error' && /refused: HTTP 404.*check the webhook/.test(l.message)),
    );
  });

  test('alerts pending in the store go out after a restart', async () => {
    const s = await setup();
    await s.receiver.down();
    queue(s.store, s.dispatcher, 'i-restart');
    // Never started: watch was killed before it could send. A new one, on the same store:
    await s.receiver.up();
    const again = make(s.store, s.webhook, s.logs, () => undefined);
    again.start();
    await s.receiver.waitFor(1);
    assert.equal((s.receiver.received[0]!.json as { id: string }).id, 'i-restart');
  });

  test('sent while the store could not be written: recorded as delivered later, not sent twice', async () => {
    const s = await setup();
    s.dispatcher.start();
    const doc = incidentAlert('i-nostore', 'h', 'anqicms', 'app', incident, 0);
    s.dispatcher.sendWithoutStore(doc);
    await s.receiver.waitFor(1);
    await new Promise((r) => setTimeout(r, 50));
    const rows = s.dispatcher.rowsFor(doc, 'incident');
    assert.equal(rows[0]!.state, 'delivered');
    queue(s.store, s.dispatcher, 'i-nostore');
    s.dispatcher.kick();
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(s.receiver.received.length, 1);
    assert.equal(s.store.outboxOf(['i-nostore'])[0]!.state, 'delivered');
  });

  test('sent while the store could not be written, and refused: said, as from the outbox', async () => {
    const s = await setup();
    s.receiver.status = 404;
    s.dispatcher.start();
    s.dispatcher.sendWithoutStore(incidentAlert('i-nostore-404', 'h', 'anqicms', 'app', incident, 0));
    await s.receiver.waitFor(1);
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(
      s.logs.some(
        (l) =>
          l.code === 'OOMS_E_ALERT_DELIVERY_FAILED' &&
          /i-nostore-404 .*not yet in the store.* was refused: HTTP 404/.test(l.message),
      ),
      JSON.stringify(s.logs),
    );
    assert.ok(s.logs.every((l) => !l.message.includes('SECRETTOKEN')));
  });

  test("chat webhooks get the text in the dispatcher's language; the stored document is the same", async () => {
    const s = await setup({ language: 'zh' });
    const slack = makeWebhook(new URL(`${s.receiver.url}?chat=1`), 'slack', null, 1);
    const d = make(s.store, slack, s.logs, () => undefined, { language: 'zh' });
    d.start();
    queue(s.store, d, 'i-zh');
    d.kick();
    await s.receiver.waitFor(1, 5_000, () => s.receiver.accepted.length);
    const text = (s.receiver.accepted[0]!.json as { text: string }).text;
    assert.match(text, /^\*oomsleuth：h 上的 anqicms 被内核 OOM killer 杀死\*$/m);
    assert.match(text, /^退出时间：2024-07-23T10:03:47\+08:00，pid 1（已证实）$/m);
    const [row] = s.store.outboxOf(['i-zh']);
    assert.equal(JSON.parse(row!.payload).incident.cause, 'oom-killer');
  });
});
