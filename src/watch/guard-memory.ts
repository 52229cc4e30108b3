// Memory samples `oomsleuth guard` took before a death (its --incidents file, one JSON object per line: the contract's
// incident plus `memory: [{ at, rssKb, hwmKb, cgroupUsageKb }]`). Only the samples are taken from it: the verdict is
// watch's own, from the logs. Matched to an incident by pid and time.
import type { MemorySample } from '../store/records.js';

export interface GuardMemory {
  readonly pid: number;
  readonly diedMs: number;
  readonly samples: MemorySample[];
}

/** One line of the guard's incidents file; null for anything else (never throws). */
export function parseGuardIncidentLine(text: string): GuardMemory | null {
  if (!text.includes('"memory"')) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Not one JSON object (a line torn by a crash, someone else's text): it holds no samples to read. The incident
    // itself comes from the logs, so only its memory figures are missing.
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
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
  return { pid: v.pid, diedMs: died, samples };
}
