// The diagnosis rules one by one (docs/diagnosis.md): each kind from the evidence that decides it, the precedence
// between them, and advice carrying the evidence's numbers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { curveShape } from '../../src/diagnose/curve.js';
import { diagnose } from '../../src/diagnose/diagnose.js';
import type { DiagnosisContext, IncidentEvidence, MemorySamplePoint } from '../../src/diagnose/evidence.js';
import { leakRhythm, sameTimeOfDay } from '../../src/diagnose/rhythm.js';

const GIB = 1024 * 1024;
const MIB = 1024;
const HOUR = 3_600_000;
const DIED = Date.UTC(2024, 6, 23, 2, 3, 47);
const kill = { source: 'syslog', line: 857 };

function evidence(over: Partial<IncidentEvidence> = {}): IncidentEvidence {
  return {
    process: 'anqicms',
    runtime: 'go',
    diedAtMs: DIED,
    scope: 'global',
    victimRssKb: 3.4 * GIB,
    kill,
    host: null,
    memcg: null,
    tasks: null,
    trigger: null,
    curve: null,
    work: null,
    ...over,
  };
}

const host4g = { ramKb: 4 * GIB, swapTotalKb: 0, swapFreeKb: 0, cited: [{ source: 'syslog', line: 835 }] };
const tasks = (top: [string, number][]) => ({
  tasks: 12,
  totalRssKb: top.reduce((a, [, kb]) => a + kb, 0),
  top: top.map(([process, rssKb], i) => ({ process, pid: 100 + i, rssKb })),
  cited: { source: 'syslog', line: 839 },
});
const alone: DiagnosisContext = {
  kills: [{ atMs: DIED, rssKb: 3.4 * GIB }],
  minuteOfDay: (ms) => Math.floor((ms % 86_400_000) / 60_000),
};

