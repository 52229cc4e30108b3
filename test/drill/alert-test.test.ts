// `oomsleuth alert test` against local receivers: one takes the alert (200), one fails (500), one refuses the
// connection. Each endpoint gets its own line with its answer and latency; one failure makes the exit status 1.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { AlertTestReport } from '../../src/drill/alert-test.js';
import { runCli } from '../helpers/cli.js';

interface Received {
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

const received: Received[] = [];
let server: Server;
let base = '';
/** A port nothing listens on: taken from a server closed at once. */
let refusedPort = 0;

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      res.statusCode = req.url === '/broken' ? 500 : 200;
      res.end(req.url === '/broken' ? 'internal error' : 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  refusedPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('one ok, one 500, one refused: a line each, exit 1', async () => {
  received.length = 0;
  const run = await runCli([
    'alert',
    'test',
    '--webhook',
    `${base}/ok`,
    '--webhook',
    `${base}/broken`,
    '--webhook',
    `http://127.0.0.1:${refusedPort}/hook`,
  ]);
  assert.equal(run.code, 1, run.stderr);
  const lines = run.stdout.split('\n');
  assert.match(lines[0]!, /^oomsleuth alert test: a sample incident \(id test-\S+\) to each webhook$/);
  assert.match(lines[2]!, /^ {2}ok {4}#1 generic 127\.0\.0\.1:\d+ +HTTP 200 +\d+ ms$/);
  assert.match(
    lines[3]!,
    /^ {2}fail {2}#2 generic 127\.0\.0\.1:\d+ +HTTP 500 +\d+ ms {2}HTTP 500: internal error$/,
  );
  assert.match(
    lines[4]!,
    /^ {2}fail {2}#3 generic 127\.0\.0\.1:\d+ +no answer +\d+ ms {2}connection refused/,
  );
  assert.match(run.stdout, /\n2 of 3 webhook\(s\) did not take the alert\n$/);
  // The two that answered got the sample incident, in the contract's document, with its idempotency key.
  assert.deepEqual(received.map((r) => r.path).sort(), ['/broken', '/ok']);
  const doc = JSON.parse(received[0]!.body) as {
    schema: string;
    id: string;
    incident: { process: string; cause: string };
  };
  assert.equal(doc.schema, 'oomsleuth.incident/1');
  assert.deepEqual([doc.incident.process, doc.incident.cause], ['oomsleuth-test', 'oom-killer']);
  assert.equal(received[0]!.headers['idempotency-key'], doc.id);
});

test('--json: per endpoint ok, HTTP status (null without an answer) and latency', async () => {
  const run = await runCli([
    'alert',
    'test',
    '--json',
    '--webhook',
    `${base}/ok`,
    '--webhook',
    `http://127.0.0.1:${refusedPort}/`,
  ]);
  assert.equal(run.code, 1, run.stderr);
  const report = JSON.parse(run.stdout) as AlertTestReport;
  assert.equal(report.schema, 'oomsleuth.alert-test/1');
  assert.equal(report.ok, false);
  assert.deepEqual(
    report.results.map((r) => [r.ok, r.httpStatus, r.format]),
    [
      [true, 200, 'generic'],
      [false, null, 'generic'],
    ],
  );
  for (const r of report.results)
    assert.ok(Number.isInteger(r.latencyMs) && r.latencyMs >= 0, String(r.latencyMs));
});

test('the webhooks of the environment, as watch reads them; all ok exits 0', async () => {
  received.length = 0;
  const run = await runCli(['alert', 'test', '--webhook-format', 'slack'], {
    env: { OOMSLEUTH_WEBHOOK: `${base}/a ${base}/b` },
  });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /#1 slack 127\.0\.0\.1:\d+ +HTTP 200/);
  assert.match(run.stdout, /#2 slack 127\.0\.0\.1:\d+ +HTTP 200/);
  assert.match(run.stdout, /\nall 2 webhook\(s\) took the alert\n$/);
  assert.equal(received.length, 2);
  assert.match((JSON.parse(received[0]!.body) as { text: string }).text, /oomsleuth-test/);
});

test('no webhook, or a bad one: usage error, exit 2, nothing sent', async () => {
  const none = await runCli(['alert', 'test'], { env: { OOMSLEUTH_WEBHOOK: '' } });
  assert.equal(none.code, 2);
  assert.match(none.stderr, /alert test: no webhook to test: pass --webhook URL .* or set OOMSLEUTH_WEBHOOK/);
  const bad = await runCli(['alert', 'test', '--webhook', 'ftp://example.com/x']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--webhook #1 /);
});
