// The live pipeline: followers → live sources (framing, recognisers, window) → incremental correlation → a final
// incident is stored with its bundle, the lines it claimed, its outbox rows and every source's position, in one
// transaction; then alerted, counted and printed. A watch killed at any instant resumes from the stored positions:
// lines read again make no second incident (their keys are claimed), and a death not final when it stopped is
// found again and finalised. A store that cannot be written (disk full) is reported and retried; alerts go out anyway.
import type { Dispatcher } from '../alert/dispatcher.js';
import {
  type GuardFacts,
  type IncidentAlert,
  incidentAlert,
  type WarningAlert,
  warningAlert,
} from '../alert/payload.js';
import { countsForCrashLoop } from '../alert/storm.js';
import type { Incident } from '../contract/analysis.js';
import { decisiveIndex } from '../correlate/finding.js';
import { memoryCurve } from '../diagnose/curve.js';
import { diagnose } from '../diagnose/diagnose.js';
import type { WarningRecord } from '../forecast/warning-record.js';
import { diagnosisOf } from '../report/diagnosis-words.js';
import { describeTrend } from '../report/memory-trend.js';
import type { FollowBatch, Follower } from '../sources/follow/follower.js';
import type {
  AlertState,
  Bundle,
  MemorySample,
  NewOutboxRow,
  SourcePositions,
  StoredIncident,
  StoredWarning,
  WarningAlertState,
} from '../store/records.js';
import { type Store, StoreWriteError } from '../store/store.js';
import { buildBundle, fullerBundle } from './bundle.js';
import { type GuardMemory, parseGuardLine } from './guard-memory.js';
import { incidentId, warningId } from './identity.js';
import type { Candidate, Finalized, LiveCorrelator } from './live-correlator.js';
import type { LiveSource } from './live-source.js';
import type { Logger } from './log.js';
import type { WatchMetrics } from './metrics.js';

export type AlertOn = 'app' | 'any';

export interface WatcherOptions {
  readonly store: Store;
  readonly sources: readonly LiveSource[];
  readonly guardIncidents: Follower | null;
  readonly correlator: LiveCorrelator;
  readonly dispatcher: Dispatcher | null;
  readonly metrics: WatchMetrics | null;
  readonly host: string;
  readonly alertOn: AlertOn;
  readonly log: Logger;
  /** Each final incident (for --json). */
  readonly onIncident?: (doc: IncidentAlert, stored: StoredIncident) => void;
  readonly now?: () => number;
  /** Quiet time before a correlation run after new lines (default 20 ms: a kernel report arrives as a burst). */
  readonly correlateDelayMs?: number;
  /** Positions are saved this long after lines were read (default 5 s), and with every incident. */
  readonly savePositionsAfterMs?: number;
}

interface UnsavedWarning {
  readonly stored: StoredWarning;
  readonly doc: WarningAlert;
  /** Where its line starts in the guard's file: a restart must read it again until it is stored. */
  readonly lineStart: FollowBatch['next'];
  sentWithoutStore: boolean;
}

interface Unsaved {
  readonly stored: StoredIncident;
  readonly bundle: Bundle;
  readonly candidate: Candidate;
  readonly doc: IncidentAlert;
  sentWithoutStore: boolean;
  /** The alert waits until then for the guard's record of the death (null: due at once). */
  readonly alertDueMs: number | null;
}

/** Claims are kept (in memory and in the store) this long: far longer than any replay window. */
const CLAIM_RETENTION_MS = 30 * 24 * 3600_000;
/** Guard records wait this long for their incident; a stored incident takes them within this of its death. */
const GUARD_MEMORY_TTL_MS = 15 * 60_000;
const GUARD_MATCH_SLACK_MS = 120_000;
/**
 * How long an app death's alert waits for the guard's record (when watch follows its --incidents file): the guard
 * writes it after its verdict and the restart, a second or two after the kernel's record that finalises the incident
 * here. With it the alert says when the app restarted and how its memory moved; without it, it goes out all the same.
 */
const GUARD_RECORD_GRACE_MS = 5_000;
const STORE_RETRY_MIN_MS = 1_000;
const STORE_RETRY_MAX_MS = 60_000;
const BACKLOG_NOTE_DELAY_MS = 1_000;
/** The coarsest stamp precision of the logs read (whole seconds: syslog, check.log, Go's log). */
const STAMP_PRECISION_MS = 1_000;

