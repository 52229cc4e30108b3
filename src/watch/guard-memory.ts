// What watch takes from `oomsleuth guard`'s --incidents file (one JSON object per line): the memory samples before a
// death (an incident line: the contract's incident plus `memory: [{ at, rssKb, hwmKb, cgroupUsageKb }]`; only the
// samples are taken, the verdict is watch's own, from the logs, and they are matched to an incident by pid and time),
// and the early warnings (`{"type":"warning",…}` lines, at most one per life).
import { guardRecordObject, parseWarningRecord, type WarningRecord } from '../forecast/warning-record.js';
import type { MemorySample } from '../store/records.js';

export interface GuardMemory {
  readonly pid: number;
  readonly diedMs: number;
  /** When the guard restarted the app (its record's `restartedAt`), or null. */
  readonly restartedAt: string | null;
  readonly samples: MemorySample[];
}

/** One line of the guard's incidents file; null for anything else (never throws). */
export function parseGuardIncidentLine(text: string): GuardMemory | null {
  // A line that is no JSON object holds no samples: the incident itself comes from the logs, only its memory is missing.
  const v = guardRecordObject(text, '"memory"');
  if (v === null) return null;
  const died = typeof v.diedAt === 'string' ? Date.parse(v.diedAt) : Number.NaN;
  if (typeof v.pid !== 'number' || !Number.isFinite(died) || !Array.isArray(v.memory)) return null;
  const samples: MemorySample[] = [];
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

/** One line of the guard's incidents file: a death's samples, a warning, or null for anything else (never throws). */
export function parseGuardLine(
  text: string,
): { kind: 'memory'; memory: GuardMemory } | { kind: 'warning'; warning: WarningRecord } | null {
  const warning = parseWarningRecord(text);
  if (warning !== null) return { kind: 'warning', warning };
  const memory = parseGuardIncidentLine(text);
  return memory === null ? null : { kind: 'memory', memory };
}
