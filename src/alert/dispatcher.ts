// Delivers the outbox: every pending alert to every configured webhook, retried with exponential backoff while the
// receiver is down or failing, marked delivered once it answered yes. Rows live in the store, so a restart resumes
// where the last run stopped; the alert id travels with every attempt, so a receiver can drop a repeat (the one
// window no local bookkeeping can close: killed after the receiver said yes, before the store recorded it).
// No timer runs while nothing is pending.

import type { Language } from '../report/language.js';
import type { NewOutboxRow, OutboxKind, OutboxRow } from '../store/records.js';
import { type Store, StoreWriteError } from '../store/store.js';
import { renderRequest } from './formats.js';
import { type AlertDocument, summaryAlert } from './payload.js';
import { postAlert } from './send.js';
import { DEFAULT_STORM_POLICY, type StormPolicy, summariesDue, summaryId } from './storm.js';
import type { Webhook } from './webhook.js';

export interface DispatcherOptions {
  readonly store: Store;
  readonly webhooks: readonly Webhook[];
  readonly host: string;
  /** The language of the chat formats' text (`--lang`, else the locale's); rendered at send time, not stored. */
  readonly language: Language;
  /** First retry delay (default 1 s), doubling up to `retryMaxMs` (default 5 min). */
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  readonly storm?: StormPolicy;
  readonly timeoutMs?: number;
  readonly log: (
    level: 'info' | 'warn' | 'error',
    message: string,
    code?: 'OOMS_E_ALERT_DELIVERY_FAILED' | 'OOMS_E_STORE_WRITE_FAILED' | null,
  ) => void;
  /** A failed attempt (for oomsleuth_alerts_failed_total). */
  readonly onFailedAttempt?: () => void;
  readonly onDelivered?: (alertId: string, webhook: Webhook) => void;
  readonly now?: () => number;
}

export class Dispatcher {
  private readonly byKey: Map<string, Webhook>;
  private readonly keys: string[];
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Number.POSITIVE_INFINITY;
  private readonly busy = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  /** Rows delivered whose `delivered` mark the store refused (disk full): never sent twice by this process. */
  private readonly deliveredUnrecorded = new Set<number>();
  /** Alerts sent while the store could not take the incident: webhook keys that got each. */
  private readonly sentWithoutStore = new Map<string, Set<string>>();
  private stopped = false;
  private ticking = false;
  private readonly now: () => number;

  constructor(private readonly options: DispatcherOptions) {
    this.byKey = new Map(options.webhooks.map((w) => [w.key, w]));
    this.keys = [...this.byKey.keys()];
    this.now = options.now ?? Date.now;
  }

  get policy(): StormPolicy {
    return this.options.storm ?? DEFAULT_STORM_POLICY;
  }

  get webhooks(): readonly Webhook[] {
    return this.options.webhooks;
  }

  /** Outbox rows for a new alert, one per webhook (already `delivered` where it was sent while the store was down). */
  rowsFor(doc: AlertDocument, kind: OutboxKind): NewOutboxRow[] {
    const sent = this.sentWithoutStore.get(doc.id);
    return this.options.webhooks.map((w) => ({
      alertId: doc.id,
      kind,
      webhook: w.key,
      payload: JSON.stringify(doc),
      state: sent?.has(w.key) ? ('delivered' as const) : ('pending' as const),
    }));
  }

  /** Looks at the outbox now (new rows were committed). */
  kick(): void {
    this.schedule(this.now());
  }

  start(): void {
    const orphans = this.options.store.orphanedOutbox(this.keys);
    if (orphans > 0) {
      this.options.log(
        'warn',
        `${orphans} alert(s) in the outbox are for a webhook no longer configured; they wait until it is given again`,
      );
    }
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await Promise.race([
      Promise.allSettled([...this.inFlight]),
      new Promise((r) => setTimeout(r, 2_000).unref()),
    ]);
  }

  /**
   * Sends an alert the store could not take (disk full): from memory, with the same retries, so the operator hears
   * of it now; `rowsFor` later records it as delivered to the webhooks that took it.
   */
  sendWithoutStore(doc: AlertDocument): void {
    const sent = this.sentWithoutStore.get(doc.id) ?? new Set<string>();
    this.sentWithoutStore.set(doc.id, sent);
    for (const webhook of this.options.webhooks) {
      let attempts = 0;
      const attempt = async (): Promise<void> => {
        if (this.stopped || sent.has(webhook.key)) return;
        attempts++;
        const verdict = await postAlert(
          webhook,
          renderRequest(doc, webhook, this.now(), this.options.language),
          this.options.timeoutMs,
        );
        if (verdict.ok) {
          sent.add(webhook.key);
          this.options.log('info', `alert ${doc.id} delivered to ${webhook.label} (not yet in the store)`);
          this.options.onDelivered?.(doc.id, webhook);
          return;
        }
        this.options.onFailedAttempt?.();
        // Said as the outbox says its own: on the first failures and then at each doubling, and always a refusal.
        if (!verdict.retryable || (attempts & (attempts - 1)) === 0) {
          this.options.log(
            verdict.retryable ? 'warn' : 'error',
            `alert ${doc.id} to ${webhook.label} (not yet in the store) ${verdict.retryable ? `failed (attempt ${attempts}): ${verdict.detail}; retrying` : `was refused: ${verdict.detail} — not retried; check the webhook's URL, format and secret`}`,
            'OOMS_E_ALERT_DELIVERY_FAILED',
          );
        }
        if (!verdict.retryable) return;
        setTimeout(() => void this.track(attempt()), this.delay(attempts));
      };
      void this.track(attempt());
    }
  }

