// The guard's early warning: the samples it forecasts from (the cgroup's working set against its limit, RSS against
// the host's memory), the record it appends to --incidents, the check.log line — which `oomsleuth analyze` must read as
// nothing at all, neither a death nor a start nor a stop — and, with a real child and a cgroup whose charge climbs, one
// warning per life, never two.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseWarningRecord, type WarningRecord } from '../../src/forecast/warning-record.js';
import { CheckLog } from '../../src/guard/check-log.js';
import {
  assessLifeRisk,
  buildWarningRecord,
  forecastOptionsFor,
  type LifeRisk,
  usageSeries,
  warningText,
} from '../../src/guard/early-warning.js';
import type { GuardConfig } from '../../src/guard/guard-config.js';
import type { KernelLog } from '../../src/guard/kernel-log.js';
import type { Memcg } from '../../src/guard/memcg.js';
import { MemoryRing, type MemorySample } from '../../src/guard/memory-ring.js';
import { parseMemAvailable } from '../../src/guard/memory-sampler.js';
import { Supervisor } from '../../src/guard/supervisor.js';
import { readBack } from './check-line-readback.js';

const MIB = 1024;
const AT = new Date(2024, 6, 23, 10, 4, 1).getTime();
const iso = (ms: number) => new Date(ms).toISOString();

function sample(at: number, fields: Partial<MemorySample> = {}): MemorySample {
  return { at, rssKb: 100 * MIB, hwmKb: 100 * MIB, cgroupUsageKb: null, ...fields };
}

const trendRisk: LifeRisk = {
  ceiling: 'memory-limit',
  risk: {
    reason: 'trend',
    atMs: AT,
    usedKb: 52 * MIB,
    ceilingKb: 64 * MIB,
    forecast: {
      atMs: AT,
      ttoMs: 480_000,
      earliestMs: 360_000,
      latestMs: 660_000,
      slopeKbPerS: 20.48,
      slopeBandKbPerS: [15, 27],
      levelKb: 54 * MIB,
      usedKb: 52 * MIB,
      ceilingKb: 64 * MIB,
      points: 12,
      spanMs: 550_000,
    },
  },
};

const record = (found: LifeRisk, sampleFields: Partial<MemorySample> = {}) =>
  buildWarningRecord(
    {
      name: 'anqicms',
      pid: 4242,
      startedAtMs: AT - 3_600_000,
      command: ['/www/anqicms/anqicms'],
      warnBeforeMs: 600_000,
      limitKb: found.ceiling === 'memory-limit' ? 64 * MIB : null,
      sample: sample(AT, sampleFields),
      found,
      language: 'en',
    },
    iso,
  );