export class Watcher {
  private readonly now: () => number;
  private correlateTimer: NodeJS.Timeout | null = null;
  private deadlineTimer: NodeJS.Timeout | null = null;
  private saveTimer: NodeJS.Timeout | null = null;
  private storeRetryTimer: NodeJS.Timeout | null = null;
  private storeRetryMs = STORE_RETRY_MIN_MS;
  private storeFailing = false;
  private readonly unsaved: Unsaved[] = [];
  private readonly unsavedWarnings: UnsavedWarning[] = [];
  /** Bundles cut when a death was first noticed, by its line keys (lines may leave the rings while it settles). */
  private readonly firstSight = new Map<string, Bundle>();
  private guardMemory: (GuardMemory & { seenMs: number })[] = [];
  private createdMs: number | null = null;
  private stopped = false;
  private backlog = 0;
  private backlogTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: WatcherOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Starts every follower from its stored position. */
  async start(): Promise<void> {
    const { store, correlator } = this.options;
    const now = this.now();
    this.createdMs = store.createdMs();
    try {
      store.pruneClaims(now - CLAIM_RETENTION_MS);
    } catch (error) {
      if (!(error instanceof StoreWriteError)) throw error;
      // Harmless in itself (old claims stay until the next start), but a store refusing writes is news.
      this.options.log(
        'error',
        `${error.message} — old line claims are kept until the next start`,
        'OOMS_E_STORE_WRITE_FAILED',
      );
    }
    for (const [key, id] of store.claimsSince(now - CLAIM_RETENTION_MS)) correlator.claimed.set(key, id);
    const positions = store.loadPositions();
    for (const source of this.options.sources) {
      const stored = positions.get(source.key);
      const from = stored?.replay ?? stored?.read ?? null;
      const label = source.displayPath;
      try {
        await source.follower.start(
          from,
          {
            batch: (batch) => this.onBatch(source, batch),
            note: (note) => this.options.log(note.code ? 'warn' : 'info', note.message, note.code),
            up: (isUp) => {
              source.up = isUp;
              this.options.metrics?.setSourceUp(label, isUp);
            },
          },
          stored?.read ?? null,
        );
      } catch (error) {
        source.up = false;
        this.options.metrics?.setSourceUp(label, false);
        this.options.log(
          'warn',
          `cannot follow ${label}: ${(error as Error).message}`,
          'OOMS_E_WATCH_SOURCE_LOST',
        );
      }
    }
    // Where every source stands now, saved at once: a watch killed before its first save would leave positions of
    // an earlier run, rotations ago, and its successor would have to read every rotated file again.
    this.savePositions();
    const guard = this.options.guardIncidents;
    if (guard) {
      const stored = positions.get(guard.key);
      await guard.start(stored?.read ?? null, {
        batch: (batch) => this.onGuardLines(batch),
        note: () => undefined,
        up: () => undefined,
      });
    }
  }

  /** Saves where every source stands and stops following. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const timer of [
      this.correlateTimer,
      this.deadlineTimer,
      this.saveTimer,
      this.storeRetryTimer,
      this.backlogTimer,
    ]) {
      if (timer) clearTimeout(timer);
    }
    // A follower that fails to stop must not keep the positions from being saved; it is said, not dropped.
    const stopFailed = (label: string) => (error: unknown) =>
      this.options.log(
        'warn',
        `cannot stop following ${label} cleanly: ${(error as Error).message}`,
        'OOMS_E_WATCH_SOURCE_LOST',
      );
    const guard = this.options.guardIncidents;
    await Promise.all(this.options.sources.map((s) => s.follower.stop().catch(stopFailed(s.displayPath))));
    await guard?.stop().catch(stopFailed(guard.displayPath));
    // Lines read in the last moments (a kill just before the SIGTERM) are correlated now, not left to a restart's
    // replay: a kill record is final at once and is stored before the positions that say it was read.
    if (this.correlateTimer) this.correlateNow();
    this.savePositions();
  }

  /** Runs correlation now (tests; the timers call it otherwise). */
  correlateNow(): void {
    if (this.correlateTimer) clearTimeout(this.correlateTimer);
    this.correlateTimer = null;
    const now = this.now();
    const { correlator, sources } = this.options;
    const { finalized, firstSeen, nextDeadlineMs } = correlator.run(sources, now);
    for (const candidate of firstSeen) {
      const bundle = buildBundle(candidate, sources, []);
      for (const key of candidate.keys) this.firstSight.set(key, bundle);
    }
    for (const f of finalized) if (this.finalize(f, now) === 'backlog') this.noteBacklog();
    for (const source of sources) {
      const pinned = [...correlator.pinnedLines(source), ...this.unsavedLines(source)];
      source.trim(pinned.length > 0 ? Math.min(...pinned) : Number.POSITIVE_INFINITY);
    }
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = null;
    if (nextDeadlineMs !== null && !this.stopped) {
      this.deadlineTimer = setTimeout(() => this.correlateNow(), Math.max(1, nextDeadlineMs - this.now()));
    }
    if (correlator.pendingCount === 0) this.firstSight.clear();
  }

