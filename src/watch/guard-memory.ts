// What watch takes from `oomsleuth guard`'s --incidents file (one JSON object per line): the memory samples before a
// death (an incident line: the contract's incident plus `memory: [{ at, rssKb, hwmKb, cgroupUsageKb }]`; only the
// samples are taken, the verdict is watch's own, from the logs, and they are matched to an incident by pid and time),
// and the early warnings (`{"type":"warning",…}` lines, at most one per life).
import { type GuardMemory, parseGuardIncidentLine } from '../forecast/guard-memory-record.js';
import { parseWarningRecord, type WarningRecord } from '../forecast/warning-record.js';

export type { GuardMemory };

/** One line of the guard's incidents file: a death's samples, a warning, or null for anything else (never throws). */
export function parseGuardLine(
  text: string,
): { kind: 'memory'; memory: GuardMemory } | { kind: 'warning'; warning: WarningRecord } | null {
  const warning = parseWarningRecord(text);
  if (warning !== null) return { kind: 'warning', warning };
  const memory = parseGuardIncidentLine(text);
  return memory === null ? null : { kind: 'memory', memory };
}