describe('the kinds', () => {
  test('thin evidence is unknown, and the advice says what to collect', () => {
    const d = diagnose(evidence({ runtime: null }), alone);
    assert.equal(d.kind, 'unknown');
    assert.deepEqual(
      d.advice.map((a) => a.kind),
      ['collect-curve', 'collect-task-table', 'collect-kernel-report'],
    );
    assert.equal(d.because.at(-1)?.fact.kind, 'thin');
  });

  test('a global OOM on a host with no swap, nothing else known: undersized, with swap and a bigger instance', () => {
    const d = diagnose(
      evidence({
        host: host4g,
        tasks: tasks([
          ['anqicms', 3.4 * GIB],
          ['mysqld', 0.4 * GIB],
        ]),
      }),
      alone,
    );
    assert.equal(d.kind, 'undersized');
    assert.deepEqual(d.advice[0], { kind: 'add-swap', mib: 2048 });
    assert.deepEqual(d.advice[1], { kind: 'bigger-instance', gib: 8 });
    // GOMEMLIMIT: 80% of the RAM the others leave (4096 − 409.6 MiB), to 64 MiB steps.
    assert.deepEqual(d.advice[2], { kind: 'gomemlimit', mib: 2944 });
  });

  test('swap with room left is not "no swap": not undersized', () => {
    const d = diagnose(evidence({ host: { ...host4g, swapTotalKb: 2 * GIB, swapFreeKb: 1 * GIB } }), alone);
    assert.equal(d.kind, 'unknown');
  });

  test('another process holding most of the table: other-process, whatever the app did', () => {
    const d = diagnose(
      evidence({
        victimRssKb: 375 * MIB,
        host: host4g,
        tasks: tasks([
          ['mysqld', 2.8 * GIB],
          ['anqicms', 375 * MIB],
        ]),
        work: { counts: [{ work: 'collect', lines: 20 }], windowMs: 600_000, cited: null },
      }),
      alone,
    );
    assert.equal(d.kind, 'other-process');
    assert.deepEqual(d.advice[0], { kind: 'cap-other', process: 'mysqld', rssMib: 2816 });
  });

  test('php-fpm workers summed by the scan count as one holder', () => {
    const d = diagnose(
      evidence({
        victimRssKb: 300 * MIB,
        tasks: tasks([
          ['php-fpm', 2 * GIB],
          ['anqicms', 300 * MIB],
        ]),
      }),
      alone,
    );
    assert.equal(d.kind, 'other-process');
  });

  test('a bigger holder under twice the app is not another process', () => {
    const d = diagnose(
      evidence({
        victimRssKb: 1.2 * GIB,
        host: host4g,
        tasks: tasks([
          ['mysqld', 2 * GIB],
          ['anqicms', 1.2 * GIB],
        ]),
      }),
      alone,
    );
    assert.equal(d.kind, 'undersized');
  });

  test('inside its memory cgroup the app is not the victim of another process: limit-too-low', () => {
    const d = diagnose(
      evidence({
        scope: 'memcg',
        victimRssKb: 510 * MIB,
        memcg: {
          usageKb: 512 * MIB,
          limitKb: 512 * MIB,
          cgroup: '/system.slice/anqicms.service',
          cited: kill,
        },
        tasks: tasks([['anqicms', 510 * MIB]]),
      }),
      alone,
    );
    assert.equal(d.kind, 'limit-too-low');
    assert.deepEqual(d.advice[0], {
      kind: 'raise-limit',
      fromMib: 512,
      toMib: 768,
      cgroup: '/system.slice/anqicms.service',
    });
    assert.deepEqual(d.advice[1], { kind: 'gomemlimit', mib: 409 });
  });

  test('work lines before the death: a spike, with the work named in the advice', () => {
    const d = diagnose(
      evidence({
        host: host4g,
        work: { counts: [{ work: 'collect', lines: 13 }], windowMs: 600_000, cited: kill },
      }),
      alone,
    );
    assert.equal(d.kind, 'spike');
    assert.equal(d.because[0]?.fact.kind, 'work');
    assert.ok(d.advice.some((a) => a.kind === 'throttle-work' && a.work === 'collect'));
    assert.ok(d.advice.some((a) => a.kind === 'add-swap'));
  });

  test('fewer than 3 work lines are no job', () => {
    const d = diagnose(
      evidence({ work: { counts: [{ work: 'collect', lines: 2 }], windowMs: 600_000, cited: kill } }),
      alone,
    );
    assert.equal(d.kind, 'unknown');
  });

  test('kills at a steady pace at similar RSS: a leak, ahead of a host too small', () => {
    const kills = [0, 18, 36.3, 54.1].map((h) => ({ atMs: DIED - (54.1 - h) * HOUR, rssKb: 1.85 * GIB }));
    const d = diagnose(evidence({ host: host4g }), { ...alone, kills });
    assert.equal(d.kind, 'leak');
    assert.equal(d.advice[0]?.kind, 'find-leak');
  });

  test('kills at the same time of day: a spike, with advice to move the job', () => {
    const kills = [2, 1, 0].map((days) => ({
      atMs: DIED - days * 24 * HOUR + days * 120_000,
      rssKb: 2.5 * GIB,
    }));
    const d = diagnose(evidence({ host: host4g }), { ...alone, kills });
    assert.equal(d.kind, 'spike');
    assert.ok(d.advice.some((a) => a.kind === 'move-job'));
  });

  test('Java gets -Xmx, an unknown runtime neither it nor GOMEMLIMIT', () => {
    const base = { host: host4g, tasks: tasks([['java', 3 * GIB]]), process: 'java' };
    assert.ok(
      diagnose(evidence({ ...base, runtime: 'java' }), alone).advice.some((a) => a.kind === 'java-xmx'),
    );
    const none = diagnose(evidence({ ...base, runtime: null }), alone).advice.map((a) => a.kind);
    assert.ok(!none.includes('gomemlimit') && !none.includes('java-xmx'), none.join());
  });
});

