// `oomsleuth watch` (the built CLI) against the real kernel: a process is OOM-killed in a 64 MiB memory cgroup and
// (a) one webhook reaches a loopback receiver with the right incident, the store holds the whole OOM block, the
// metrics count it; (c) watch SIGKILLed between the kill and the alert, then restarted: exactly one alert; (d) the
// receiver down for a while, then up: the alert arrives, once.
//
// Needs root (a memory cgroup, /dev/kmsg). Elsewhere it is skipped with the reason — except under CI=true, where a
// missing capability is a failure.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { openKernelWindow } from '../support/kmsg.js';
import { HOG_NAME, provokeKill, realKillProblem } from './support/hog.js';
import { Receiver } from './support/receiver.js';
import { CLI, scrape, WatchProcess } from './support/watch-process.js';

const run = promisify(execFile);
const problem = await realKillProblem();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function skipUnlessReady(t: { skip: (reason: string) => void }): boolean {
  if (problem === null) return false;
  const reason = `real-kernel watch test cannot run here: ${problem}`;
  if (process.env.CI === 'true') assert.fail(`CI=true, so this is a failure: ${reason}`);
  console.log(reason);
  t.skip(reason);
  return true;
}

async function setup() {
  await access(CLI).catch(() =>
    assert.fail(`${CLI} is missing: build the CLI first (npx tsc -p tsconfig.build.json)`),
  );
  const dir = await mkdtemp(path.join(tmpdir(), 'oomsleuth-watch-e2e-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const receiver = new Receiver();
  await receiver.up();
  cleanups.push(() => receiver.down());
  return { dir, receiver, db: path.join(dir, 'oomsleuth.db') };
}

function startWatch(db: string, receiver: Receiver, extra: string[] = []): WatchProcess {
  const w = new WatchProcess([
    '--app',
    HOG_NAME,
    '--db',
    db,
    '--webhook',
    receiver.url,
    '--settle',
    '5s',
    '--alert-retry-max',
    '1s',
    // Every kill of the test alerted on its own (the crash-loop rule has its own test).
    '--crash-loop-window',
    '0',
    ...extra,
  ]);
  cleanups.push(() => w.kill());
  return w;
}

/** Alerts received for our hog's deaths (other suites' kills of other processes are not alerted: --alert-on app). */
function ours(receiver: Receiver, pid: number) {
  return receiver.received.filter((r) => (r.json as { incident?: { pid?: number } })?.incident?.pid === pid);
}

async function showJson(db: string, id: string) {
  const { stdout } = await run(process.execPath, [CLI, 'incidents', 'show', id, '--db', db, '--json']);
  return JSON.parse(stdout);
}

describe('watch against real kernel OOM kills', { timeout: 120_000 }, () => {
  test('(a) one webhook with the right incident; the store holds the whole OOM block; the metrics count it', async (t) => {
    if (skipUnlessReady(t)) return;
    const { receiver, db } = await setup();
    const watch = startWatch(db, receiver, ['--metrics', '127.0.0.1:0', '--json']);
    const metrics = await watch.metricsUrl();
    await watch.waitForStderr(/watching \/dev\/kmsg/);
    // A first start reads the kernel's ring buffer, earlier test kills included, and counts them: wait until it has.
    let last = -1;
    for (let i = 0; i < 40; i++) {
      const now = await scrape(metrics, 'oomsleuth_oom_kills_total', { process: HOG_NAME, scope: 'memcg' });
      if (now === last) break;
      last = now;
      await new Promise((r) => setTimeout(r, 500));
    }
    const killsBefore = await scrape(metrics, 'oomsleuth_oom_kills_total', {
      process: HOG_NAME,
      scope: 'memcg',
    });
    const incidentsBefore = await scrape(metrics, 'oomsleuth_incidents_total', {
      app: HOG_NAME,
      cause: 'oom-killer',
    });
    const window = await openKernelWindow('kmsg');
    cleanups.push(() => window.close());

    const kill = await provokeKill();
    assert.equal(kill.signal, 'SIGKILL');
    await receiver.waitFor(1, 10_000, () => ours(receiver, kill.pid).length);
    const latencyMs = ours(receiver, kill.pid)[0]!.at - kill.exitedAt;
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal(ours(receiver, kill.pid).length, 1, 'one webhook for one kill');
    assert.equal(
      receiver.received.length,
      1,
      `nothing else alerted: ${receiver.received.map((r) => r.body).join('\n')}`,
    );

    const alert = ours(receiver, kill.pid)[0]!;
    const doc = alert.json as {
      schema: string;
      id: string;
      app: string;
      incident: Record<string, unknown> & { oom: Record<string, unknown> };
    };
    assert.equal(doc.schema, 'oomsleuth.incident/1');
    assert.equal(alert.headers['idempotency-key'], doc.id);
    assert.equal(doc.app, HOG_NAME);
    assert.equal(doc.incident.process, HOG_NAME);
    assert.equal(doc.incident.cause, 'oom-killer');
    assert.equal(doc.incident.confidence, 'confirmed');
    assert.equal(doc.incident.oom.scope, 'memcg');
    assert.ok(
      Math.abs(Date.parse(doc.incident.diedAt as string) - kill.exitedAt) < 1_000,
      `diedAt ${doc.incident.diedAt}`,
    );
    console.log(`kill → webhook ${latencyMs} ms (pid ${kill.pid})`);

    // The store: the whole report as the kernel wrote it, from the trigger line to the kill line.
    const kernel = await window.collect({
      until: (rs) => rs.some((r) => r.text.includes(`Killed process ${kill.pid} (`)),
    });
    const killed = kernel.records.find((r) => r.text.includes(`Killed process ${kill.pid} (`))!;
    const invoked = kernel.records
      .filter((r) => r.text.includes('invoked oom-killer') && r.seq! < killed.seq!)
      .at(-1)!;
    const report = kernel.records
      .filter((r) => r.seq! >= invoked.seq! && r.seq! <= killed.seq!)
      .map((r) => r.raw.split('\n')[0] ?? r.raw);
    const shown = await showJson(db, doc.id);
    const block: string[] = shown.bundle.oomBlock.map((l: { text: string }) => l.text);
    assert.ok(report.length > 10, `${report.length} records`);
    for (const line of report) assert.ok(block.includes(line), `missing from the stored block: ${line}`);
    assert.match(block[0]!, /invoked oom-killer/);
    assert.equal(shown.alert.deliveries[0].state, 'delivered');

    assert.equal(
      await scrape(metrics, 'oomsleuth_oom_kills_total', { process: HOG_NAME, scope: 'memcg' }),
      killsBefore + 1,
    );
    assert.equal(
      await scrape(metrics, 'oomsleuth_incidents_total', { app: HOG_NAME, cause: 'oom-killer' }),
      incidentsBefore + 1,
    );
    assert.ok(
      (await scrape(metrics, 'oomsleuth_last_incident_timestamp_seconds', {
        app: HOG_NAME,
        cause: 'oom-killer',
      })) > 0,
    );
    assert.equal(await scrape(metrics, 'oomsleuth_source_up', { source: '/dev/kmsg' }), 1);
    assert.ok((await scrape(metrics, 'process_resident_memory_bytes', {})) > 0);

    const printed = watch.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((d) => d.id === doc.id);
    assert.equal(printed.length, 1, '--json prints the incident once');
    const stopped = await watch.stop();
    assert.equal(stopped.code, 0, watch.stderr);
  });

  test('(c) watch SIGKILLed between the kill and the alert, then restarted: exactly one alert', async (t) => {
    if (skipUnlessReady(t)) return;
    const { receiver, db } = await setup();

    // Killed before it read the kernel's record: the restart reads it from the stored kmsg position.
    const first = startWatch(db, receiver);
    await first.waitForStderr(/watching/);
    await new Promise((r) => setTimeout(r, 300)); // let it commit its positions past the backlog
    process.kill(first.pid, 'SIGSTOP');
    const early = await provokeKill();
    await first.kill();
    assert.equal(ours(receiver, early.pid).length, 0);
    const second = startWatch(db, receiver);
    await receiver
      .waitFor(1, 10_000, () => ours(receiver, early.pid).length)
      .catch((error: Error) =>
        assert.fail(`${error.message}\nfirst:\n${first.stderr}\nsecond:\n${second.stderr}`),
      );

    // Killed after the incident was stored, before the receiver took the alert: the outbox sends it after restart.
    receiver.status = 500;
    const late = await provokeKill();
    await receiver.waitFor(1, 10_000, () => ours(receiver, late.pid).length);
    await second.kill();
    receiver.status = 200;
    const third = startWatch(db, receiver);
    await receiver.waitFor(1, 10_000, () => ours(receiver, late.pid).filter((r) => r.status === 200).length);
    await new Promise((r) => setTimeout(r, 1_500));

    const accepted = (pid: number) => ours(receiver, pid).filter((r) => r.status === 200);
    assert.equal(accepted(early.pid).length, 1, 'the kill read only after the restart: one alert');
    assert.equal(ours(receiver, early.pid).length, 1);
    assert.equal(accepted(late.pid).length, 1, 'the alert pending at the kill: delivered once');
    const ids = new Set(ours(receiver, late.pid).map((r) => (r.json as { id: string }).id));
    assert.equal(ids.size, 1, 'every attempt carried the same idempotency key');
    const { stdout } = await run(process.execPath, [CLI, 'incidents', '--db', db, '--json']);
    const stored = JSON.parse(stdout).incidents.filter(
      (i: { incident: { process: string } }) => i.incident.process === HOG_NAME,
    );
    assert.equal(stored.filter((i: { incident: { pid: number } }) => i.incident.pid === early.pid).length, 1);
    assert.equal(stored.filter((i: { incident: { pid: number } }) => i.incident.pid === late.pid).length, 1);
    assert.equal((await third.stop()).code, 0);
  });

  test('(d) the receiver down for a while, then up: the alert arrives, once', async (t) => {
    if (skipUnlessReady(t)) return;
    const { receiver, db } = await setup();
    await receiver.down();
    const watch = startWatch(db, receiver);
    await watch.waitForStderr(/watching/);
    const kill = await provokeKill();
    await watch.waitForStderr(/failed \(attempt 2\): connection refused/, 10_000);
    await new Promise((r) => setTimeout(r, 2_000));
    await receiver.up();
    await receiver.waitFor(1, 10_000, () => ours(receiver, kill.pid).length);
    await new Promise((r) => setTimeout(r, 2_000));
    assert.equal(ours(receiver, kill.pid).length, 1);
    assert.match(watch.stderr, /delivered to #1 generic 127\.0\.0\.1:\d+ after \d+ attempts/);
    assert.doesNotMatch(watch.stderr, /\/hook/, 'the URL path is not logged');
    assert.equal((await watch.stop()).code, 0);
  });
});
