// Time to OOM, forecast from memory samples: pure arithmetic, no I/O, shared by `guard` (which samples its child) and
// anything that replays samples (tests, the bench).
//
// A garbage-collected app's memory is a sawtooth: it climbs between two collections and falls at each. A straight line
// through every sample follows the teeth (a steep slope on each rise, a false alarm per cycle); Prometheus'
// predict_linear() on node RAM has the same weakness and cannot see the app's own limit at all. So:
//
//   1. the window (the last `windowMs`) is cut into buckets of equal width, aligned on the newest sample, each at least
//      a few samples wide; the lowest sample of each bucket is the floor the app returns to after a collection — the
//      lower envelope, which only a leak raises;
//   2. a least-squares line through those floors gives the growth, with a 99% band (Student's t on the slope's
//      standard error); memory counts as growing only when the band's lower bound is above zero, and the newer half
//      of the floors must still rise at half that pace or more (a start-up's warm-up that levels off, or a climb that
//      a collection undid, is not a leak);
//   3. the level that will hit the ceiling is the envelope now plus the height of the teeth (the 95th percentile of the
//      samples above the line), or the newest sample when it is higher; time to OOM is the headroom left above that
//      level divided by the growth, and the band's two slopes give the earliest and the latest time.
//
// A sudden step (one big allocation) makes no trend: `assessOomRisk` adds the near-limit rule (the newest sample at
// 90% of the ceiling or more) for it.

export interface UsageSample {
  /** Milliseconds since the epoch. */
  readonly at: number;
  /** Memory in use, kB: the memory cgroup's working set, or the process's RSS. */
  readonly usedKb: number;
  /** Where the OOM killer strikes, kB: the cgroup's limit, or RSS + the host's MemAvailable. */
  readonly ceilingKb: number;
}

export interface ForecastOptions {
  /** Samples older than the newest minus this are not fitted. */
  readonly windowMs: number;
  /** Buckets the window is cut into (default 12): one lower-envelope point each. */
  readonly buckets?: number;
  /** The narrowest bucket (default 0): the guard passes 3 sample intervals, so that every bucket holds a floor. */
  readonly minBucketMs?: number;
  /** Fewest envelope points to fit a line through (default 6). */
  readonly minPoints?: number;
  /** Shortest time between the first and the last envelope point (default 4 bucket widths). */
  readonly minSpanMs?: number;
}

export interface TimeToOom {
  /** When the forecast was made: the newest sample's time. */
  readonly atMs: number;
  /** The central estimate, ms from `atMs` (0 when the level is at the ceiling already). */
  readonly ttoMs: number;
  /** The band: at the steepest and at the shallowest slope of the 99% band. */
  readonly earliestMs: number;
  readonly latestMs: number;
  /** Growth of the lower envelope, kB per second, and its 99% band. */
  readonly slopeKbPerS: number;
  readonly slopeBandKbPerS: readonly [number, number];
  /** The level projected to the ceiling: envelope now plus the height of the teeth, or the newest sample. */
  readonly levelKb: number;
  readonly usedKb: number;
  readonly ceilingKb: number;
  /** Envelope points fitted and the time they span. */
  readonly points: number;
  readonly spanMs: number;
}

/** One point of the lower envelope: the lowest sample of a bucket. */
export interface EnvelopePoint {
  readonly at: number;
  readonly usedKb: number;
}

export const DEFAULT_BUCKETS = 12;
export const DEFAULT_MIN_POINTS = 6;
/** The newer half of the floors must rise at least at this fraction of the whole window's pace. */
export const RECENT_SLOPE_FRACTION = 0.5;
/** The teeth's height: this quantile of the samples' heights above the envelope line. */
export const PEAK_QUANTILE = 0.95;

/** Bucket width for these options: the window over the bucket count, never under `minBucketMs`. */
export function bucketWidthMs(options: ForecastOptions): number {
  return Math.max(options.windowMs / (options.buckets ?? DEFAULT_BUCKETS), options.minBucketMs ?? 0);
}

/**
 * The lowest sample of each bucket of the window, oldest first. Buckets end at the newest sample; one whose samples
 * cover less than half its width (the oldest, cut by the window or by the life's start) gives no point: its lowest
 * sample may be a rise's middle, not a floor.
 */