  /** The backlog of a first start is told in one line once it is read, not one line per old death. */
  private noteBacklog(): void {
    this.backlog++;
    if (this.backlogTimer) clearTimeout(this.backlogTimer);
    this.backlogTimer = setTimeout(() => {
      this.backlogTimer = null;
      this.options.log(
        'info',
        `stored ${this.backlog} incident(s) from before this store first ran, without alerts (\`oomsleuth incidents\` lists them)`,
      );
      this.backlog = 0;
    }, BACKLOG_NOTE_DELAY_MS);
  }

  private onBatch(source: LiveSource, batch: FollowBatch): void {
    if (this.stopped) return;
    const changed = source.push(batch);
    if (changed && !this.correlateTimer) {
      this.correlateTimer = setTimeout(() => this.correlateNow(), this.options.correlateDelayMs ?? 20);
    }
    if (!this.saveTimer) {
      this.saveTimer = setTimeout(() => {
        this.saveTimer = null;
        this.savePositions();
      }, this.options.savePositionsAfterMs ?? 5_000);
    }
  }

  private finalize(f: Finalized, now: number): AlertState {
    const c = f.candidate;
    const id = incidentId(c.finding, c.keys, now, c.events);
    const guardRecord = this.takeGuardMemory(c.finding.pid, c.finding.diedAtMs);
    const memory = guardRecord?.samples ?? [];
    const earlier = c.keys.map((k) => this.firstSight.get(k)).find((b) => b !== undefined);
    const bundle = fullerBundle(buildBundle(c, this.options.sources, memory), earlier);
    const alertState = this.alertStateFor(c, now);
    const incident = withMemoryCurve(c, memory);
    const stored: StoredIncident = {
      id,
      kind: c.kind,
      app: c.app,
      host: this.options.host,
      incident,
      finalizedMs: now,
      alertState,
      summaryId: null,
    };
    const doc = incidentAlert(
      id,
      this.options.host,
      c.app,
      c.kind,
      incident,
      decisiveIndex(c.finding),
      guardRecord === null ? null : guardFacts(guardRecord),
    );
    const awaitGuard =
      this.options.guardIncidents !== null &&
      c.kind === 'app' &&
      c.finding.pid !== null &&
      guardRecord === null;
    this.options.correlator.claim(c.keys, id);
    this.options.metrics?.recordIncident(stored);
    this.options.onIncident?.(doc, stored);
    this.unsaved.push({
      stored,
      bundle,
      candidate: c,
      doc,
      sentWithoutStore: false,
      alertDueMs: awaitGuard ? now + GUARD_RECORD_GRACE_MS : null,
    });
    this.flushUnsaved();
    if (alertState === 'backlog') return alertState;
    const i = c.incident;
    this.options.log(
      'info',
      `${c.kind === 'other' ? 'OOM kill of another process' : 'incident'} ${id}: ${i.process}${i.pid !== null ? ` pid ${i.pid}` : ''} ${i.cause} (${i.confidence}) at ${i.diedAt ?? 'unknown time'}` +
        `${i.missing.length ? `, missing ${i.missing.join(', ')}` : ''} — ${describeAlertState(alertState)}; ${bundle.oomBlock.length} kernel, ${bundle.appTail.length} app, ${bundle.guardian.length} guardian line(s) kept`,
    );
    return alertState;
  }

