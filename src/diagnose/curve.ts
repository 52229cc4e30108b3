// The shape of the app's memory before its death, from the guard's samples: a spike in the last minutes, steady
// growth, a plateau at its cgroup's limit, or flat. Thresholds are in docs/diagnosis.md with their reasons.
import { lowerEnvelope } from '../forecast/forecast.js';
import type { Cited, CurveShape, IncidentEvidence, MemorySamplePoint } from './evidence.js';

/** The last minutes before the death that a spike is looked for in. */
export const SPIKE_WINDOW_MS = 5 * 60_000;
/** A spike: the last minutes' peak stands this fraction of itself above the level before them… */
export const SPIKE_RISE_FRACTION = 0.3;
/** …and at least this many kB (a small app's 20 MiB breath is no spike). */
export const SPIKE_MIN_RISE_KB = 64 * 1024;
/** The level a spike rises from: the samples of this long before the spike's window. */
export const SPIKE_BASE_MS = 10 * 60_000;
/** Steady growth: the floors (GC lows) rose by this fraction of the last floor… */
export const GROWTH_FRACTION = 0.3;
/** …over at least this long. */
export const GROWTH_MIN_SPAN_MS = 20 * 60_000;
/** A plateau: the last samples within this fraction of the limit… */
export const PLATEAU_NEAR = 0.05;
/** …for at least this long. */
export const PLATEAU_MIN_MS = 60_000;

export interface CurveFinding {
  readonly shape: CurveShape;
  readonly fromKb: number;
  readonly toKb: number;
  readonly overMs: number;
}

/** The shape of `samples` (oldest first) before a death; null with too few samples to say. */
export function curveShape(
  samples: readonly MemorySamplePoint[],
  limitKb: number | null,
): CurveFinding | null {
  if (samples.length < 3) return null;
  const last = samples.at(-1)!;
  const first = samples[0]!;
  const endMs = last.atMs;
  const plateau = plateauAtLimit(samples, limitKb);
  if (plateau !== null) return plateau;

  // Growth first: a spike at the end of a long life sits in the last bucket, whose floor is from before it.
  // Before the last minutes only: a jump at the very end would be its own bucket's floor.
  const earlier = samples.filter((s) => s.atMs < endMs - SPIKE_WINDOW_MS);
  const spanMs = (earlier.at(-1)?.atMs ?? first.atMs) - first.atMs;
  if (spanMs >= GROWTH_MIN_SPAN_MS) {
    // Floors, not peaks: a garbage collector's sawtooth within a life is no growth, its lows rising is.
    const floors = lowerEnvelope(
      earlier.map((s) => ({ at: s.atMs, usedKb: s.usedKb, ceilingKb: limitKb ?? Number.POSITIVE_INFINITY })),
      { windowMs: spanMs + 1, buckets: 6 },
    );
    if (floors.length >= 4) {
      const rises = floors.every((p, i) => i === 0 || p.usedKb >= floors[i - 1]!.usedKb * 0.95);
      const low = floors[0]!.usedKb;
      const high = floors.at(-1)!.usedKb;
      if (rises && high - low >= GROWTH_FRACTION * high && high - low >= SPIKE_MIN_RISE_KB)
        return { shape: 'growth', fromKb: low, toKb: high, overMs: floors.at(-1)!.at - floors[0]!.at };
    }
  }
  // The level just before the last minutes, not the whole life's: slow growth is no spike.
  const before = samples.filter(
    (s) => s.atMs < endMs - SPIKE_WINDOW_MS && s.atMs >= endMs - SPIKE_WINDOW_MS - SPIKE_BASE_MS,
  );
  const recent = samples.filter((s) => s.atMs >= endMs - SPIKE_WINDOW_MS);
  if (before.length >= 3 && recent.length >= 1) {
    const base = median(before.map((s) => s.usedKb));
    const peak = Math.max(...recent.map((s) => s.usedKb));
    if (peak - base >= Math.max(SPIKE_RISE_FRACTION * peak, SPIKE_MIN_RISE_KB)) {
      const start = recent.find((s) => s.usedKb > base + (peak - base) / 2) ?? recent[0]!;
      return { shape: 'spike', fromKb: base, toKb: peak, overMs: endMs - start.atMs };
    }
  }

  return { shape: 'flat', fromKb: first.usedKb, toKb: last.usedKb, overMs: endMs - first.atMs };
}

function plateauAtLimit(samples: readonly MemorySamplePoint[], limitKb: number | null): CurveFinding | null {
  if (limitKb === null || limitKb <= 0) return null;
  const near = (s: MemorySamplePoint) => s.usedKb >= limitKb * (1 - PLATEAU_NEAR);
  let i = samples.length;
  while (i > 0 && near(samples[i - 1]!)) i--;
  const held = samples.slice(i);
  if (held.length < 3) return null;
  const overMs = held.at(-1)!.atMs - held[0]!.atMs;
  return overMs >= PLATEAU_MIN_MS
    ? { shape: 'plateau', fromKb: held[0]!.usedKb, toKb: limitKb, overMs }
    : null;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The guard's samples as the curve the diagnosis reads: its cgroup's usage where it had one, else its RSS. */
export function memoryCurve(
  samples: readonly {
    readonly atMs: number;
    readonly rssKb: number | null;
    readonly cgroupUsageKb: number | null;
  }[],
  limitKb: number | null,
  cited: Cited,
): IncidentEvidence['curve'] {
  const points: MemorySamplePoint[] = [];
  for (const s of samples) {
    const usedKb = s.cgroupUsageKb ?? s.rssKb;
    if (usedKb !== null && Number.isFinite(s.atMs)) points.push({ atMs: s.atMs, usedKb });
  }
  return points.length === 0 ? null : { samples: points, limitKb, cited };
}