describe('the memory curve', () => {
  const at = (minutes: number, mib: number): MemorySamplePoint => ({
    atMs: DIED + minutes * 60_000,
    usedKb: mib * MIB,
  });

  test('level, then a jump in the last minutes: spike', () => {
    const samples = [
      ...Array.from({ length: 20 }, (_, i) => at(i - 30, 400 + (i % 3) * 10)),
      at(-3, 700),
      at(-1, 1100),
      at(0, 1400),
    ];
    assert.equal(curveShape(samples, null)?.shape, 'spike');
    assert.equal(diagnose(evidence({ curve: { samples, limitKb: null, cited: kill } }), alone).kind, 'spike');
  });

  test('floors rising for hours under a GC sawtooth: growth, a leak within the life', () => {
    const samples = Array.from({ length: 120 }, (_, i) => at(i - 120, 300 + i * 6 + (i % 4) * 80));
    const shape = curveShape(samples, null);
    assert.equal(shape?.shape, 'growth');
    assert.equal(diagnose(evidence({ curve: { samples, limitKb: null, cited: kill } }), alone).kind, 'leak');
  });

  test('sawtooth around a level: flat', () => {
    const samples = Array.from({ length: 120 }, (_, i) => at(i - 120, 300 + (i % 4) * 80));
    assert.equal(curveShape(samples, null)?.shape, 'flat');
  });

  test("the last minutes at the limit: plateau, and with the guard's limit that is limit-too-low", () => {
    const samples = [at(-10, 200), at(-5, 400), at(-2, 500), at(-1.5, 505), at(-1, 508), at(0, 510)];
    assert.equal(curveShape(samples, 512 * MIB)?.shape, 'plateau');
    const d = diagnose(
      evidence({ scope: 'memcg', curve: { samples, limitKb: 512 * MIB, cited: kill } }),
      alone,
    );
    assert.equal(d.kind, 'limit-too-low');
  });

  test('fewer than 3 samples say nothing', () => {
    assert.equal(curveShape([at(-1, 100), at(0, 900)], null), null);
  });
});

describe('the rhythm', () => {
  const minuteOfDay = (ms: number) => Math.floor((ms % 86_400_000) / 60_000);

  test('gaps too uneven are no leak', () => {
    const kills = [0, 2, 30, 31].map((h) => ({ atMs: DIED - (31 - h) * HOUR, rssKb: GIB }));
    assert.equal(leakRhythm({ kills, minuteOfDay }, DIED), null);
  });

  test('RSS at the kills too far apart is no leak', () => {
    const kills = [0, 10, 20].map((h, i) => ({ atMs: DIED - (20 - h) * HOUR, rssKb: (1 + i * 0.5) * GIB }));
    assert.equal(leakRhythm({ kills, minuteOfDay }, DIED), null);
  });

  test('a crash loop minutes apart is no leak', () => {
    const kills = [0, 1, 2, 3].map((m) => ({ atMs: DIED - (3 - m) * 300_000, rssKb: GIB }));
    assert.equal(leakRhythm({ kills, minuteOfDay }, DIED), null);
  });

  test('two kills the same day at the same time are not a daily rhythm', () => {
    const kills = [
      { atMs: DIED - 600_000, rssKb: GIB },
      { atMs: DIED, rssKb: GIB },
    ];
    assert.equal(sameTimeOfDay({ kills, minuteOfDay }, DIED), null);
  });

  test('the same time across midnight counts (23:50 and 00:10)', () => {
    const kills = [
      { atMs: DIED - 24 * HOUR - 20 * 60_000, rssKb: GIB },
      { atMs: DIED, rssKb: GIB },
    ];
    const midnight = (ms: number) => (ms === DIED ? 10 : 1430);
    assert.deepEqual(sameTimeOfDay({ kills, minuteOfDay: midnight }, DIED), { kills: 2, minuteOfDay: 10 });
  });
});
