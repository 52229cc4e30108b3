// The guard's early warning: after each memory sample, the forecast (src/forecast/) is asked whether the child will run
// out of memory within --warn-before — against its memory cgroup's limit when it has one, and against the host's memory
// (RSS + MemAvailable) — and the first time it says yes in a life, the guard writes one check.log line, one
// `{"type":"warning",…}` record in --incidents and (echoed from check.log) one stderr line. Never twice in a life.
import {
  assessOomRisk,
  type ForecastOptions,
  type OomRisk,
  soonerRisk,
  type UsageSample,
} from '../forecast/forecast.js';
import { WARNING_RECORD_TYPE, type WarningCeiling, type WarningRecord } from '../forecast/warning-record.js';
import type { Language } from '../report/language.js';
import { warningSays } from '../report/warning-words.js';
import { localIso } from './local-time.js';
import type { MemorySample } from './memory-ring.js';

/** Buckets of the lower envelope hold at least this many samples, so that each has a floor. */
const SAMPLES_PER_BUCKET = 3;
const BUCKETS = 12;

/**
 * The forecast's window for a warning horizon: as long as the horizon (a line extrapolated as far ahead as it was
 * fitted back), and never fewer than 12 buckets of 3 samples.
 */
export function forecastOptionsFor(warnBeforeMs: number, sampleIntervalMs: number): ForecastOptions {
  const minBucketMs = SAMPLES_PER_BUCKET * sampleIntervalMs;
  return {
    windowMs: Math.max(warnBeforeMs, BUCKETS * minBucketMs),
    buckets: BUCKETS,
    minBucketMs,
  };
}

/** The child's samples as the forecast reads them, per ceiling. */
export function usageSeries(
  samples: readonly MemorySample[],
  limitKb: number | null,
): Record<WarningCeiling, UsageSample[]> {
  const memcg: UsageSample[] = [];
  const host: UsageSample[] = [];
  for (const s of samples) {
    const cgroupKb = s.cgroupWorkingSetKb ?? s.cgroupUsageKb;
    if (limitKb !== null && cgroupKb !== null) memcg.push({ at: s.at, usedKb: cgroupKb, ceilingKb: limitKb });
    if (s.rssKb !== null && s.availableKb != null) {
      host.push({ at: s.at, usedKb: s.rssKb, ceilingKb: s.rssKb + s.availableKb });
    }
  }
  return { 'memory-limit': memcg, 'host-memory': host };
}

export interface LifeRisk {
  readonly risk: OomRisk;
  readonly ceiling: WarningCeiling;
}

/** The sooner risk of the two ceilings; null when neither calls for a warning. */
export function assessLifeRisk(
  samples: readonly MemorySample[],
  options: {
    readonly warnBeforeMs: number;
    readonly sampleIntervalMs: number;
    readonly limitKb: number | null;
  },
): LifeRisk | null {
  if (options.warnBeforeMs <= 0) return null;
  const forecast = forecastOptionsFor(options.warnBeforeMs, options.sampleIntervalMs);
  const series = usageSeries(samples, options.limitKb);
  const memcg = assessOomRisk(series['memory-limit'], { ...forecast, warnBeforeMs: options.warnBeforeMs });
  const host = assessOomRisk(series['host-memory'], { ...forecast, warnBeforeMs: options.warnBeforeMs });
  const sooner = soonerRisk(memcg, host);
  if (sooner === null) return null;
  return { risk: sooner, ceiling: sooner === memcg ? 'memory-limit' : 'host-memory' };
}

export interface WarningInput {
  readonly name: string;
  readonly pid: number;
  readonly startedAtMs: number;
  readonly command: readonly string[];
  readonly warnBeforeMs: number;
  readonly limitKb: number | null;
  /** The newest sample (for MemAvailable). */
  readonly sample: MemorySample | null;
  readonly found: LifeRisk;
  /** The language of the record's `says` (--lang, else English). */
  readonly language: Language;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function buildWarningRecord(
  input: WarningInput,
  iso: (ms: number) => string = localIso,
): WarningRecord {
  const { risk, ceiling } = input.found;
  const f = risk.forecast;
  const figures = {
    pid: input.pid,
    reason: risk.reason,
    ceiling,
    usedKb: risk.usedKb,
    ceilingKb: risk.ceilingKb,
    timeToOomS: f === null ? null : round1(f.ttoMs / 1000),
    timeToOomBandS: f === null ? null : ([round1(f.earliestMs / 1000), round1(f.latestMs / 1000)] as const),
    growthKbPerS: f === null ? null : round1(f.slopeKbPerS),
    fitSpanS: f === null ? null : Math.round(f.spanMs / 1000),
    availableKb: input.sample?.availableKb ?? null,
  };
  return {
    type: WARNING_RECORD_TYPE,
    process: input.name,
    pid: input.pid,
    startedAt: iso(input.startedAtMs),
    at: iso(risk.atMs),
    reason: risk.reason,
    ceiling,
    usedKb: risk.usedKb,
    ceilingKb: risk.ceilingKb,
    timeToOomS: figures.timeToOomS,
    timeToOomBandS: figures.timeToOomBandS,
    oomExpectedAt: f === null ? null : iso(risk.atMs + f.ttoMs),
    growthKbPerS: figures.growthKbPerS,
    fitSpanS: figures.fitSpanS,
    warnBeforeS: Math.round(input.warnBeforeMs / 1000),
    memoryLimitKb: input.limitKb,
    availableKb: figures.availableKb,
    says: warningSays(figures, input.language),
    command: [...input.command],
  };
}

/**
 * The check.log line: `NAME memory warning: …` — read by nothing as a death, a start or a stop. Always English, like
 * every check.log line: give it the English `says` (warningSays(record, 'en')) when the record speaks another language.
 */
export function warningText(name: string, record: Pick<WarningRecord, 'says'>): string {
  return `${name} memory warning: ${record.says}`;
}