export function lowerEnvelope(samples: readonly UsageSample[], options: ForecastOptions): EnvelopePoint[] {
  const last = samples.at(-1);
  if (last === undefined) return [];
  const width = bucketWidthMs(options);
  const from = last.at - options.windowMs;
  const buckets = new Map<number, { min: UsageSample; first: number; last: number }>();
  for (const s of samples) {
    if (s.at <= from || s.at > last.at || !Number.isFinite(s.usedKb)) continue;
    const k = Math.floor((last.at - s.at) / width);
    const b = buckets.get(k);
    if (b === undefined) buckets.set(k, { min: s, first: s.at, last: s.at });
    else {
      if (s.usedKb < b.min.usedKb) b.min = s;
      b.first = Math.min(b.first, s.at);
      b.last = Math.max(b.last, s.at);
    }
  }
  return [...buckets.values()]
    .filter((b) => b.last - b.first >= width / 2)
    .map((b) => ({ at: b.min.at, usedKb: b.min.usedKb }))
    .sort((a, b) => a.at - b.at);
}

interface Line {
  /** kB per second. */
  readonly slope: number;
  /** kB at x = 0 (the newest sample's time). */
  readonly intercept: number;
  /** Standard error of the slope. */
  readonly slopeError: number;
  readonly n: number;
}

/** Ordinary least squares through (seconds before `originMs`, kB). */
function fitLine(points: readonly EnvelopePoint[], originMs: number): Line | null {
  const n = points.length;
  if (n < 3) return null;
  let sx = 0;
  let sy = 0;
  for (const p of points) {
    sx += (p.at - originMs) / 1000;
    sy += p.usedKb;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    const dx = (p.at - originMs) / 1000 - mx;
    sxx += dx * dx;
    sxy += dx * (p.usedKb - my);
  }
  if (sxx <= 0) return null;
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let ssr = 0;
  for (const p of points) {
    const r = p.usedKb - (intercept + slope * ((p.at - originMs) / 1000));
    ssr += r * r;
  }
  const slopeError = Math.sqrt(ssr / (n - 2) / sxx);
  return { slope, intercept, slopeError, n };
}

/** How far above the line (in robust standard deviations) a floor is taken for a bucket that missed the trough. */
export const MISSED_TROUGH_SIGMAS = 3;

/**
 * The line through the floors, refitted without the floors that stand far above it: a bucket whose samples all fell
 * on the rise of a tooth has no true floor, and its lowest sample is too high — never too low — so only points above
 * the line are dropped (at most a quarter of them, never below `minPoints`).
 */
function fitFloors(points: readonly EnvelopePoint[], originMs: number, minPoints: number): Line | null {
  let kept = [...points];
  let budget = Math.min(Math.floor(points.length / 4), points.length - minPoints);
  for (;;) {
    const line = fitLine(kept, originMs);
    if (line === null || budget <= 0) return line;
    const residual = (p: EnvelopePoint) =>
      p.usedKb - (line.intercept + line.slope * ((p.at - originMs) / 1000));
    const deviations = kept.map((p) => Math.abs(residual(p))).sort((a, b) => a - b);
    // The median absolute deviation, as a standard deviation of normal noise.
    const sigma = 1.4826 * deviations[Math.floor(deviations.length / 2)]!;
    // The highest floor, if it stands out: one at a time, since it pulls the line (and the others' residuals) up.
    let worst: EnvelopePoint | null = null;
    for (const p of kept) if (worst === null || residual(p) > residual(worst)) worst = p;
    if (worst === null || !(sigma > 0) || residual(worst) <= MISSED_TROUGH_SIGMAS * sigma) return line;
    kept = kept.filter((p) => p !== worst);
    budget--;
  }
}

// Student's t, 99.5th percentile (a two-sided 99% band), by degrees of freedom 1…30. 99% rather than 95%: the guard
// asks after every sample, so a steady app is tested hundreds of times a day, and a false warning costs trust.
const T_995 = [
  63.657, 9.925, 5.841, 4.604, 4.032, 3.707, 3.499, 3.355, 3.25, 3.169, 3.106, 3.055, 3.012, 2.977, 2.947,
  2.921, 2.898, 2.878, 2.861, 2.845, 2.831, 2.819, 2.807, 2.797, 2.787, 2.779, 2.771, 2.763, 2.756, 2.75,
];

export function tQuantile995(degreesOfFreedom: number): number {
  if (degreesOfFreedom < 1) return Number.POSITIVE_INFINITY;
  return T_995[degreesOfFreedom - 1] ?? (degreesOfFreedom <= 60 ? 2.7 : 2.576);
}

function quantile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = values.sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/**
 * Time to OOM at the growth of the lower envelope, with its band; null when memory is not growing (the band's lower
 * slope is not above zero, or the growth is fading), or there are too few samples to tell.
 */
