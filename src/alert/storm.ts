// The crash-loop rule: many deaths of one process in a few minutes are one alert plus a summary, not a flood. The
// first death is alerted; a death within `windowMs` of the previous alerted or held one of the same process is held;
// the held deaths go out as one summary once none has come for `quietMs` (or, in a loop that never stops, every
// `maxHoldMs`). Decided when an incident is stored and kept in the store, so a restart changes nothing.
// A deliberate stop (`stopped`: a deploy, `oomsleuth guard restart`) is no part of a loop: the app's first death after
// one is a first death, and is alerted at once.
import type { Cause } from '../contract/analysis.js';
import type { StoredIncident } from '../store/records.js';

/** Whether an earlier death of the process makes the next one within the window a repeat (held for the summary). */
export function countsForCrashLoop(cause: Cause): boolean {
  return cause !== 'stopped';
}

export interface StormPolicy {
  readonly windowMs: number;
  readonly quietMs: number;
  readonly maxHoldMs: number;
}

export const DEFAULT_STORM_POLICY: StormPolicy = Object.freeze({
  windowMs: 5 * 60_000,
  quietMs: 5 * 60_000,
  maxHoldMs: 30 * 60_000,
});

export interface HeldGroup {
  readonly process: string;
  readonly app: string | null;
  readonly incidents: readonly StoredIncident[];
}

/** Held incidents grouped by process: those whose summary is due now, and when the next one falls due. */
export function summariesDue(
  held: readonly StoredIncident[],
  nowMs: number,
  policy: StormPolicy,
): { due: HeldGroup[]; nextDueMs: number | null } {
  const groups = new Map<string, StoredIncident[]>();
  for (const incident of held) {
    const list = groups.get(incident.incident.process) ?? [];
    list.push(incident);
    groups.set(incident.incident.process, list);
  }
  const due: HeldGroup[] = [];
  let nextDueMs: number | null = null;
  for (const [process, incidents] of groups) {
    const first = incidents[0]!.finalizedMs;
    const last = incidents[incidents.length - 1]!.finalizedMs;
    const dueAt = Math.min(last + policy.quietMs, first + policy.maxHoldMs);
    if (dueAt <= nowMs) due.push({ process, app: incidents[0]!.app, incidents });
    else nextDueMs = Math.min(nextDueMs ?? Number.POSITIVE_INFINITY, dueAt);
  }
  return { due, nextDueMs };
}

/** The summary's id (its idempotency key): derived from the first death it tells. */
export function summaryId(group: HeldGroup): string {
  return `${group.incidents[0]!.id}-summary`;
}
