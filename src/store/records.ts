// What the store holds, as plain data: an incident with its evidence bundle, source positions and outbox rows.
import type { Incident } from '../contract/analysis.js';
import type { GuardMemorySample } from '../forecast/guard-memory-record.js';
import type { WarningRecord } from '../forecast/warning-record.js';
import type { FollowPosition } from '../sources/follow/position.js';

export type IncidentKind = 'app' | 'other';

/**
 * How an incident was (or was not) alerted: `alerted` (its own alert), `held` (part of a crash loop, waits for the
 * summary), `summarized` (told in a summary), `backlog` (it happened before this store first ran), `not-alerted`
 * (`--alert-on app` and it is another process), `no-webhook`.
 */
export type AlertState = 'alerted' | 'held' | 'summarized' | 'backlog' | 'not-alerted' | 'no-webhook';

export interface StoredIncident {
  readonly id: string;
  readonly kind: IncidentKind;
  readonly app: string | null;
  readonly host: string;
  readonly incident: Incident;
  readonly finalizedMs: number;
  readonly alertState: AlertState;
  readonly summaryId: string | null;
}

/** One line of an evidence bundle, as it was read. */
export interface BundleLine {
  readonly source: string;
  /** Line number in the file (for /dev/kmsg: the record's sequence number); null when unknown (journal). */
  readonly line: number | null;
  readonly text: string;
}

/** A memory sample of the guard's, stored with its incident's bundle. */
export type MemorySample = GuardMemorySample;

/** The evidence kept whole, beyond the incident's cited lines. */
export interface Bundle {
  /** Every line of the kernel's OOM report, from `invoked oom-killer` to `Killed process` (and the reaper). */
  readonly oomBlock: BundleLine[];
  /** The last lines of the app log before the cliff (at most 200). */
  readonly appTail: BundleLine[];
  /** The guardian lines around the death. */
  readonly guardian: BundleLine[];
  /** Memory samples `oomsleuth guard` took before the death, when it supplied them. */
  readonly memory: MemorySample[];
}

export const EMPTY_BUNDLE: Bundle = Object.freeze({ oomBlock: [], appTail: [], guardian: [], memory: [] });

export interface SourcePositions {
  readonly source: string;
  /** Where a restart reads again from: the oldest line the live window still needs. */
  readonly replay: FollowPosition | null;
  /** How far reading had got. */
  readonly read: FollowPosition | null;
}

/**
 * How an early warning was (or was not) alerted: `alerted`, `repeated` (another warning of the app was alerted within
 * the crash-loop window: a leak that kills every few minutes warns once, not at every life), `backlog` (it came before
 * this store first ran), `no-webhook`.
 */
export type WarningAlertState = 'alerted' | 'repeated' | 'backlog' | 'no-webhook';

export interface StoredWarning {
  /** One per life of the app: its idempotency key. */
  readonly id: string;
  readonly app: string;
  readonly host: string;
  /** The record `oomsleuth guard` wrote. */
  readonly warning: WarningRecord;
  readonly receivedMs: number;
  readonly alertState: WarningAlertState;
}

export type OutboxKind = 'incident' | 'summary' | 'warning';
export type OutboxState = 'pending' | 'delivered' | 'failed';

/** One alert to one webhook. */
export interface OutboxRow {
  readonly id: number;
  readonly alertId: string;
  readonly kind: OutboxKind;
  /** Digest of the webhook's URL and format. */
  readonly webhook: string;
  /** The generic JSON document; chat formats are rendered from it at send time. */
  readonly payload: string;
  readonly state: OutboxState;
  readonly attempts: number;
  readonly nextAttemptMs: number;
  readonly lastError: string | null;
  readonly createdMs: number;
  readonly deliveredMs: number | null;
}

export interface NewOutboxRow {
  readonly alertId: string;
  readonly kind: OutboxKind;
  readonly webhook: string;
  readonly payload: string;
  /** `delivered` when the alert was already sent while the store could not be written. */
  readonly state?: OutboxState;
  /** When it is first due (default: at once); later while watch waits for the guard's record of the death. */
  readonly dueMs?: number;
}