  /** Stores the incidents waiting to be stored, oldest first; on failure, retries later and alerts from memory. */
  private flushUnsaved(): void {
    const { store, dispatcher } = this.options;
    while (this.unsaved.length > 0) {
      const item = this.unsaved[0]!;
      const outbox: NewOutboxRow[] =
        item.stored.alertState === 'alerted' && dispatcher
          ? dispatcher
              .rowsFor(item.doc, 'incident')
              .map((row) => (item.alertDueMs === null ? row : { ...row, dueMs: item.alertDueMs }))
          : [];
      try {
        store.commitIncident({
          stored: item.stored,
          bundle: item.bundle,
          claims: item.candidate.keys,
          positions: this.positions(item),
          outbox,
        });
      } catch (error) {
        if (!(error instanceof StoreWriteError)) throw error;
        if (!this.storeFailing) {
          this.options.log(
            'error',
            `${error.message} — ${this.unsaved.length} incident(s) kept in memory and retried; alerts are sent meanwhile. Free space on the disk of ${store.file}`,
            'OOMS_E_STORE_WRITE_FAILED',
          );
        }
        this.storeFailing = true;
        for (const waiting of this.unsaved) {
          if (waiting.stored.alertState === 'alerted' && !waiting.sentWithoutStore && dispatcher) {
            waiting.sentWithoutStore = true;
            dispatcher.sendWithoutStore(waiting.doc);
          }
        }
        this.scheduleStoreRetry();
        return;
      }
      this.unsaved.shift();
      if (this.storeFailing) {
        this.storeFailing = false;
        this.storeRetryMs = STORE_RETRY_MIN_MS;
        this.options.log('info', `the store takes writes again; incident ${item.stored.id} saved`);
      }
      this.attachWaitingGuardMemory();
      dispatcher?.kick();
    }
  }

  private scheduleStoreRetry(): void {
    if (this.storeRetryTimer || this.stopped) return;
    this.storeRetryTimer = setTimeout(() => {
      this.storeRetryTimer = null;
      this.flushUnsaved();
      this.flushWarnings();
    }, this.storeRetryMs);
    this.storeRetryMs = Math.min(STORE_RETRY_MAX_MS, this.storeRetryMs * 2);
  }

  private alertStateFor(c: Candidate, now: number): AlertState {
    const died = c.finding.diedAtMs ?? Number.NaN;
    // Deaths from before this store first ran were read as context (a first start reads the logs' recent past).
    // Logs stamp whole seconds: a death stamped in the second the store was made may have come after it.
    if (this.createdMs !== null && Number.isFinite(died) && died + STAMP_PRECISION_MS <= this.createdMs) {
      return 'backlog';
    }
    const dispatcher = this.options.dispatcher;
    if (!dispatcher || dispatcher.webhooks.length === 0) return 'no-webhook';
    if (c.kind === 'other' && this.options.alertOn === 'app') return 'not-alerted';
    if (dispatcher.policy.windowMs <= 0) return 'alerted';
    const since = now - dispatcher.policy.windowMs;
    const process = c.incident.process;
    const recentUnsaved = this.unsaved.some(
      (u) =>
        u.stored.incident.process === process &&
        u.stored.finalizedMs >= since &&
        (u.stored.alertState === 'alerted' || u.stored.alertState === 'held') &&
        countsForCrashLoop(u.stored.incident.cause),
    );
    const recentStored = this.options.store
      .recentAlerts(process, since)
      .some((earlier) => countsForCrashLoop(earlier.cause));
    return recentUnsaved || recentStored ? 'held' : 'alerted';
  }

  private positions(pinnedBy?: Unsaved): SourcePositions[] {
    const { correlator } = this.options;
    const rows: SourcePositions[] = this.options.sources.map((source) => {
      const pinned = [...correlator.pinnedLines(source), ...this.unsavedLines(source, pinnedBy)];
      return { source: source.key, replay: source.replayPosition(pinned), read: source.readPosition };
    });
    const guard = this.options.guardIncidents;
    const guardRead = this.guardSafeRead();
    if (guard && guardRead) rows.push({ source: guard.key, replay: null, read: guardRead });
    return rows;
  }

  /** Lines of incidents final but not yet stored (other than `except`): a restart must read them again. */
  private unsavedLines(source: LiveSource, except?: Unsaved): number[] {
    return this.unsaved
      .filter((u) => u !== except)
      .flatMap((u) => u.candidate.refs.filter((r) => r.source === source).map((r) => r.lineNo));
  }

  private savePositions(): void {
    if (this.unsaved.length > 0) return; // they are saved with the incidents, once the store takes them
    try {
      this.options.store.savePositions(this.positions(), this.now());
    } catch (error) {
      if (!(error instanceof StoreWriteError)) throw error;
      if (!this.storeFailing) this.options.log('error', error.message, 'OOMS_E_STORE_WRITE_FAILED');
    }
  }

  private guardRead: FollowBatch['next'] = null;

