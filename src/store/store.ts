// The SQLite store behind `watch` and `incidents` (better-sqlite3, WAL). Loaded only by those two commands, through
// `await import`, so `analyze` never pays for the native module. Every write that must hang together — an incident,
// its bundle, the lines it claimed, its outbox rows and the source positions that produced it — is one transaction.
import { chmod, mkdir, open, stat } from 'node:fs/promises';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { Cause, Incident } from '../contract/analysis.js';
import { OomsleuthError } from '../errors.js';
import { parsePosition } from '../sources/follow/position.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import type {
  AlertState,
  Bundle,
  BundleLine,
  IncidentKind,
  MemorySample,
  NewOutboxRow,
  OutboxKind,
  OutboxRow,
  SourcePositions,
  StoredIncident,
  StoredWarning,
  WarningAlertState,
} from './records.js';
import { sqliteAddon } from './sqlite-addon.js';

type Database = BetterSqlite3.Database;

export interface IncidentCommit {
  readonly stored: StoredIncident;
  readonly bundle: Bundle;
  /** Keys of the lines the incident was built from. */
  readonly claims: readonly string[];
  readonly positions: readonly SourcePositions[];
  readonly outbox: readonly NewOutboxRow[];
}

export interface IncidentFilter {
  readonly sinceMs?: number | null;
  readonly cause?: Cause | null;
  readonly limit?: number;
}

/** Totals for the metrics a restarted `watch` starts from (so its counters do not fall back to zero). */
export interface MetricTotals {
  readonly kills: { process: string; scope: string; count: number }[];
  readonly incidents: { app: string; cause: string; count: number; lastDiedMs: number | null }[];
  /** The newest warning of each app whose life has not been seen to end (the time-to-OOM gauge). */
  readonly warnings?: LiveWarning[];
}

/** A warning still standing: its app, the life it is about, when it was made and the time to OOM it forecast. */
export interface LiveWarning {
  readonly app: string;
  readonly pid: number;
  readonly atMs: number;
  readonly timeToOomS: number | null;
}

export interface WarningCommit {
  readonly stored: StoredWarning;
  readonly outbox: readonly NewOutboxRow[];
  /** Where the guard's incidents file stands once this record is read. */
  readonly positions: readonly SourcePositions[];
}