  private schedule(atMs: number): void {
    if (this.stopped || atMs >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = atMs;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.timerAt = Number.POSITIVE_INFINITY;
        this.tick();
      },
      Math.max(0, atMs - this.now()),
    );
  }

  private tick(): void {
    if (this.stopped || this.ticking) return;
    this.ticking = true;
    try {
      const now = this.now();
      const nextSummary = this.summarize(now);
      for (const row of this.options.store.dueOutbox(now, this.keys)) {
        if (this.deliveredUnrecorded.has(row.id)) {
          // Sent, but the store refused the mark: record it now rather than send it again.
          this.options.store.markDelivered(row.id, now);
          this.deliveredUnrecorded.delete(row.id);
          continue;
        }
        if (this.busy.has(row.webhook)) continue;
        this.busy.add(row.webhook);
        void this.track(this.deliver(row).finally(() => this.busy.delete(row.webhook)));
      }
      const nextRow = this.options.store.nextOutboxDue(this.keys);
      const next = Math.min(nextRow ?? Number.POSITIVE_INFINITY, nextSummary ?? Number.POSITIVE_INFINITY);
      if (Number.isFinite(next)) this.schedule(Math.max(next, now + 10));
    } catch (error) {
      this.options.log(
        'error',
        `the outbox cannot be read or updated: ${(error as Error).message}; retrying in 5s`,
        error instanceof StoreWriteError ? 'OOMS_E_STORE_WRITE_FAILED' : null,
      );
      this.schedule(this.now() + 5_000);
    } finally {
      this.ticking = false;
    }
  }

  /** Turns held crash-loop deaths into summaries when due; returns when the next one falls due. */
  private summarize(nowMs: number): number | null {
    const held = this.options.store.heldIncidents();
    if (held.length === 0) return null;
    const { due, nextDueMs } = summariesDue(held, nowMs, this.policy);
    for (const group of due) {
      const id = summaryId(group);
      const doc = summaryAlert(id, this.options.host, group.app, group.process, group.incidents);
      this.options.store.commitSummary(
        id,
        group.incidents.map((i) => i.id),
        this.rowsFor(doc, 'summary'),
        nowMs,
      );
      this.options.log(
        'info',
        `crash loop of ${group.process}: ${group.incidents.length} held death(s) summarised as ${id}`,
      );
    }
    return nextDueMs;
  }

  private async deliver(row: OutboxRow): Promise<void> {
    const webhook = this.byKey.get(row.webhook);
    if (!webhook) return;
    const doc = JSON.parse(row.payload) as AlertDocument;
    const verdict = await postAlert(
      webhook,
      renderRequest(doc, webhook, this.now(), this.options.language),
      this.options.timeoutMs,
    );
    const now = this.now();
    try {
      if (verdict.ok) {
        this.deliveredUnrecorded.add(row.id);
        this.options.store.markDelivered(row.id, now);
        this.deliveredUnrecorded.delete(row.id);
        this.options.log(
          'info',
          `alert ${row.alertId} delivered to ${webhook.label}${row.attempts > 0 ? ` after ${row.attempts + 1} attempts` : ''}`,
        );
        this.options.onDelivered?.(row.alertId, webhook);
      } else {
        this.options.onFailedAttempt?.();
        const attempts = row.attempts + 1;
        if (verdict.retryable) {
          const delay = this.delay(attempts);
          this.options.store.markRetry(row.id, now + delay, verdict.detail);
          // Said on the first failures and then at each doubling, so a long outage does not flood the log.
          if ((attempts & (attempts - 1)) === 0) {
            this.options.log(
              'warn',
              `alert ${row.alertId} to ${webhook.label} failed (attempt ${attempts}): ${verdict.detail}; retrying in ${Math.round(delay / 1000)}s`,
              'OOMS_E_ALERT_DELIVERY_FAILED',
            );
          }
        } else {
          this.options.store.markFailed(row.id, verdict.detail);
          this.options.log(
            'error',
            `alert ${row.alertId} to ${webhook.label} was refused: ${verdict.detail} — not retried; check the webhook's URL, format and secret`,
            'OOMS_E_ALERT_DELIVERY_FAILED',
          );
        }
      }
    } catch (error) {
      if (!(error instanceof StoreWriteError)) throw error;
      this.options.log('error', `${error.message}; retrying`, 'OOMS_E_STORE_WRITE_FAILED');
    }
    this.schedule(this.now() + 10);
  }

  private delay(attempts: number): number {
    const base = this.options.retryBaseMs ?? 1_000;
    const max = this.options.retryMaxMs ?? 5 * 60_000;
    const raw = Math.min(max, base * 2 ** Math.min(30, attempts - 1));
    // Jitter: many watchers behind one receiver must not retry in step.
    return Math.round(raw * (0.85 + Math.random() * 0.3));
  }

  private track(work: Promise<void>): Promise<void> {
    const tracked = work.catch((error: unknown) =>
      this.options.log('error', `alert delivery failed unexpectedly: ${(error as Error).message}`),
    );
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
    return tracked;
  }
}