describe('the warning record and its check.log line', () => {
  test('a trend: the forecast, its band, the growth — and the record reads back as written', () => {
    const w = record(trendRisk, { availableKb: 3_000 * MIB });
    assert.deepEqual(
      { ...w, command: [...w.command] },
      {
        type: 'warning',
        process: 'anqicms',
        pid: 4242,
        startedAt: iso(AT - 3_600_000),
        at: iso(AT),
        reason: 'trend',
        ceiling: 'memory-limit',
        usedKb: 52 * MIB,
        ceilingKb: 64 * MIB,
        timeToOomS: 480,
        timeToOomBandS: [360, 660],
        oomExpectedAt: iso(AT + 480_000),
        growthKbPerS: 20.5,
        fitSpanS: 550,
        warnBeforeS: 600,
        memoryLimitKb: 64 * MIB,
        availableKb: 3_000 * MIB,
        says: 'pid 4242 may run out of memory in about 8m (6m–11m): memory cgroup at 52 MiB of 64 MiB, growing 1.2 MiB/min over the last 9m10s',
        command: ['/www/anqicms/anqicms'],
      },
    );
    assert.equal(
      warningText('anqicms', w),
      'anqicms memory warning: pid 4242 may run out of memory in about 8m (6m–11m): memory cgroup at 52 MiB of 64 MiB, growing 1.2 MiB/min over the last 9m10s',
    );
    assert.deepEqual(parseWarningRecord(JSON.stringify(w)), w);
  });

  test('near the limit, with and without a trend; against the host’s memory', () => {
    const near: LifeRisk = {
      ceiling: 'memory-limit',
      risk: { reason: 'near-limit', atMs: AT, usedKb: 59 * MIB, ceilingKb: 64 * MIB, forecast: null },
    };
    assert.equal(record(near).says, "pid 4242 is at 92% of its memory cgroup's limit (59 MiB of 64 MiB)");
    assert.equal(record(near).timeToOomS, null);
    assert.equal(record(near).oomExpectedAt, null);
    const nearTrend: LifeRisk = {
      ceiling: 'memory-limit',
      risk: { ...trendRisk.risk, reason: 'near-limit' },
    };
    assert.match(
      record(nearTrend).says,
      /^pid 4242 is at 81% of its memory cgroup's limit \(52 MiB of 64 MiB\) and may run out of memory in about 8m/,
    );
    const host: LifeRisk = {
      ceiling: 'host-memory',
      risk: {
        reason: 'near-limit',
        atMs: AT,
        usedKb: 3 * MIB * MIB,
        ceilingKb: 3.2 * MIB * MIB,
        forecast: null,
      },
    };
    assert.equal(
      record(host, { availableKb: 0.2 * MIB * MIB }).says,
      "pid 4242 holds 94% of the memory it can have: rss 3.0 GiB, 205 MiB of the host's memory available",
    );
  });

  test('analyze reads the warning line as nothing: not a death, not a start, not a stop, not a heartbeat', () => {
    const near: LifeRisk = {
      ceiling: 'host-memory',
      risk: { reason: 'near-limit', atMs: AT, usedKb: 900 * MIB, ceilingKb: 1000 * MIB, forecast: null },
    };
    for (const w of [record(trendRisk), record(near), record({ ...trendRisk, ceiling: 'host-memory' })]) {
      const line = `20240723 10:04:01 ${warningText('anqicms', w)}`;
      assert.equal(readBack(line), null, line);
    }
  });

  test('the incidents reader of watch takes a warning record as a warning, and nothing else as one', () => {
    assert.equal(
      parseWarningRecord('{"process":"anqicms","pid":1,"diedAt":"2024-07-23T10:03:47+08:00"}'),
      null,
    );
    assert.equal(parseWarningRecord('{"type":"warning",'), null);
    assert.equal(parseWarningRecord(JSON.stringify({ ...record(trendRisk), reason: 'hunch' })), null);
    assert.equal(parseWarningRecord(JSON.stringify({ ...record(trendRisk), at: 'soon' })), null);
  });
});