  /** How far the guard's file may be counted as read: not past a warning that is not stored yet. */
  private guardSafeRead(): FollowBatch['next'] {
    return this.unsavedWarnings[0]?.lineStart ?? this.guardRead;
  }

  private onGuardLines(batch: FollowBatch): void {
    this.guardRead = batch.next;
    const now = this.now();
    batch.lines.forEach((line, i) => {
      const parsed = parseGuardLine(line.text);
      if (parsed?.kind === 'warning') this.onWarning(parsed.warning, now, batch.positions[i] ?? null);
      if (parsed?.kind !== 'memory') return;
      const record = parsed.memory;
      // The life a warning was about has ended: its countdown stops.
      this.options.metrics?.lifeEnded(null, record.pid, record.diedMs);
      if (record.samples.length > 0) this.guardMemory.push({ ...record, seenMs: now });
    });
    this.guardMemory = this.guardMemory.filter((m) => now - m.seenMs < GUARD_MEMORY_TTL_MS);
    this.attachWaitingGuardMemory();
    this.flushWarnings();
  }

  // ---- early warnings ------------------------------------------------------------------------------------------------

  /** A warning record of the guard: stored with its alert (once per life: the id says which life), and the gauge. */
  private onWarning(warning: WarningRecord, now: number, lineStart: FollowBatch['next']): void {
    const id = warningId(warning);
    const app = warning.process;
    const stored: StoredWarning = {
      id,
      app,
      host: this.options.host,
      warning,
      receivedMs: now,
      alertState: this.warningAlertState(app, Date.parse(warning.at), now),
    };
    this.options.metrics?.warned(app, warning.pid, Date.parse(warning.at), warning.timeToOomS);
    this.unsavedWarnings.push({
      stored,
      doc: warningAlert(id, this.options.host, app, warning),
      lineStart,
      sentWithoutStore: false,
    });
  }

  private warningAlertState(app: string, atMs: number, now: number): WarningAlertState {
    if (this.createdMs !== null && Number.isFinite(atMs) && atMs + STAMP_PRECISION_MS <= this.createdMs) {
      return 'backlog';
    }
    const dispatcher = this.options.dispatcher;
    if (!dispatcher || dispatcher.webhooks.length === 0) return 'no-webhook';
    // A leak that kills every few minutes warns at every life: one alert per crash-loop window is enough.
    const windowMs = dispatcher.policy.windowMs;
    if (windowMs <= 0) return 'alerted';
    const since = now - windowMs;
    const recent = this.unsavedWarnings.some(
      (u) => u.stored.app === app && u.stored.alertState === 'alerted' && u.stored.receivedMs >= since,
    );
    return recent || this.options.store.warningAlertedSince(app, since) ? 'repeated' : 'alerted';
  }

  /** Stores the warnings waiting to be stored, in order; on failure, retries later and alerts from memory. */
  private flushWarnings(): void {
    const { store, dispatcher } = this.options;
    const guard = this.options.guardIncidents;
    while (this.unsavedWarnings.length > 0) {
      const item = this.unsavedWarnings[0]!;
      const alerted = item.stored.alertState === 'alerted' && dispatcher !== null;
      let fresh: boolean;
      try {
        fresh = store.commitWarning({
          stored: item.stored,
          outbox: alerted ? dispatcher.rowsFor(item.doc, 'warning') : [],
          // Read up to the next warning still waiting, or all that was read.
          positions: guard
            ? [
                {
                  source: guard.key,
                  replay: null,
                  read: this.unsavedWarnings[1]?.lineStart ?? this.guardRead,
                },
              ]
            : [],
        });
      } catch (error) {
        if (!(error instanceof StoreWriteError)) throw error;
        if (!this.storeFailing) {
          this.options.log(
            'error',
            `${error.message} — ${this.unsavedWarnings.length} warning(s) kept in memory and retried; alerts are sent meanwhile`,
            'OOMS_E_STORE_WRITE_FAILED',
          );
        }
        this.storeFailing = true;
        for (const waiting of this.unsavedWarnings) {
          if (waiting.stored.alertState === 'alerted' && !waiting.sentWithoutStore && dispatcher) {
            waiting.sentWithoutStore = true;
            dispatcher.sendWithoutStore(waiting.doc);
          }
        }
        this.scheduleStoreRetry();
        return;
      }
      this.unsavedWarnings.shift();
      if (this.storeFailing && this.unsaved.length === 0) {
        this.storeFailing = false;
        this.storeRetryMs = STORE_RETRY_MIN_MS;
        this.options.log('info', `the store takes writes again; warning ${item.stored.id} saved`);
      }
      // Read again after a restart: stored and alerted the first time.
      if (!fresh) continue;
      const w = item.stored.warning;
      this.options.log(
        'info',
        `warning ${item.stored.id}: ${w.process} ${w.says} — ${describeWarningState(item.stored.alertState)}`,
      );
      if (alerted) dispatcher.kick();
    }
  }

