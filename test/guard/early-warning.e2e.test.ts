// End to end against the real kernel: `oomsleuth guard --memory-limit 64M` runs a memory hog named `anqicms` in a
// memory cgroup of its own. A child that leaks slowly after its start gets the early warning before the kernel kills
// it — in check.log, on stderr and as a `warning` record in --incidents — and a steady child (a GC sawtooth over a
// flat floor) gets none. Short horizons (--warn-before 20s, samples every 200 ms) keep each test well under a minute;
// `npm run bench:warning` measures the same at the default horizon. Needs root (a writable memory cgroup): skipped
// elsewhere with the reason, a failure under CI=true.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { skipUnlessCi } from '../helpers/skip.js';
import { memcgAvailable } from '../support/memcg.js';
import { HOG_SCRIPT } from '../support/real-oom.js';
import { assertBuilt, makeSandbox, readLines, readRecords, waitFor } from './support.js';

const availability = await memcgAvailable();

/** The hog's environment: its pattern, and a glibc that gives freed blocks back (so a collection shows in RSS). */
const hogEnv = (mode: Record<string, string>) => ({
  HOG_GO: 'now',
  MALLOC_MMAP_THRESHOLD_: '131072',
  ...mode,
});

const GUARD_ARGS = ['--memory-limit', '64M', '--warn-before', '20s', '--sample-window', '1m'];

test('guard --memory-limit 64M: a slowly leaking child is warned about before the kernel kills it', {
  timeout: 60_000,
}, async (t) => {
  if (!availability.ok)
    return skipUnlessCi(t, `real-kernel warning test cannot run here: ${availability.reason}`);
  await assertBuilt();
  const box = await makeSandbox('warn-leak');
  t.after(() => box.cleanup());
  const app = await box.app('anqicms');
  // 4 MiB at start, held 3 s, then 1 MiB every 400 ms (2.5 MiB/s): the cgroup's ~45 MiB of room lasts ~18 s.
  const guard = box.guard([app, '--expose-gc', HOG_SCRIPT], [...GUARD_ARGS, '--once'], {
    env: hogEnv({
      HOG_MODE: 'linear',
      HOG_BASE_MIB: '4',
      HOG_START_DELAY_MS: '3000',
      HOG_STEP_MIB: '1',
      HOG_STEP_DELAY_MS: '400',
    }),
  });
  const death = await waitFor(
    'the OOM kill',
    async () => (await readRecords(box.incidents)).find((r) => r.type === undefined),
    45_000,
  );
  box.track(death.pid);
  await guard.exited;
  const all = await readRecords(box.incidents);
  const warnings = all.filter((r) => r.type === 'warning');
  const lines = await readLines(box.checkLog);

  assert.equal(death.cause, 'oom-killer', JSON.stringify(death));
  assert.equal(warnings.length, 1, JSON.stringify(all, null, 2));
  const [warning] = warnings;
  assert.equal(warning.pid, death.pid);
  assert.equal(warning.process, 'anqicms');
  assert.equal(warning.ceiling, 'memory-limit');
  assert.equal(warning.memoryLimitKb, 64 * 1024);
  assert.ok(warning.timeToOomS === null || warning.timeToOomS <= 20, JSON.stringify(warning));
  // The warning line precedes the death line, and the record the incident.
  const warnedAt = lines.findIndex((l) => l.includes(' anqicms memory warning: '));
  const diedAt = lines.findIndex((l) => l.includes(' anqicms died: '));
  assert.ok(warnedAt >= 0 && warnedAt < diedAt, lines.join('\n'));
  assert.ok(all.indexOf(warning) < all.findIndex((r) => r.type === undefined), JSON.stringify(all, null, 2));
  assert.match(guard.stderr(), / anqicms memory warning: pid \d+ /);
  const leadMs = Date.parse(death.diedAt) - Date.parse(warning.at);
  console.log(
    `warning ${warning.reason} ${(leadMs / 1000).toFixed(1)} s before the kill (forecast ${warning.timeToOomS} s, band ${JSON.stringify(warning.timeToOomBandS)}): ${warning.says}`,
  );
  // Loosely: a warning worth having comes seconds before, not in the kill's last sample.
  assert.ok(leadMs >= 3_000, `${leadMs} ms`);
});

test('guard --memory-limit 64M: a steady child with a GC sawtooth is never warned about', {
  timeout: 60_000,
}, async (t) => {
  if (!availability.ok)
    return skipUnlessCi(t, `real-kernel warning test cannot run here: ${availability.reason}`);
  await assertBuilt();
  const box = await makeSandbox('warn-steady');
  t.after(() => box.cleanup());
  const app = await box.app('anqicms');
  // 8 MiB held; 1 MiB of garbage every 100 ms, collected every 12 MiB: a sawtooth of ~1.2 s on a flat floor.
  const guard = box.guard([app, '--expose-gc', HOG_SCRIPT], GUARD_ARGS, {
    env: hogEnv({
      HOG_MODE: 'steady',
      HOG_BASE_MIB: '8',
      HOG_STEP_MIB: '1',
      HOG_STEP_DELAY_MS: '100',
      HOG_SAW_MIB: '12',
    }),
  });
  const started = await waitFor('the start line', async () => {
    const line = (await readLines(box.checkLog)).find((l) => l.includes(' anqicms started: pid '));
    return line === undefined ? undefined : Number(/started: pid (?<pid>\d+)/.exec(line)?.groups?.pid);
  });
  box.track(started);
  // Longer than the 20 s window the forecast fits over.
  await sleep(30_000);
  guard.process.kill('SIGTERM');
  assert.deepEqual(await guard.exited, { code: 0, signal: null }, guard.stderr());
  const all = await readRecords(box.incidents);
  const [stopped] = all;
  assert.equal(all.length, 1, JSON.stringify(all, null, 2));
  assert.equal(stopped.cause, 'stopped');
  // It did saw: the samples rose and fell.
  const cgroup = stopped.memory.map((m: { cgroupUsageKb: number }) => m.cgroupUsageKb);
  const falls = cgroup.filter((kb: number, i: number) => i > 0 && kb < cgroup[i - 1] - 4 * 1024).length;
  assert.ok(falls >= 10, `only ${falls} collections seen: ${cgroup.join(' ')}`);
  assert.ok(!(await readLines(box.checkLog)).some((l) => l.includes(' memory warning: ')));
  assert.doesNotMatch(guard.stderr(), / memory warning: /);
});