describe('what the forecast is fed', () => {
  test('the cgroup’s working set (usage less inactive page cache) against the limit; RSS against RSS + MemAvailable', () => {
    const samples = [
      sample(AT, { cgroupUsageKb: 40 * MIB, cgroupWorkingSetKb: 30 * MIB, availableKb: 500 * MIB }),
      sample(AT + 1000, { cgroupUsageKb: 41 * MIB, availableKb: null }),
      sample(AT + 2000, { rssKb: null }),
    ];
    assert.deepEqual(usageSeries(samples, 64 * MIB), {
      'memory-limit': [
        { at: AT, usedKb: 30 * MIB, ceilingKb: 64 * MIB },
        { at: AT + 1000, usedKb: 41 * MIB, ceilingKb: 64 * MIB },
      ],
      'host-memory': [{ at: AT, usedKb: 100 * MIB, ceilingKb: 600 * MIB }],
    });
    // No limit: the host alone.
    assert.deepEqual(usageSeries(samples, null)['memory-limit'], []);
  });

  test('the window follows --warn-before and never has fewer than 12 buckets of 3 samples', () => {
    assert.deepEqual(forecastOptionsFor(600_000, 5_000), {
      windowMs: 600_000,
      buckets: 12,
      minBucketMs: 15_000,
    });
    assert.deepEqual(forecastOptionsFor(10_000, 5_000), {
      windowMs: 180_000,
      buckets: 12,
      minBucketMs: 15_000,
    });
  });

  test('the sooner ceiling wins: a host running out before the cgroup’s limit is the warning', () => {
    // The cgroup's working set is flat at half its 2 GiB limit; the host's MemAvailable falls fast.
    const samples: MemorySample[] = [];
    for (let s = 0; s <= 600; s += 5) {
      samples.push(
        sample(AT + s * 1000, {
          rssKb: 1_000 * MIB + s * 2 * MIB,
          cgroupUsageKb: 1_024 * MIB,
          availableKb: Math.max(0, 2_000 * MIB - s * 2 * MIB),
        }),
      );
    }
    const found = assessLifeRisk(samples, {
      warnBeforeMs: 600_000,
      sampleIntervalMs: 5_000,
      limitKb: 2 * MIB * MIB,
    });
    assert.equal(found?.ceiling, 'host-memory');
    assert.equal(found?.risk.reason, 'trend');
    assert.equal(assessLifeRisk(samples, { warnBeforeMs: 0, sampleIntervalMs: 5_000, limitKb: null }), null);
  });

  test('MemAvailable from /proc/meminfo; the ring hands out only the window asked for', () => {
    assert.equal(parseMemAvailable('MemTotal:       24684148 kB\nMemAvailable:   24316388 kB\n'), 24316388);
    assert.equal(parseMemAvailable('MemTotal:       24684148 kB\n'), null);
    const ring = new MemoryRing(5);
    for (let i = 0; i < 8; i++) ring.push(sample(i * 1000));
    assert.deepEqual(
      ring.since(4_500).map((s) => s.at),
      [5000, 6000, 7000],
    );
    assert.deepEqual(
      ring.since(0).map((s) => s.at),
      [3000, 4000, 5000, 6000, 7000],
    );
  });
});

/**
 * A fake memory cgroup whose charge climbs: the guard steps into it for each spawn, so a new life's charge starts again
 * from 10 MiB, then climbs 20 MiB/s up to 50 MiB (under 90% of the 64 MiB limit: the trend warns, not the near-limit
 * rule).
 */
function climbingCgroup(dir: string): Memcg {
  let lifeStartMs = Date.now();
  return {
    version: 1,
    dir: join(dir, 'cg'),
    cgroupPath: '/oomsleuth-guard-1-warn-test',
    limitBytes: 64 * 1024 * 1024,
    addProcess: async () => {
      lifeStartMs = Date.now();
    },
    pids: async () => [],
    oomKillCount: async () => 0,
    usage: async () => ({
      usageBytes: Math.min(50, 10 + ((Date.now() - lifeStartMs) / 1000) * 20) * 1024 * 1024,
      limitBytes: 64 * 1024 * 1024,
      inactiveFileBytes: 0,
    }),
    remove: async () => undefined,
  };
}