export function forecastTimeToOom(
  samples: readonly UsageSample[],
  options: ForecastOptions,
): TimeToOom | null {
  const last = samples.at(-1);
  if (last === undefined || !(last.ceilingKb > 0)) return null;
  const points = lowerEnvelope(samples, options);
  const width = bucketWidthMs(options);
  if (points.length < Math.max(3, options.minPoints ?? DEFAULT_MIN_POINTS)) return null;
  const spanMs = points.at(-1)!.at - points[0]!.at;
  if (spanMs < (options.minSpanMs ?? 4 * width)) return null;

  const line = fitFloors(points, last.at, Math.max(3, options.minPoints ?? DEFAULT_MIN_POINTS));
  if (line === null || !(line.slope > 0)) return null;
  const margin = tQuantile995(line.n - 2) * line.slopeError;
  const low = line.slope - margin;
  const high = line.slope + margin;
  if (!(low > 0)) return null;
  // A warm-up that levels off, or a climb a collection undid: the newer half no longer rises at the same pace.
  const recent = fitLine(points.slice(Math.floor(points.length / 2)), last.at);
  if (recent === null || recent.slope < line.slope * RECENT_SLOPE_FRACTION) return null;

  // The teeth: how far the samples of the window stand above the envelope line.
  const from = last.at - options.windowMs;
  const heights: number[] = [];
  for (const s of samples) {
    if (s.at <= from || s.at > last.at) continue;
    heights.push(s.usedKb - (line.intercept + line.slope * ((s.at - last.at) / 1000)));
  }
  const teeth = Math.max(0, quantile(heights, PEAK_QUANTILE));
  const levelKb = Math.max(last.usedKb, line.intercept + teeth);
  const headroomKb = Math.max(0, last.ceilingKb - levelKb);
  return {
    atMs: last.at,
    ttoMs: (headroomKb / line.slope) * 1000,
    earliestMs: (headroomKb / high) * 1000,
    latestMs: (headroomKb / low) * 1000,
    slopeKbPerS: line.slope,
    slopeBandKbPerS: [low, high],
    levelKb,
    usedKb: last.usedKb,
    ceilingKb: last.ceilingKb,
    points: points.length,
    spanMs,
  };
}

/** The newest sample at this share of its ceiling or above warns whatever the trend (a step, not a slope). */
export const NEAR_LIMIT_RATIO = 0.9;

/** A trend warns when the central forecast is within the horizon and the band's latest within this many horizons. */
export const LATEST_FACTOR = 2;

export interface RiskOptions extends ForecastOptions {
  /** Warn when the forecast time to OOM is this short or shorter. */
  readonly warnBeforeMs: number;
  /** Default NEAR_LIMIT_RATIO. */
  readonly nearLimitRatio?: number;
}

export interface OomRisk {
  /**
   * `trend`: the forecast is under `warnBeforeMs` (and the band's latest under twice that); `near-limit`: the newest
   * sample is at 90% of the ceiling.
   */
  readonly reason: 'trend' | 'near-limit';
  /** The trend's forecast, when memory is growing (also for a near-limit risk); null for a step without a trend. */
  readonly forecast: TimeToOom | null;
  readonly atMs: number;
  readonly usedKb: number;
  readonly ceilingKb: number;
}

/** Whether these samples call for a warning now, and why; null when they do not. */
export function assessOomRisk(samples: readonly UsageSample[], options: RiskOptions): OomRisk | null {
  const last = samples.at(-1);
  if (last === undefined || !(last.ceilingKb > 0) || options.warnBeforeMs <= 0) return null;
  const forecast = forecastTimeToOom(samples, options);
  const base = { forecast, atMs: last.at, usedKb: last.usedKb, ceilingKb: last.ceilingKb };
  if (last.usedKb >= last.ceilingKb * (options.nearLimitRatio ?? NEAR_LIMIT_RATIO)) {
    return { reason: 'near-limit', ...base };
  }
  // The band's slowest growth must matter too (reach the ceiling within twice the horizon): a slope the noise made up
  // is barely above zero at its low end, a leak that will kill soon is not.
  if (
    forecast !== null &&
    forecast.ttoMs <= options.warnBeforeMs &&
    forecast.latestMs <= LATEST_FACTOR * options.warnBeforeMs
  ) {
    return { reason: 'trend', ...base };
  }
  return null;
}

/**
 * A risk is acted on once seen after this many samples in a row: a slope that the noise faked passes the band test
 * now and then, seldom at three successive samples (whose buckets, aligned on the newest sample, differ); a leak, once
 * seen, stays seen. Costs two sample intervals of lead time.
 */
export const RISK_STREAK = 3;

/** The sooner of two risks (a near-limit one without a forecast counts as now). */
export function soonerRisk(a: OomRisk | null, b: OomRisk | null): OomRisk | null {
  if (a === null) return b;
  if (b === null) return a;
  const when = (r: OomRisk) => (r.forecast === null ? 0 : r.forecast.ttoMs);
  return when(b) < when(a) ? b : a;
}