/** A write failed (disk full, I/O error, read-only file system): the caller keeps going and retries. */
export class StoreWriteError extends Error {
  constructor(
    readonly sqliteCode: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const SQLITE_BUSY_TIMEOUT_MS = 5_000;

export class Store {
  private readonly insertIncident;
  private readonly insertBundleLine;
  private readonly insertMemory;
  private readonly insertClaim;
  private readonly upsertPosition;
  private readonly insertOutbox;

  private constructor(
    private readonly db: Database,
    readonly file: string,
  ) {
    this.insertIncident = db.prepare(
      `INSERT INTO incidents (id, kind, app, host, process, pid, cause, confidence, scope, died_at, died_ms,
         finalized_ms, alert_state, summary_id, incident)
       VALUES (@id, @kind, @app, @host, @process, @pid, @cause, @confidence, @scope, @diedAt, @diedMs,
         @finalizedMs, @alertState, @summaryId, @incident)`,
    );
    this.insertBundleLine = db.prepare(
      'INSERT INTO bundle_lines (incident_id, part, ord, source, line, text) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.insertMemory = db.prepare(
      `INSERT OR REPLACE INTO memory_samples (incident_id, ord, at, rss_kb, hwm_kb, cgroup_usage_kb)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.insertClaim = db.prepare(
      'INSERT OR IGNORE INTO claims (key, incident_id, created_ms) VALUES (?, ?, ?)',
    );
    this.upsertPosition = db.prepare(
      `INSERT INTO positions (source, replay, read, updated_ms) VALUES (?, ?, ?, ?)
       ON CONFLICT (source) DO UPDATE SET replay = excluded.replay, read = excluded.read,
         updated_ms = excluded.updated_ms`,
    );
    this.insertOutbox = db.prepare(
      `INSERT OR IGNORE INTO outbox (alert_id, kind, webhook, payload, state, attempts, next_attempt_ms, created_ms,
         delivered_ms)
       VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)`,
    );
  }

  /**
   * Opens (and for `watch`, creates) the store: the folder 0700, the file 0600, WAL, migrations. Any failure is an
   * OomsleuthError saying what and how to fix it, so `watch` stops at start rather than at its first incident.
   */
  static async open(file: string, options: { readonly readOnly?: boolean; readonly nowMs?: number } = {}) {
    const readOnly = options.readOnly === true;
    if (readOnly) {
      try {
        await stat(file);
      } catch (error) {
        // Only a missing file is "no store"; anything else (permission, a link loop) is said as it is.
        if ((error as { code?: unknown }).code !== 'ENOENT') throw storeOpenError(file, error, true);
        throw new OomsleuthError(
          'OOMS_E_STORE_NOT_FOUND',
          `no store at ${file} — \`oomsleuth watch\` creates it on its first run; pass --db with the file watch uses`,
        );
      }
    } else {
      await prepareFile(file);
    }
    const Database = await loadBetterSqlite3();
    const nativeBinding = await sqliteAddon();
    let db: Database;
    try {
      db = new Database(file, {
        ...(readOnly ? { readonly: true, fileMustExist: true } : {}),
        // The typings allow only a path; better-sqlite3 takes a loaded addon too (its database.js says so).
        ...(nativeBinding ? { nativeBinding: nativeBinding as unknown as string } : {}),
      });
      db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
      if (!readOnly) {
        db.pragma('journal_mode = WAL');
        // FULL: a committed incident (and the positions that produced it) survives a power cut, not only a kill.
        db.pragma('synchronous = FULL');
        db.pragma('foreign_keys = ON');
      }
    } catch (error) {
      throw storeOpenError(file, error, readOnly);
    }
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      db.close();
      throw new OomsleuthError(
        'OOMS_E_STORE_NEWER',
        `${file} was written by a newer oomsleuth (schema ${version}, this one knows ${SCHEMA_VERSION}) — upgrade oomsleuth, or pass --db with another file`,
      );
    }
    if (version < SCHEMA_VERSION) {
      if (readOnly) {
        db.close();
        throw new OomsleuthError(
          'OOMS_E_STORE_NEWER',
          `${file} has schema ${version}; run \`oomsleuth watch --db ${file}\` once to bring it to schema ${SCHEMA_VERSION}`,
        );
      }
      try {
        migrate(db, version);
        // The migrations' pages go into the file at once: the WAL does not keep a copy of the whole schema (a
        // rebuilt table included) until the first automatic checkpoint.
        db.pragma('wal_checkpoint(TRUNCATE)');
      } catch (error) {
        db.close();
        throw storeOpenError(file, error, false);
      }
    }
    const store = new Store(db, file);
    if (!readOnly) {
      try {
        // A write at start proves the file, its folder (for the WAL) and the disk take writes.
        db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run(
          'created_ms',
          String(options.nowMs ?? Date.now()),
        );
        db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(
          'opened_ms',
          String(options.nowMs ?? Date.now()),
        );
      } catch (error) {
        db.close();
        throw storeOpenError(file, error, false);
      }
    }
    return store;
  }

  /** Writes an early warning with its outbox rows and the guard file's position at once; false when it was there. */
  commitWarning(commit: WarningCommit): boolean {
    return this.write('saving a warning', () =>
      this.db.transaction((c: WarningCommit) => {
        const { stored } = c;
        this.writePositions(c.positions, stored.receivedMs);
        const w = stored.warning;
        const inserted = this.db
          .prepare(
            `INSERT OR IGNORE INTO warnings (id, app, host, pid, started_at, at, at_ms, reason, time_to_oom_s,
               received_ms, alert_state, warning)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            stored.id,
            stored.app,
            stored.host,
            w.pid,
            w.startedAt,
            w.at,
            Date.parse(w.at),
            w.reason,
            w.timeToOomS,
            stored.receivedMs,
            stored.alertState,
            JSON.stringify(w),
          );
        if (inserted.changes === 0) return false;
        for (const row of c.outbox) {
          this.insertOutbox.run(
            row.alertId,
            row.kind,
            row.webhook,
            row.payload,
            row.state ?? 'pending',
            stored.receivedMs,
            stored.receivedMs,
            row.state === 'delivered' ? stored.receivedMs : null,
          );
        }
        return true;
      })(commit),
    );
  }

  /** Early warnings, oldest first. */
  listWarnings(filter: { readonly sinceMs?: number | null; readonly limit?: number } = {}): StoredWarning[] {
    const rows = this.db
      .prepare('SELECT * FROM warnings WHERE at_ms >= ? ORDER BY at_ms, id LIMIT ?')
      .all(filter.sinceMs ?? 0, filter.limit ?? 1_000_000) as WarningRow[];
    return rows.map(fromWarningRow);
  }

  /** Whether a warning of `app` was alerted at or after `sinceMs` (one alert per crash-loop window). */
  warningAlertedSince(app: string, sinceMs: number): boolean {
    return (
      this.db
        .prepare(
          "SELECT 1 FROM warnings WHERE app = ? AND received_ms >= ? AND alert_state = 'alerted' LIMIT 1",
        )
        .get(app, sinceMs) !== undefined
    );
  }

  /** When this store was first opened by `watch`: deaths before it are the backlog, not news. */
  createdMs(): number | null {
    const row = this.db.prepare("SELECT value FROM meta WHERE key = 'created_ms'").get() as
      | { value: string }
      | undefined;
    return row ? Number(row.value) : null;
  }

  /** Writes an incident and everything that goes with it at once; false when it was already there. */
  commitIncident(commit: IncidentCommit): boolean {
    return this.write('saving an incident', () =>
      this.db.transaction((c: IncidentCommit) => {
        const { stored } = c;
        const exists = this.db.prepare('SELECT 1 FROM incidents WHERE id = ?').get(stored.id);
        // A line or kernel event another incident already claimed: this is that incident read again (by another
        // carrier, or a copy of the file), so its keys join the stored one and nothing new is written or alerted.
        const owner = exists ? null : this.claimantOf(c.claims);
        const now = stored.finalizedMs;
        for (const key of c.claims) this.insertClaim.run(key, owner ?? stored.id, now);
        this.writePositions(c.positions, now);
        if (exists || owner !== null) return false;
        const i = stored.incident;
        this.insertIncident.run({
          id: stored.id,
          kind: stored.kind,
          app: stored.app,
          host: stored.host,
          process: i.process,
          pid: i.pid,
          cause: i.cause,
          confidence: i.confidence,
          scope: i.oom?.scope ?? null,
          diedAt: i.diedAt,
          diedMs: i.diedAt === null ? null : Date.parse(i.diedAt),
          finalizedMs: stored.finalizedMs,
          alertState: stored.alertState,
          summaryId: stored.summaryId,
          incident: JSON.stringify(i),
        });
        const parts: [string, readonly BundleLine[]][] = [
          ['oom-block', c.bundle.oomBlock],
          ['app-tail', c.bundle.appTail],
          ['guardian', c.bundle.guardian],
        ];
        for (const [part, lines] of parts) {
          lines.forEach((l, ord) => {
            this.insertBundleLine.run(stored.id, part, ord, l.source, l.line, l.text);
          });
        }
        this.writeMemory(stored.id, c.bundle.memory);
        for (const row of c.outbox) {
          const state = row.state ?? 'pending';
          this.insertOutbox.run(
            row.alertId,
            row.kind,
            row.webhook,
            row.payload,
            state,
            row.dueMs ?? now,
            now,
            state === 'delivered' ? now : null,
          );
        }
        return true;
      })(commit),
    );
  }

  /**
   * Replaces the document of an alert not tried yet (waiting for the guard's record of its death) and makes it due at
   * `dueMs`; returns how many rows (one per webhook) changed — none once a first attempt was made.
   */
  reviseUntriedAlert(alertId: string, payload: string, dueMs: number): number {
    return this.write(
      'revising an alert',
      () =>
        this.db
          .prepare(
            "UPDATE outbox SET payload = ?, next_attempt_ms = ? WHERE alert_id = ? AND state = 'pending' AND attempts = 0",
          )
          .run(payload, dueMs, alertId).changes,
    );
  }

  /** Saves where each source stands (between incidents, so a restart does not re-read more than it must). */
  savePositions(rows: readonly SourcePositions[], nowMs = Date.now()): void {
    this.write('saving source positions', () =>
      this.db.transaction(() => this.writePositions(rows, nowMs))(),
    );
  }

  loadPositions(): Map<string, SourcePositions> {
    const rows = this.db.prepare('SELECT source, replay, read FROM positions').all() as {
      source: string;
      replay: string | null;
      read: string | null;
    }[];
    return new Map(
      rows.map((r) => [
        r.source,
        { source: r.source, replay: parsePosition(r.replay), read: parsePosition(r.read) },
      ]),
    );
  }

  /** Claimed line keys of the last `sinceMs`, with the incident each belongs to. */
  claimsSince(sinceMs: number): Map<string, string> {
    const rows = this.db
      .prepare('SELECT key, incident_id AS id FROM claims WHERE created_ms >= ?')
      .all(sinceMs) as { key: string; id: string }[];
    return new Map(rows.map((r) => [r.key, r.id]));
  }

  /** The incident that claimed one of `keys`, if any (older claims than those kept in memory). */
  claimantOf(keys: readonly string[]): string | null {
    const query = this.db.prepare('SELECT incident_id AS id FROM claims WHERE key = ?');
    for (const key of keys) {
      const row = query.get(key) as { id: string } | undefined;
      if (row) return row.id;
    }
    return null;
  }

  /** Claims older than this are forgotten: their lines left every follower's replay window long ago. */
  pruneClaims(beforeMs: number): void {
    this.write('pruning old claims', () =>
      this.db.prepare('DELETE FROM claims WHERE created_ms < ?').run(beforeMs),
    );
  }

  /** Alerted or held incidents of `process` finalised at or after `sinceMs` (the crash-loop test). */
  recentAlerts(
    process: string,
    sinceMs: number,
  ): { id: string; finalizedMs: number; alertState: AlertState; cause: Cause }[] {
    return this.db
      .prepare(
        `SELECT id, finalized_ms AS finalizedMs, alert_state AS alertState, cause FROM incidents
         WHERE process = ? AND finalized_ms >= ? AND alert_state IN ('alerted', 'held', 'summarized')
         ORDER BY finalized_ms`,
      )
      .all(process, sinceMs) as { id: string; finalizedMs: number; alertState: AlertState; cause: Cause }[];
  }

  /** Incidents held back by the crash-loop rule, oldest first. */
  heldIncidents(): StoredIncident[] {
    const rows = this.db
      .prepare("SELECT * FROM incidents WHERE alert_state = 'held' ORDER BY finalized_ms, id")
      .all() as IncidentRow[];
    return rows.map(fromRow);
  }

  /** Marks held incidents as told in a summary and queues the summary, at once. */
  commitSummary(
    summaryId: string,
    incidentIds: readonly string[],
    outbox: readonly NewOutboxRow[],
    nowMs: number,
  ) {
    this.write('saving a crash-loop summary', () =>
      this.db.transaction(() => {
        const mark = this.db.prepare(
          "UPDATE incidents SET alert_state = 'summarized', summary_id = ? WHERE id = ? AND alert_state = 'held'",
        );
        for (const id of incidentIds) mark.run(summaryId, id);
        for (const row of outbox) {
          this.insertOutbox.run(
            row.alertId,
            row.kind,
            row.webhook,
            row.payload,
            'pending',
            nowMs,
            nowMs,
            null,
          );
        }
      })(),
    );
  }

  /** Pending outbox rows for these webhooks that are due now, oldest first. */
  dueOutbox(nowMs: number, webhooks: readonly string[]): OutboxRow[] {
    if (webhooks.length === 0) return [];
    const marks = webhooks.map(() => '?').join(', ');
    const rows = this.db
      .prepare(
        `SELECT * FROM outbox WHERE state = 'pending' AND next_attempt_ms <= ? AND webhook IN (${marks})
         ORDER BY next_attempt_ms, id`,
      )
      .all(nowMs, ...webhooks) as OutboxDbRow[];
    return rows.map(fromOutboxRow);
  }

  /** When the next pending row for these webhooks falls due; null when none is pending. */
  nextOutboxDue(webhooks: readonly string[]): number | null {
    if (webhooks.length === 0) return null;
    const marks = webhooks.map(() => '?').join(', ');
    const row = this.db
      .prepare(
        `SELECT MIN(next_attempt_ms) AS due FROM outbox WHERE state = 'pending' AND webhook IN (${marks})`,
      )
      .get(...webhooks) as { due: number | null };
    return row.due;
  }

  /** Pending rows whose webhook is no longer configured (they wait for it to come back). */
  orphanedOutbox(webhooks: readonly string[]): number {
    const marks = webhooks.map(() => '?').join(', ');
    const row = this.db
      .prepare(
        `SELECT COUNT(*) AS n FROM outbox WHERE state = 'pending'${webhooks.length ? ` AND webhook NOT IN (${marks})` : ''}`,
      )
      .get(...webhooks) as { n: number };
    return row.n;
  }

  pendingOutbox(): number {
    return (
      this.db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE state = 'pending'").get() as { n: number }
    ).n;
  }

  markDelivered(id: number, nowMs: number): void {
    this.write('recording a delivered alert', () =>
      this.db
        .prepare(
          "UPDATE outbox SET state = 'delivered', delivered_ms = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?",
        )
        .run(nowMs, id),
    );
  }

  markRetry(id: number, nextAttemptMs: number, error: string): void {
    this.write('recording a failed alert attempt', () =>
      this.db
        .prepare(
          'UPDATE outbox SET attempts = attempts + 1, next_attempt_ms = ?, last_error = ? WHERE id = ?',
        )
        .run(nextAttemptMs, error, id),
    );
  }

  markFailed(id: number, error: string): void {
    this.write('recording an undeliverable alert', () =>
      this.db
        .prepare("UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?")
        .run(error, id),
    );
  }

  /** Outbox rows of an alert (an incident's own, or the summary that told it). */
  outboxOf(alertIds: readonly string[]): OutboxRow[] {
    if (alertIds.length === 0) return [];
    const marks = alertIds.map(() => '?').join(', ');
    return (
      this.db
        .prepare(`SELECT * FROM outbox WHERE alert_id IN (${marks}) ORDER BY id`)
        .all(...alertIds) as OutboxDbRow[]
    ).map(fromOutboxRow);
  }

  listIncidents(filter: IncidentFilter = {}): StoredIncident[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.sinceMs != null) {
      where.push('COALESCE(died_ms, finalized_ms) >= ?');
      args.push(filter.sinceMs);
    }
    if (filter.cause) {
      where.push('cause = ?');
      args.push(filter.cause);
    }
    const sql = `SELECT * FROM incidents ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY COALESCE(died_ms, finalized_ms), id LIMIT ?`;
    return (this.db.prepare(sql).all(...args, filter.limit ?? 1_000_000) as IncidentRow[]).map(fromRow);
  }

  /**
   * Incidents stored at or after `finalizedMs`, oldest stored first: what a dashboard has not shown yet (watch writes
   * from another process; a late one may have died long before).
   */
  incidentsStoredSince(finalizedMs: number): StoredIncident[] {
    return (
      this.db
        .prepare('SELECT * FROM incidents WHERE finalized_ms >= ? ORDER BY finalized_ms, id')
        .all(finalizedMs) as IncidentRow[]
    ).map(fromRow);
  }

  /** The incident with this id, or the only one whose id starts with it; `ambiguous` lists the candidates. */
  findIncident(idOrPrefix: string): { incident: StoredIncident | null; ambiguous: string[] } {
    const exact = this.db.prepare('SELECT * FROM incidents WHERE id = ?').get(idOrPrefix) as
      | IncidentRow
      | undefined;
    if (exact) return { incident: fromRow(exact), ambiguous: [] };
    const rows = this.db
      .prepare('SELECT * FROM incidents WHERE substr(id, 1, length(?)) = ? ORDER BY id LIMIT 10')
      .all(idOrPrefix, idOrPrefix) as IncidentRow[];
    if (rows.length === 1) return { incident: fromRow(rows[0]!), ambiguous: [] };
    return { incident: null, ambiguous: rows.map((r) => r.id) };
  }

  bundleOf(id: string): Bundle {
    const lines = this.db
      .prepare('SELECT part, source, line, text FROM bundle_lines WHERE incident_id = ? ORDER BY part, ord')
      .all(id) as { part: string; source: string; line: number | null; text: string }[];
    const pick = (part: string): BundleLine[] =>
      lines.filter((l) => l.part === part).map((l) => ({ source: l.source, line: l.line, text: l.text }));
    const memory = this.db
      .prepare(
        `SELECT at, rss_kb AS rssKb, hwm_kb AS hwmKb, cgroup_usage_kb AS cgroupUsageKb FROM memory_samples
         WHERE incident_id = ? ORDER BY ord`,
      )
      .all(id) as MemorySample[];
    return { oomBlock: pick('oom-block'), appTail: pick('app-tail'), guardian: pick('guardian'), memory };
  }

  /** The stored incident of `pid` that died within `slackMs` of `diedMs` (to attach the guard's memory samples). */
  incidentOfPid(pid: number, diedMs: number, slackMs: number): string | null {
    const row = this.db
      .prepare(
        `SELECT id FROM incidents WHERE pid = ? AND died_ms BETWEEN ? AND ? ORDER BY ABS(died_ms - ?) LIMIT 1`,
      )
      .get(pid, diedMs - slackMs, diedMs + slackMs, diedMs) as { id: string } | undefined;
    return row?.id ?? null;
  }

  /** Adds memory samples to an incident already stored (the guard writes its record after the kernel's). */
  attachMemory(incidentId: string, samples: readonly MemorySample[]): void {
    this.write('saving memory samples', () =>
      this.db.transaction(() => {
        this.db.prepare('DELETE FROM memory_samples WHERE incident_id = ?').run(incidentId);
        this.writeMemory(incidentId, samples);
      })(),
    );
  }

  metricTotals(): MetricTotals {
    const kills = this.db
      .prepare(
        `SELECT process, COALESCE(scope, CASE cause WHEN 'oom-daemon' THEN 'oom-daemon' ELSE 'unknown' END) AS scope,
           COUNT(*) AS count
         FROM incidents WHERE cause IN ('oom-killer', 'oom-daemon') GROUP BY 1, 2`,
      )
      .all() as { process: string; scope: string; count: number }[];
    const incidents = this.db
      .prepare(
        `SELECT COALESCE(app, process) AS app, cause, COUNT(*) AS count, MAX(died_ms) AS lastDiedMs
         FROM incidents WHERE kind = 'app' GROUP BY 1, 2`,
      )
      .all() as { app: string; cause: string; count: number; lastDiedMs: number | null }[];
    // The newest warning of each app, unless a death of the life it warned about was recorded after it.
    const warnings = (
      this.db
        .prepare(
          `SELECT w.app, w.pid, w.at_ms AS atMs, w.time_to_oom_s AS timeToOomS FROM warnings w
           WHERE w.at_ms = (SELECT MAX(at_ms) FROM warnings WHERE app = w.app)
             AND NOT EXISTS (SELECT 1 FROM incidents i WHERE i.pid = w.pid AND i.died_ms >= w.at_ms)`,
        )
        .all() as LiveWarning[]
    ).filter((w, i, all) => all.findIndex((o) => o.app === w.app) === i);
    return { kills, incidents, warnings };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private writePositions(rows: readonly SourcePositions[], nowMs: number): void {
    for (const r of rows) {
      this.upsertPosition.run(
        r.source,
        r.replay ? JSON.stringify(r.replay) : null,
        r.read ? JSON.stringify(r.read) : null,
        nowMs,
      );
    }
  }

  private writeMemory(incidentId: string, samples: readonly MemorySample[]): void {
    samples.forEach((s, ord) => {
      this.insertMemory.run(incidentId, ord, s.at, s.rssKb, s.hwmKb, s.cgroupUsageKb);
    });
  }

  /** Runs a write; SQLite's failures (disk full, I/O error, read-only) become StoreWriteError. */
  private write<T>(what: string, run: () => T): T {
    try {
      return run();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && code.startsWith('SQLITE_')) {
        throw new StoreWriteError(
          code,
          `${what} in ${this.file} failed: ${describeSqliteCode(code, error)}`,
          {
            cause: error,
          },
        );
      }
      throw error;
    }
  }
}

interface IncidentRow {
  id: string;
  kind: IncidentKind;
  app: string | null;
  host: string;
  finalized_ms: number;
  alert_state: AlertState;
  summary_id: string | null;
  incident: string;
}

function fromRow(row: IncidentRow): StoredIncident {
  return {
    id: row.id,
    kind: row.kind,
    app: row.app,
    host: row.host,
    incident: JSON.parse(row.incident) as Incident,
    finalizedMs: row.finalized_ms,
    alertState: row.alert_state,
    summaryId: row.summary_id,
  };
}

interface WarningRow {
  id: string;
  app: string;
  host: string;
  received_ms: number;
  alert_state: WarningAlertState;
  warning: string;
}

function fromWarningRow(row: WarningRow): StoredWarning {
  return {
    id: row.id,
    app: row.app,
    host: row.host,
    warning: JSON.parse(row.warning) as StoredWarning['warning'],
    receivedMs: row.received_ms,
    alertState: row.alert_state,
  };
}

interface OutboxDbRow {
  id: number;
  alert_id: string;
  kind: OutboxKind;
  webhook: string;
  payload: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_ms: number;
  last_error: string | null;
  created_ms: number;
  delivered_ms: number | null;
}

function fromOutboxRow(r: OutboxDbRow): OutboxRow {
  return {
    id: r.id,
    alertId: r.alert_id,
    kind: r.kind,
    webhook: r.webhook,
    payload: r.payload,
    state: r.state,
    attempts: r.attempts,
    nextAttemptMs: r.next_attempt_ms,
    lastError: r.last_error,
    createdMs: r.created_ms,
    deliveredMs: r.delivered_ms,
  };
}

function migrate(db: Database, from: number): void {
  for (let version = from; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}

/** The folder (0700) and an empty file (0600) before SQLite opens it: SQLite gives its WAL the file's mode. */
async function prepareFile(file: string): Promise<void> {
  const dir = path.dirname(file);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw storeOpenError(file, error, false, `cannot create the folder ${dir}`);
  }
  try {
    const handle = await open(file, 'a', 0o600);
    try {
      const { mode } = await handle.stat();
      // Incidents name processes and carry log lines: nobody but the owner reads them.
      if ((mode & 0o077) !== 0) await chmod(file, mode & 0o700);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw storeOpenError(file, error, false);
  }
}

/** better-sqlite3, loaded only here: `analyze` runs where it was never installed (it is an optional dependency). */
async function loadBetterSqlite3(): Promise<typeof BetterSqlite3> {
  try {
    return (await import('better-sqlite3')).default;
  } catch (error) {
    throw new OomsleuthError(
      'OOMS_E_STORE_SQLITE_UNAVAILABLE',
      `the SQLite module better-sqlite3 cannot be loaded: ${(error as Error).message} — watch and incidents need it ` +
        '(analyze does not): reinstall with a C++ compiler present (apt install build-essential python3), or use the ' +
        'single executable, which carries it (README, Install)',
      { cause: error },
    );
  }
}

function storeOpenError(file: string, error: unknown, readOnly: boolean, what?: string): OomsleuthError {
  const code = (error as { code?: unknown }).code;
  const detail =
    typeof code === 'string' && code.startsWith('SQLITE_')
      ? describeSqliteCode(code, error)
      : typeof code === 'string'
        ? `${errnoWords(code)} (${code})`
        : ((error as Error)?.message ?? String(error));
  const fix = readOnly
    ? 'check the path and that you may read it (watch runs as root by default: try sudo)'
    : 'pass --db with a file in a writable folder (default /var/lib/oomsleuth/oomsleuth.db as root, else $XDG_STATE_HOME/oomsleuth/oomsleuth.db), or fix the folder’s owner';
  return new OomsleuthError(
    readOnly ? 'OOMS_E_STORE_NOT_FOUND' : 'OOMS_E_STORE_UNWRITABLE',
    `${what ?? `cannot ${readOnly ? 'read' : 'open'} the store ${file}`}: ${detail} — ${fix}`,
    { cause: error },
  );
}

function errnoWords(code: string): string {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'no such file or folder';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    case 'EISDIR':
      return 'it is a folder';
    case 'ELOOP':
      return 'too many symbolic links (a link loop)';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return 'cannot be opened';
  }
}

function describeSqliteCode(code: string, error: unknown): string {
  if (code === 'SQLITE_FULL') return 'the disk is full (SQLITE_FULL)';
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY_')) return `read-only (${code})`;
  if (code === 'SQLITE_CANTOPEN') return `cannot open the file (${code})`;
  if (code === 'SQLITE_NOTADB') return `not an SQLite database (${code}) — is --db another file?`;
  if (code === 'SQLITE_CORRUPT') return `the file is damaged (${code})`;
  return `${(error as Error)?.message ?? code} (${code})`;
}