test('a real child in a cgroup whose charge climbs: one warning per life — check.log, stderr, the record', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'oomsleuth-warning-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const config: GuardConfig = {
    command: '/bin/sh',
    args: ['-c', 'sleep 3'],
    commandLine: ['/bin/sh', '-c', 'sleep 3'],
    name: 'warn-test',
    cwd: dir,
    checkLog: join(dir, 'check.log'),
    appLog: join(dir, 'running.log'),
    incidents: null,
    pidFile: join(dir, 'guard.pid'),
    memoryLimitBytes: 64 * 1024 * 1024,
    checkIntervalMs: 60_000,
    sampleIntervalMs: 50,
    sampleWindowMs: 10_000,
    warnBeforeMs: 2_000,
    stopTimeoutMs: 1_000,
    stableAfterMs: 100,
    maxRestarts: null,
    once: false,
    daemon: false,
    language: 'en',
    jsonLanguage: 'en',
  };
  const kernelLog: KernelLog = {
    via: '/dev/kmsg',
    problem: null,
    mark: async () => 0,
    findKill: async () => null,
    close: async () => undefined,
  };
  const cgroup = climbingCgroup(dir);
  const said: string[] = [];
  const warnings: WarningRecord[] = [];
  const checkLog = new CheckLog(
    config.checkLog,
    (m) => said.push(m),
    (line) => said.push(line),
  );
  const supervisor = new Supervisor({
    config,
    checkLog,
    kernelLog,
    memcg: { cgroup, homeDir: dir },
    appendIncident: async () => undefined,
    appendWarning: async (w) => {
      warnings.push(w);
    },
    say: (m) => said.push(m),
  });
  const running = supervisor.run();
  const deadline = Date.now() + 20_000;
  // Two lives warned, and the second lived on after its warning (more samples, no second warning).
  while (warnings.length < 2 && Date.now() < deadline) await sleep(50);
  await sleep(1_000);
  supervisor.requestStop('the test is done');
  assert.equal(await running, 0);
  await checkLog.flush();

  const lines = (await readFile(config.checkLog, 'utf8')).split('\n');
  const warned = lines.filter((l) => l.includes(' warn-test memory warning: '));
  const lives = [...lines.join('\n').matchAll(/ (?:started|restarted): pid (?<pid>\d+)/g)].map((m) =>
    Number(m.groups?.pid),
  );
  assert.ok(warnings.length >= 2, lines.join('\n'));
  assert.equal(warned.length, warnings.length, lines.join('\n'));
  // One per life, each for its own life.
  assert.deepEqual(
    warnings.map((w) => w.pid),
    [...new Set(warnings.map((w) => w.pid))],
  );
  for (const w of warnings) {
    assert.ok(lives.includes(w.pid), `${w.pid} is not a life of ${lives.join(' ')}`);
    assert.equal(w.reason, 'trend');
    assert.equal(w.ceiling, 'memory-limit');
    assert.equal(w.memoryLimitKb, 64 * MIB);
    assert.ok(w.timeToOomS !== null && w.timeToOomS <= 2, String(w.timeToOomS));
    assert.ok(warned.some((l) => l.endsWith(`warn-test memory warning: ${w.says}`)));
    // Echoed on stderr as check.log has it.
    assert.ok(said.some((m) => m.endsWith(`warn-test memory warning: ${w.says}`)));
  }
});

test('--warn-before 0: the same climb, no warning', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'oomsleuth-warning-off-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const warnings: WarningRecord[] = [];
  const checkLog = new CheckLog(join(dir, 'check.log'), () => undefined);
  const supervisor = new Supervisor({
    config: {
      command: '/bin/sh',
      args: ['-c', 'sleep 2.5'],
      commandLine: ['/bin/sh', '-c', 'sleep 2.5'],
      name: 'warn-off',
      cwd: dir,
      checkLog: join(dir, 'check.log'),
      appLog: join(dir, 'running.log'),
      incidents: null,
      pidFile: join(dir, 'guard.pid'),
      memoryLimitBytes: 64 * 1024 * 1024,
      checkIntervalMs: 60_000,
      sampleIntervalMs: 50,
      sampleWindowMs: 10_000,
      warnBeforeMs: 0,
      stopTimeoutMs: 1_000,
      stableAfterMs: 100,
      maxRestarts: null,
      once: true,
      daemon: false,
      language: 'en',
      jsonLanguage: 'en',
    },
    checkLog,
    kernelLog: {
      via: null,
      problem: 'none',
      mark: async () => 0,
      findKill: async () => null,
      close: async () => undefined,
    },
    // The same climb that warns in the test above.
    memcg: { cgroup: climbingCgroup(dir), homeDir: dir },
    appendIncident: async () => undefined,
    appendWarning: async (w) => {
      warnings.push(w);
    },
    say: () => undefined,
  });
  assert.equal(await supervisor.run(), 0);
  assert.deepEqual(warnings, []);
  assert.doesNotMatch(await readFile(join(dir, 'check.log'), 'utf8'), / memory warning: /);
});
