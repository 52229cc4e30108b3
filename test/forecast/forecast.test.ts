// The forecast of time to OOM: a linear leak is forecast close to the truth, whatever the sawtooth and noise on it; a
// steady app — flat, noisy, sawtoothed — never warns; a warm-up that levels off and a climb that a collection undoes
// never warn; a step to near the limit is caught by the near-limit rule; too few samples say nothing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  assessOomRisk,
  bucketWidthMs,
  type ForecastOptions,
  forecastTimeToOom,
  lowerEnvelope,
  RISK_STREAK,
  soonerRisk,
  tQuantile995,
  type UsageSample,
} from '../../src/forecast/forecast.js';

const MIB = 1024;
const T0 = Date.UTC(2024, 6, 23, 2, 0, 0);

/** Samples every `intervalMs` over `durationMs`, of `usedKb(t)` (t in seconds from the first) under `ceilingKb`. */
function series(
  usedKb: (t: number) => number,
  options: { durationMs: number; intervalMs: number; ceilingKb: number },
): UsageSample[] {
  const out: UsageSample[] = [];
  for (let ms = 0; ms <= options.durationMs; ms += options.intervalMs) {
    out.push({ at: T0 + ms, usedKb: usedKb(ms / 1000), ceilingKb: options.ceilingKb });
  }
  return out;
}

/** A sawtooth of `periodS` and `heightKb`: 0 at each collection, rising to the height before the next. */
const sawtooth = (t: number, periodS: number, heightKb: number, phaseS = 0) =>
  (((t + phaseS) % periodS) / periodS) * heightKb;

/**
 * A garbage collector's sawtooth as it is in life: collections come every `periodS` give or take 25% (a strictly
 * periodic one, sampled at a commensurate interval, shows the samples the same few phases for minutes: aliasing).
 */
function gcSawtooth(periodS: number, heightKb: number, seed: number): (t: number) => number {
  const n = noise(seed + 1);
  const starts: number[] = [-periodS * (0.5 + 0.5 * Math.abs(n(0)))];
  while (starts.at(-1)! < 4_000) starts.push(starts.at(-1)! + periodS * (1 + 0.25 * n(starts.length)));
  return (t: number) => {
    let i = 0;
    while (starts[i + 1]! <= t) i++;
    return ((t - starts[i]!) / (starts[i + 1]! - starts[i]!)) * heightKb;
  };
}