  /** The guard writes its record after the kernel's: samples for an incident already stored are added to it. */
  private attachWaitingGuardMemory(): void {
    if (this.guardMemory.length === 0) return;
    this.guardMemory = this.guardMemory.filter((m) => {
      try {
        const id = this.options.store.incidentOfPid(m.pid, m.diedMs, GUARD_MATCH_SLACK_MS);
        if (id === null) return true;
        this.options.store.attachMemory(id, m.samples);
        this.options.log(
          'info',
          `memory samples from oomsleuth guard added to incident ${id} (${m.samples.length})`,
        );
        this.reviseWaitingAlert(id, m);
        return false;
      } catch (error) {
        if (!(error instanceof StoreWriteError)) throw error;
        // Kept, and tried again after the next stored incident or guard record.
        if (!this.storeFailing) {
          this.options.log(
            'error',
            `${error.message} — the memory samples of pid ${m.pid} are kept in memory and retried`,
            'OOMS_E_STORE_WRITE_FAILED',
          );
        }
        return true;
      }
    });
  }

  /** An alert still waiting for the guard's record (not tried yet) is sent now, with what the guard saw. */
  private reviseWaitingAlert(id: string, record: GuardMemory): void {
    const { store, dispatcher } = this.options;
    const waiting = store.outboxOf([id]).find((row) => row.state === 'pending' && row.attempts === 0);
    if (waiting === undefined || !dispatcher) return;
    const doc = JSON.parse(waiting.payload) as IncidentAlert;
    const revised: IncidentAlert = { ...doc, guard: guardFacts(record) };
    if (store.reviseUntriedAlert(id, JSON.stringify(revised), this.now()) > 0) dispatcher.kick();
  }

  private takeGuardMemory(pid: number | null, diedAtMs: number | null): GuardMemory | null {
    if (pid === null) return null;
    const died = diedAtMs ?? Number.NaN;
    const index = this.guardMemory.findIndex(
      (m) => m.pid === pid && (!Number.isFinite(died) || Math.abs(m.diedMs - died) <= GUARD_MATCH_SLACK_MS),
    );
    if (index < 0) return null;
    return this.guardMemory.splice(index, 1)[0]!;
  }
}

/** What an alert says from the guard's record: the restart, and the memory's trend before the death. */
function guardFacts(record: GuardMemory): GuardFacts {
  const samples = record.samples.map((s) => ({ ...s, at: Date.parse(s.at) }));
  return { restartedAt: record.restartedAt, memoryTrend: describeTrend(samples) };
}

function describeWarningState(state: WarningAlertState): string {
  switch (state) {
    case 'alerted':
      return 'alerting';
    case 'repeated':
      return 'not alerted: another warning of it was, within the crash-loop window';
    case 'backlog':
      return 'from before this store first ran, stored without an alert';
    case 'no-webhook':
      return 'no webhook configured';
  }
}

function describeAlertState(state: AlertState): string {
  switch (state) {
    case 'alerted':
      return 'alerting';
    case 'held':
      return 'held for the crash-loop summary';
    case 'summarized':
      return 'summarised';
    case 'backlog':
      return 'from before this store first ran, stored without an alert';
    case 'not-alerted':
      return 'not alerted (--alert-on app)';
    case 'no-webhook':
      return 'no webhook configured';
  }
}

/** The incident with its diagnosis redone on the guard's memory samples before the death, when there are some. */
function withMemoryCurve(c: Candidate, memory: readonly MemorySample[]): Incident {
  if (c.diagnosisInput === null || memory.length === 0) return c.incident;
  const curve = memoryCurve(
    memory.map((m) => ({ atMs: Date.parse(m.at), rssKb: m.rssKb, cgroupUsageKb: m.cgroupUsageKb })),
    null,
    { source: 'oomsleuth guard', line: null },
  );
  if (curve === null) return c.incident;
  const { evidence, context } = c.diagnosisInput;
  return { ...c.incident, diagnosis: diagnosisOf(diagnose({ ...evidence, curve }, context)) };
}
