// The memory history: bounded, oldest first, and the phrase that sums up its last ten minutes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeTrend, formatRange, MemoryRing, type MemorySample } from '../../src/guard/memory-ring.js';
import { parseProcStatus } from '../../src/guard/memory-sampler.js';

const GIB = 1024 * 1024;
const sample = (at: number, rssKb: number | null, extra: Partial<MemorySample> = {}): MemorySample => ({
  at,
  rssKb,
  hwmKb: rssKb,
  cgroupUsageKb: null,
  ...extra,
});

test('the ring keeps the last `capacity` samples, oldest first', () => {
  const ring = new MemoryRing(3);
  assert.deepEqual(ring.toArray(), []);
  assert.equal(ring.last(), null);
  for (let i = 1; i <= 5; i++) ring.push(sample(i, i));
  assert.deepEqual(
    ring.toArray().map((s) => s.at),
    [3, 4, 5],
  );
  assert.equal(ring.size, 3);
  assert.equal(ring.last()?.at, 5);
});

test('an hour at 5 s is 720 samples, whatever the uptime', () => {
  const ring = new MemoryRing(Math.ceil(3_600_000 / 5000));
  for (let i = 0; i < 10_000; i++) ring.push(sample(i * 5000, 1000 + i));
  assert.equal(ring.toArray().length, 720);
  assert.equal(ring.toArray()[0]?.rssKb, 1000 + 10_000 - 720);
});

test('the trend over the last ten minutes: rose, fell, steady; the peak and the cgroup when they add something', () => {
  const minute = 60_000;
  const rising = [
    sample(0, 0.5 * GIB),
    sample(5 * minute, 1.1 * GIB),
    sample(10 * minute, 2 * GIB),
    sample(15 * minute, 3.8 * GIB),
  ];
  assert.equal(describeTrend(rising), 'rss rose 1.1→3.8 GiB in 10m');
  assert.equal(
    describeTrend([sample(0, 900 * 1024), sample(60_000, 500 * 1024)]),
    'rss fell 900→500 MiB in 1m',
  );
  assert.equal(describeTrend([sample(0, 45 * 1024), sample(60_000, 45.5 * 1024)]), 'rss steady at 46 MiB');
  assert.equal(describeTrend([sample(0, 45 * 1024)]), 'rss steady at 45 MiB');
  assert.equal(describeTrend([]), null);
  assert.equal(
    describeTrend(
      [sample(0, 40 * 1024), sample(1000, 30 * 1024, { hwmKb: 60 * 1024, cgroupUsageKb: 61 * 1024 })],
      64 * 1024,
    ),
    'rss fell 40→30 MiB in 1s, peak 60 MiB, cgroup 61 of 64 MiB',
  );
  assert.equal(
    describeTrend([sample(0, 512 * 1024), sample(1000, 1.2 * GIB)]),
    'rss rose 512 MiB→1.2 GiB in 1s',
  );
});

test('ranges name the unit once when both ends share it', () => {
  assert.equal(formatRange(1.1 * GIB, 3.8 * GIB), '1.1→3.8 GiB');
  assert.equal(formatRange(512 * 1024, 1.2 * GIB), '512 MiB→1.2 GiB');
  assert.equal(formatRange(61 * 1024, 64 * 1024, ' of '), '61 of 64 MiB');
});

test('VmRSS and VmHWM from /proc/PID/status; a zombie has neither', () => {
  const status =
    'Name:\tanqicms\nState:\tS (sleeping)\nVmPeak:\t 1082668 kB\nVmHWM:\t   97136 kB\nVmRSS:\t   96000 kB\n';
  assert.deepEqual(parseProcStatus(status), { rssKb: 96000, hwmKb: 97136 });
  assert.deepEqual(parseProcStatus('Name:\tanqicms\nState:\tZ (zombie)\n'), { rssKb: null, hwmKb: null });
});
