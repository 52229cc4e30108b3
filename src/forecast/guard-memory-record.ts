// A death's line in `oomsleuth guard`'s --incidents file (one JSON object per line): the contract's incident plus
// `memory: [{ at, rssKb, hwmKb, cgroupUsageKb }]`, the samples before the death. watch matches them to its incident
// by pid and time; `analyze --html` draws them as the memory curve. Next to the warning records' parse, the file's
// other kind of line.
import { guardRecordObject } from './warning-record.js';

/** One memory sample as the guard writes it (ISO time; kB, null where it could not be read). */
export interface GuardMemorySample {
  readonly at: string;
  readonly rssKb: number | null;
  readonly hwmKb: number | null;
  readonly cgroupUsageKb: number | null;
}

export interface GuardMemory {
  readonly pid: number;
  readonly diedMs: number;
  /** When the guard restarted the app (its record's `restartedAt`), or null. */
  readonly restartedAt: string | null;
  readonly samples: GuardMemorySample[];
}

/** One line of the guard's incidents file when it is a death with samples; null for anything else (never throws). */
export function parseGuardIncidentLine(text: string): GuardMemory | null {
  // A line that is no JSON object holds no samples: the incident itself comes from the logs, only its memory is missing.
  const v = guardRecordObject(text, '"memory"');
  if (v === null) return null;
  const died = typeof v.diedAt === 'string' ? Date.parse(v.diedAt) : Number.NaN;
  if (typeof v.pid !== 'number' || !Number.isFinite(died) || !Array.isArray(v.memory)) return null;
  const samples: GuardMemorySample[] = [];
  for (const s of v.memory as unknown[]) {
    if (typeof s !== 'object' || s === null) continue;
    const m = s as Record<string, unknown>;
    if (typeof m.at !== 'string') continue;
    const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
    samples.push({ at: m.at, rssKb: num(m.rssKb), hwmKb: num(m.hwmKb), cgroupUsageKb: num(m.cgroupUsageKb) });
  }
  const restartedAt =
    typeof v.restartedAt === 'string' && Number.isFinite(Date.parse(v.restartedAt)) ? v.restartedAt : null;
  return { pid: v.pid, diedMs: died, restartedAt, samples };
}
