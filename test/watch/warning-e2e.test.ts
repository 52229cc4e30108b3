// The early warning end to end, against the real kernel: `oomsleuth guard --memory-limit 64M` runs a slowly leaking
// child and warns before the kernel kills it; `oomsleuth watch` (the built CLI), following the app's folder and the
// guard's incidents file, sends the warning's own webhook — before the death's — once, and shows
// `oomsleuth_time_to_oom_seconds` for the app until the death ends it. Needs root (a memory cgroup, /dev/kmsg):
// skipped elsewhere with the reason, a failure under CI=true.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { assertBuilt, makeSandbox } from '../guard/support.js';
import { skipUnlessCi } from '../helpers/skip.js';
import { HOG_SCRIPT } from '../support/real-oom.js';
import { realKillProblem } from './support/hog.js';
import { Receiver } from './support/receiver.js';
import { WatchProcess } from './support/watch-process.js';

const problem = await realKillProblem();
// Not `anqicms`: other suites provoke OOM kills of that name on the same kernel at the same time.
const NAME = 'oomwarn-e2e';

/** The gauge's value for the app, or null when the page has no such sample. */
async function timeToOom(url: string): Promise<number | null> {
  const text = await (await fetch(url)).text();
  const line = text.split('\n').find((l) => l.startsWith(`oomsleuth_time_to_oom_seconds{app="${NAME}"}`));
  return line === undefined ? null : Number(line.slice(line.lastIndexOf(' ') + 1));
}

test('guard warns, watch alerts the warning once — before the death — and exports the time to OOM', {
  timeout: 60_000,
}, async (t) => {
  if (problem !== null) return skipUnlessCi(t, `real-kernel warning test cannot run here: ${problem}`);
  await assertBuilt();
  const box = await makeSandbox('warn-watch');
  t.after(() => box.cleanup());
  const receiver = new Receiver();
  await receiver.up();
  t.after(() => receiver.down());
  const watch = new WatchProcess([
    '--app',
    NAME,
    '--app-dir',
    box.logs,
    '--guard-incidents',
    box.incidents,
    '--db',
    path.join(box.work, 'oomsleuth.db'),
    '--webhook',
    receiver.url,
    '--metrics',
    '127.0.0.1:0',
    '--settle',
    '5s',
    '--crash-loop-window',
    '0',
  ]);
  t.after(() => watch.kill());
  const metrics = await watch.metricsUrl();
  await watch.waitForStderr(/watching /);

  const app = await box.app(NAME);
  const guard = box.guard(
    [app, '--expose-gc', HOG_SCRIPT],
    ['--memory-limit', '64M', '--warn-before', '20s', '--once'],
    {
      env: {
        HOG_GO: 'now',
        MALLOC_MMAP_THRESHOLD_: '131072',
        HOG_MODE: 'linear',
        HOG_BASE_MIB: '4',
        HOG_START_DELAY_MS: '3000',
        HOG_STEP_MIB: '1',
        HOG_STEP_DELAY_MS: '400',
      },
    },
  );
  const schemaOf = (i: number) => (receiver.received[i]?.json as { schema?: string } | null)?.schema;
  await receiver.waitFor(1, 40_000);
  assert.equal(schemaOf(0), 'oomsleuth.warning/1', receiver.received[0]?.body);
  const gauge = await timeToOom(metrics);
  assert.ok(gauge !== null && gauge <= 20, `oomsleuth_time_to_oom_seconds ${gauge}`);

  // The kill, then the death's own alert.
  await guard.exited;
  await receiver.waitFor(2, 20_000);
  assert.equal(schemaOf(1), 'oomsleuth.incident/1', receiver.received[1]?.body);
  const warning = receiver.received[0]!.json as {
    id: string;
    app: string;
    warning: { pid: number; process: string; at: string };
  };
  const incident = receiver.received[1]!.json as { incident: { pid: number; cause: string; diedAt: string } };
  assert.equal(warning.app, NAME);
  assert.equal(warning.warning.process, NAME);
  assert.equal(warning.warning.pid, incident.incident.pid);
  assert.equal(incident.incident.cause, 'oom-killer');
  assert.equal(receiver.received[0]!.headers['idempotency-key'], warning.id);
  assert.ok(Date.parse(warning.warning.at) < Date.parse(incident.incident.diedAt));
  // The life has ended: no warning stands.
  await watch.waitForStderr(new RegExp(`incident \\S+: ${NAME} pid ${incident.incident.pid} oom-killer`));
  assert.equal(await timeToOom(metrics), null);
  assert.equal(
    receiver.received.filter((r) => (r.json as { schema?: string }).schema === 'oomsleuth.warning/1').length,
    1,
  );
  assert.match(watch.stderr, new RegExp(`warning ${warning.id}: ${NAME} pid \\d+ may run out of memory`));
});
