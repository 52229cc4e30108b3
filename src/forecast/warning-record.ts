// The early warning as `oomsleuth guard` appends it to its --incidents file (one JSON object per line, beside the
// incident lines, told apart by `"type": "warning"`), and as `watch` reads it back. At most one per life of the app.
import type { IsoTime } from '../contract/analysis.js';

export const WARNING_RECORD_TYPE = 'warning';

/** What the forecast measured against: the memory cgroup's limit, or the host's memory (RSS + MemAvailable). */
export type WarningCeiling = 'memory-limit' | 'host-memory';
export const WARNING_CEILINGS: readonly WarningCeiling[] = ['memory-limit', 'host-memory'];

/** `trend`: forecast to run out within --warn-before; `near-limit`: at 90% of the ceiling already (a step). */
export type WarningReason = 'trend' | 'near-limit';
export const WARNING_REASONS: readonly WarningReason[] = ['trend', 'near-limit'];

export interface WarningRecord {
  readonly type: typeof WARNING_RECORD_TYPE;
  /** The app's name (guard's --name). */
  readonly process: string;
  readonly pid: number;
  /** When this life began: with `pid`, what makes the warning this life's (its idempotency key). */
  readonly startedAt: IsoTime;
  /** When the guard warned (the newest sample's time). */
  readonly at: IsoTime;
  readonly reason: WarningReason;
  readonly ceiling: WarningCeiling;
  /** Memory in use (the cgroup's working set, or RSS) and the ceiling, kB, at `at`. */
  readonly usedKb: number;
  readonly ceilingKb: number;
  /** The forecast, seconds from `at`; null for a near-limit warning with no growth to forecast from. */
  readonly timeToOomS: number | null;
  /** Earliest and latest, seconds from `at` (the growth's 95% band). */
  readonly timeToOomBandS: readonly [number, number] | null;
  /** `at` + timeToOomS. */
  readonly oomExpectedAt: IsoTime | null;
  /** Growth of the lower envelope, kB per second. */
  readonly growthKbPerS: number | null;
  /** The time the fitted floors span, seconds. */
  readonly fitSpanS: number | null;
  /** --warn-before, seconds. */
  readonly warnBeforeS: number;
  /** The child's memory cgroup limit and the host's MemAvailable at `at`, kB (null when unknown). */
  readonly memoryLimitKb: number | null;
  readonly availableKb: number | null;
  /** The sentence the guard wrote in check.log (after `NAME memory warning: `). */
  readonly says: string;
  readonly command: readonly string[];
}

const isIso = (v: unknown): v is string => typeof v === 'string' && Number.isFinite(Date.parse(v));
const numOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * One line of the guard's incidents file as a JSON object, when it holds `needle` (a cheap test before parsing); null
 * for a line torn by a crash or someone else's text, which holds nothing to read.
 */
export function guardRecordObject(text: string, needle: string): Record<string, unknown> | null {
  if (!text.includes(needle)) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
}

/** One line of the guard's incidents file when it is a warning record; null for anything else (never throws). */
export function parseWarningRecord(text: string): WarningRecord | null {
  const v = guardRecordObject(text, '"warning"');
  if (v === null) return null;
  if (v.type !== WARNING_RECORD_TYPE) return null;
  if (typeof v.process !== 'string' || v.process === '' || typeof v.pid !== 'number') return null;
  if (!isIso(v.startedAt) || !isIso(v.at)) return null;
  if (!WARNING_REASONS.includes(v.reason as WarningReason)) return null;
  if (!WARNING_CEILINGS.includes(v.ceiling as WarningCeiling)) return null;
  const usedKb = numOrNull(v.usedKb);
  const ceilingKb = numOrNull(v.ceilingKb);
  if (usedKb === null || ceilingKb === null) return null;
  const band = Array.isArray(v.timeToOomBandS) ? v.timeToOomBandS.map(numOrNull) : null;
  return {
    type: WARNING_RECORD_TYPE,
    process: v.process,
    pid: v.pid,
    startedAt: v.startedAt,
    at: v.at,
    reason: v.reason as WarningReason,
    ceiling: v.ceiling as WarningCeiling,
    usedKb,
    ceilingKb,
    timeToOomS: numOrNull(v.timeToOomS),
    timeToOomBandS:
      band !== null && band.length === 2 && band[0] != null && band[1] != null ? [band[0], band[1]] : null,
    oomExpectedAt: isIso(v.oomExpectedAt) ? v.oomExpectedAt : null,
    growthKbPerS: numOrNull(v.growthKbPerS),
    fitSpanS: numOrNull(v.fitSpanS),
    warnBeforeS: numOrNull(v.warnBeforeS) ?? 0,
    memoryLimitKb: numOrNull(v.memoryLimitKb),
    availableKb: numOrNull(v.availableKb),
    says: typeof v.says === 'string' ? v.says : '',
    command: Array.isArray(v.command) ? v.command.filter((c): c is string => typeof c === 'string') : [],
  };
}