/** Deterministic noise in [-1, 1]: mulberry32 over (seed, t), so that a failing case can be replayed. */
function noise(seed: number): (t: number) => number {
  return (t: number) => {
    let a = (Math.imul(seed, 0x9e3779b1) ^ Math.imul(Math.round(t * 1000), 0x85ebca6b)) + 0x6d2b79f5;
    a = Math.imul(a ^ (a >>> 15), 1 | a);
    a = (a + Math.imul(a ^ (a >>> 7), 61 | a)) ^ a;
    return (((a ^ (a >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

// The guard's defaults: --warn-before 10m, --sample-interval 5s (window 10m, 12 buckets of 50 s).
const GUARD: ForecastOptions = { windowMs: 600_000, buckets: 12, minBucketMs: 15_000 };

describe('forecastTimeToOom', () => {
  test('a straight leak: the forecast is the truth, the band collapses on it', () => {
    // 1 GiB at 2 MiB/s under 2 GiB: 512 s left at the last sample, after 10 minutes.
    const samples = series((t) => MIB * MIB - 600 * 2 * MIB + t * 2 * MIB, {
      durationMs: 600_000,
      intervalMs: 5_000,
      ceilingKb: 2 * MIB * MIB,
    });
    const f = forecastTimeToOom(samples, GUARD);
    assert.ok(f);
    assert.ok(Math.abs(f.ttoMs - 512_000) < 1, String(f.ttoMs));
    assert.ok(Math.abs(f.slopeKbPerS - 2 * MIB) < 1e-6);
    assert.ok(Math.abs(f.earliestMs - f.latestMs) < 1);
    assert.equal(f.points, 12);
  });

  test('property: a leak under a sawtooth and noise is forecast within 25% (+20 s) of the truth when the noise and the teeth leave the floors clear', () => {
    fc.assert(
      fc.property(
        fc.record({
          leakKbPerS: fc.double({ min: 50, max: 5_000, noNaN: true }),
          // Teeth the samples can see: longer than two sample intervals.
          periodS: fc.double({ min: 11, max: 40, noNaN: true }),
          heightFraction: fc.double({ min: 0, max: 0.5, noNaN: true }),
          noiseFraction: fc.double({ min: 0, max: 0.2, noNaN: true }),
          phaseS: fc.double({ min: 0, max: 40, noNaN: true }),
          seed: fc.integer({ min: 0, max: 1_000_000 }),
          leftS: fc.integer({ min: 60, max: 1_200 }),
        }),
        ({ leakKbPerS, periodS, heightFraction, noiseFraction, phaseS, seed, leftS }) => {
          // The teeth and the noise are fractions of the room the leak has left.
          const heightKb = heightFraction * leakKbPerS * leftS;
          const noiseKb = noiseFraction * leakKbPerS * leftS;
          const ceilingKb = 4 * MIB * MIB;
          const durationS = 900;
          // The peak of the last tooth (envelope + height) meets the ceiling `leftS` after the last sample.
          const floorAtEnd = ceilingKb - heightKb - leakKbPerS * leftS;
          const n = noise(seed);
          const teeth = gcSawtooth(periodS, heightKb, seed + phaseS);
          const samples = series(
            (t) => floorAtEnd - leakKbPerS * (durationS - t) + teeth(t) + noiseKb * n(t),
            { durationMs: durationS * 1000, intervalMs: 5_000, ceilingKb },
          );
          const f = forecastTimeToOom(samples, GUARD);
          // A leak lost in its own noise or teeth may go unforecast, or be forecast within a factor of 2; otherwise
          // within 25%. Lost: the noise, or how high above its trough a bucket's lowest sample may stand (the teeth
          // times the share of a period between two samples), is more than the leak adds in a bucket (50 s).
          const floorErrorKb = heightKb * Math.min(1, 5 / periodS);
          const lost = Math.max(noiseKb, floorErrorKb) > leakKbPerS * 50;
          if (f === null) return lost;
          // Noise peaks reach the ceiling before the noiseless teeth do.
          const truthMs = (leftS - noiseKb / leakKbPerS) * 1000;
          const close = lost
            ? f.ttoMs <= 2 * truthMs + 20_000 && f.ttoMs >= truthMs / 2 - 20_000
            : Math.abs(f.ttoMs - truthMs) <= 0.25 * truthMs + 20_000;
          return close && f.earliestMs <= f.ttoMs && f.ttoMs <= f.latestMs;
        },
      ),
      { numRuns: 500, seed: 20240723 },
    );
  });

  test('property: a steady app — flat, noisy, sawtoothed, up to 85% of its ceiling — is never warned about', () => {
    fc.assert(
      fc.property(
        fc.record({
          baseKb: fc.integer({ min: 20 * MIB, max: 3 * MIB * MIB }),
          periodS: fc.double({ min: 2, max: 45, noNaN: true }),
          // Teeth up to the base itself (Go's default GOGC=100 lets the heap double between collections), noise
          // up to ±25% of it.
          heightShare: fc.double({ min: 0, max: 1, noNaN: true }),
          noiseShare: fc.double({ min: 0, max: 0.25, noNaN: true }),
          phaseS: fc.double({ min: 0, max: 45, noNaN: true }),
          seed: fc.integer({ min: 0, max: 1_000_000 }),
          durationS: fc.integer({ min: 60, max: 1_800 }),
          // Where the highest peak stands under the ceiling: anywhere up to 85% (the near-limit rule warns at 90%).
          peakShare: fc.double({ min: 0.2, max: 0.85, noNaN: true }),
        }),
        ({ baseKb, periodS, heightShare, noiseShare, phaseS, seed, durationS, peakShare }) => {
          const heightKb = heightShare * baseKb;
          const noiseKb = noiseShare * baseKb;
          const n = noise(seed);
          const ceilingKb = (baseKb + heightKb + noiseKb) / peakShare;
          const teeth = gcSawtooth(periodS, heightKb, seed + phaseS);
          const samples = series((t) => baseKb + teeth(t) + noiseKb * n(t), {
            durationMs: durationS * 1000,
            intervalMs: 5_000,
            ceilingKb,
          });
          // Every prefix: the guard asks after each sample, and warns when the risk is seen RISK_STREAK times in a
          // row. A spurious slope in the noise may pass the band test now and then; it must never warn.
          let streak = 0;
          for (let end = 1; end <= samples.length; end++) {
            const risk = assessOomRisk(samples.slice(0, end), { ...GUARD, warnBeforeMs: 600_000 });
            streak = risk === null ? 0 : streak + 1;
            if (streak >= RISK_STREAK) return false;
          }
          return true;
        },
      ),
      { numRuns: 150, seed: 20240723 },
    );
  });

  test('a start-up warm-up that levels off is not a leak', () => {
    // 200 MiB → 1.5 GiB in the first 3 minutes (logarithmic), then flat with a sawtooth, under 2 GiB.
    const samples = series(
      (t) =>
        200 * MIB + 1300 * MIB * Math.min(1, Math.log1p(t / 20) / Math.log1p(9)) + sawtooth(t, 30, 40 * MIB),
      { durationMs: 900_000, intervalMs: 5_000, ceilingKb: 2 * MIB * MIB },
    );
    for (let end = 1; end <= samples.length; end++) {
      const risk = assessOomRisk(samples.slice(0, end), { ...GUARD, warnBeforeMs: 600_000 });
      assert.equal(risk, null, `warned after ${(end - 1) * 5}s: ${JSON.stringify(risk?.forecast)}`);
    }
  });

  test('a climb that a collection undoes: no warning once the memory is back down', () => {
    // Flat at 1 GiB, a 6-minute climb of 600 MiB (a batch job's cache), a full collection back to 1 GiB, flat again.
    const used = (t: number) => {
      if (t < 300) return MIB * MIB;
      if (t < 660) return MIB * MIB + ((t - 300) / 360) * 600 * MIB;
      return MIB * MIB;
    };
    const samples = series(used, { durationMs: 1_500_000, intervalMs: 5_000, ceilingKb: 2 * MIB * MIB });
    const atEnd = (s: number) => forecastTimeToOom(samples.slice(0, s / 5 + 1), GUARD);
    // During the climb the slope is real…
    assert.ok(atEnd(650));
    // …and once the memory is back down, the newer floors no longer rise: no forecast, whatever the older ones did.
    for (let s = 700; s <= 1_500; s += 5) assert.equal(atEnd(s), null, `at ${s}s`);
  });

  test('too few samples, too short a span, no growth: null', () => {
    const leak = series((t) => 100 * MIB + t * MIB, {
      durationMs: 600_000,
      intervalMs: 5_000,
      ceilingKb: 2 * MIB * MIB,
    });
    assert.equal(forecastTimeToOom([], GUARD), null);
    assert.equal(forecastTimeToOom(leak.slice(0, 3), GUARD), null);
    // 4 minutes: 4 buckets of 50 s with a floor, fewer than the 6 points needed.
    assert.equal(forecastTimeToOom(leak.slice(0, 48), GUARD), null);
    assert.ok(forecastTimeToOom(leak.slice(0, 72), GUARD));
    const falling = series((t) => 1_000 * MIB - t * MIB, {
      durationMs: 600_000,
      intervalMs: 5_000,
      ceilingKb: 2 * MIB * MIB,
    });
    assert.equal(forecastTimeToOom(falling, GUARD), null);
  });

  test("the sawtooth's teeth count: the forecast is for the peaks to reach the ceiling, not the floors", () => {
    // Floors rise 1 MiB/s from 1 GiB; teeth 200 MiB high; ceiling 2 GiB.
    const samples = series((t) => MIB * MIB + t * MIB + sawtooth(t, 20, 200 * MIB), {
      durationMs: 600_000,
      intervalMs: 5_000,
      ceilingKb: 2 * MIB * MIB,
    });
    const f = forecastTimeToOom(samples, GUARD);
    assert.ok(f);
    // Floors at 1624 MiB now: 400 s to the ceiling for the floors, ~200 s less for the peaks (150 MiB seen at 5 s).
    assert.ok(f.ttoMs > 200_000 && f.ttoMs < 300_000, String(f.ttoMs));
  });

  test('the lower envelope: one floor per bucket, none from a bucket the samples barely cover', () => {
    const samples = series((t) => 1000 - t, { durationMs: 100_000, intervalMs: 1_000, ceilingKb: 2000 });
    const options = { windowMs: 60_000, buckets: 6 };
    assert.equal(bucketWidthMs(options), 10_000);
    const env = lowerEnvelope(samples, options);
    assert.equal(env.length, 6);
    // Falling memory: each bucket's floor is its newest sample.
    assert.deepEqual(
      env.map((p) => (p.at - T0) / 1000),
      [50, 60, 70, 80, 90, 100],
    );
  });

  test("Student's t for the band", () => {
    assert.equal(tQuantile995(1), 63.657);
    assert.equal(tQuantile995(10), 3.169);
    assert.equal(tQuantile995(1000), 2.576);
    assert.equal(tQuantile995(0), Number.POSITIVE_INFINITY);
  });
});

describe('assessOomRisk', () => {
  const warn = { ...GUARD, warnBeforeMs: 600_000 };

  test('a leak warns once the forecast is within --warn-before, not before', () => {
    // 1 MiB/s from 100 MiB under 2 GiB: the ceiling is reached at t = 1948 s.
    const samples = series((t) => 100 * MIB + t * MIB + sawtooth(t, 15, 30 * MIB), {
      durationMs: 1_948_000,
      intervalMs: 5_000,
      ceilingKb: 2 * MIB * MIB,
    });
    const first = samples.findIndex((_, i) => assessOomRisk(samples.slice(0, i + 1), warn) !== null);
    assert.ok(first > 0);
    const risk = assessOomRisk(samples.slice(0, first + 1), warn);
    assert.equal(risk?.reason, 'trend');
    const leadS = 1_948 - first * 5;
    // The peaks are 30 MiB above the floors: the warning comes 10 min before the peaks meet the ceiling.
    assert.ok(leadS >= 600 && leadS <= 660, `warned ${leadS}s before the OOM`);
  });

  test('a step to 90% of the ceiling warns at once, with no trend to forecast from', () => {
    const samples = series((t) => (t < 300 ? 500 * MIB : 1_850 * MIB), {
      durationMs: 320_000,
      intervalMs: 5_000,
      ceilingKb: 2 * MIB * MIB,
    });
    assert.equal(assessOomRisk(samples.slice(0, 60), warn), null);
    const risk = assessOomRisk(samples.slice(0, 61), warn);
    assert.equal(risk?.reason, 'near-limit');
    assert.equal(risk?.forecast, null);
    assert.equal(risk?.usedKb, 1_850 * MIB);
  });

  test('--warn-before 0 never warns', () => {
    const samples = series(() => 1_990 * MIB, {
      durationMs: 60_000,
      intervalMs: 5_000,
      ceilingKb: 2 * MIB * MIB,
    });
    assert.equal(assessOomRisk(samples, { ...GUARD, warnBeforeMs: 0 }), null);
  });

  test('the sooner of two risks; a near-limit one without a forecast counts as now', () => {
    const base = { atMs: T0, usedKb: 1, ceilingKb: 2 };
    const trend = (ttoMs: number) => ({
      reason: 'trend' as const,
      ...base,
      forecast: {
        atMs: T0,
        ttoMs,
        earliestMs: ttoMs,
        latestMs: ttoMs,
        slopeKbPerS: 1,
        slopeBandKbPerS: [1, 1] as const,
        levelKb: 1,
        usedKb: 1,
        ceilingKb: 2,
        points: 6,
        spanMs: 1,
      },
    });
    const near = { reason: 'near-limit' as const, ...base, forecast: null };
    assert.equal(soonerRisk(null, null), null);
    assert.equal(soonerRisk(trend(5), trend(9))?.forecast?.ttoMs, 5);
    assert.equal(soonerRisk(trend(9), trend(5))?.forecast?.ttoMs, 5);
    assert.equal(soonerRisk(trend(9), near), near);
    assert.equal(soonerRisk(null, near), near);
  });
});
