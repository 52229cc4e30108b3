// The store's schema, one migration per version (PRAGMA user_version counts them). A migration is never edited once
// released: a change is a new entry, so a store written by any earlier version is brought up to date in order.

export const MIGRATIONS: readonly string[] = [
  // 1: incidents with their evidence bundle, the lines they claimed, source positions and the alert outbox.
  `
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );

  CREATE TABLE incidents (
    id           TEXT PRIMARY KEY,
    -- 'app': a death of the app (or, with no app in focus, any OOM-killed process); 'other': a kill of another process.
    kind         TEXT NOT NULL CHECK (kind IN ('app', 'other')),
    app          TEXT,
    host         TEXT NOT NULL,
    process      TEXT NOT NULL,
    pid          INTEGER,
    cause        TEXT NOT NULL,
    confidence   TEXT NOT NULL,
    scope        TEXT,
    died_at      TEXT,
    died_ms      INTEGER,
    finalized_ms INTEGER NOT NULL,
    -- 'alerted' | 'held' (crash loop, waits for a summary) | 'summarized' | 'backlog' | 'not-alerted' | 'no-webhook'
    alert_state  TEXT NOT NULL,
    summary_id   TEXT,
    incident     TEXT NOT NULL
  );
  CREATE INDEX incidents_by_time ON incidents (died_ms);
  CREATE INDEX incidents_by_alert ON incidents (alert_state, process);

  CREATE TABLE bundle_lines (
    incident_id TEXT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    -- 'oom-block' | 'app-tail' | 'guardian'
    part        TEXT NOT NULL,
    ord         INTEGER NOT NULL,
    source      TEXT NOT NULL,
    line        INTEGER,
    text        TEXT NOT NULL,
    PRIMARY KEY (incident_id, part, ord)
  );

  CREATE TABLE memory_samples (
    incident_id     TEXT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    ord             INTEGER NOT NULL,
    at              TEXT NOT NULL,
    rss_kb          INTEGER,
    hwm_kb          INTEGER,
    cgroup_usage_kb INTEGER,
    PRIMARY KEY (incident_id, ord)
  );

  -- Every line an incident was built from: a line claimed once never makes a second incident, across restarts.
  CREATE TABLE claims (
    key         TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL,
    created_ms  INTEGER NOT NULL
  );
  CREATE INDEX claims_by_time ON claims (created_ms);

  CREATE TABLE positions (
    source     TEXT PRIMARY KEY,
    -- where a restart re-reads from (the oldest line still needed), and how far reading had got
    replay     TEXT,
    read       TEXT,
    updated_ms INTEGER NOT NULL
  );

  CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    -- the idempotency key sent with the alert: the incident id, or the summary id
    alert_id        TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('incident', 'summary')),
    -- a digest of the webhook's URL and format: the URL itself (it holds tokens) is never stored
    webhook         TEXT NOT NULL,
    payload         TEXT NOT NULL,
    -- 'pending' | 'delivered' | 'failed'
    state           TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms INTEGER NOT NULL,
    last_error      TEXT,
    created_ms      INTEGER NOT NULL,
    delivered_ms    INTEGER,
    UNIQUE (alert_id, webhook)
  );
  CREATE INDEX outbox_due ON outbox (state, next_attempt_ms);
  `,
  // 2: early warnings from oomsleuth guard (one per life of the app), and the outbox takes their alerts.
  `
  CREATE TABLE warnings (
    -- the idempotency key: one per life (process, pid, when it started)
    id           TEXT PRIMARY KEY,
    app          TEXT NOT NULL,
    host         TEXT NOT NULL,
    pid          INTEGER NOT NULL,
    started_at   TEXT NOT NULL,
    at           TEXT NOT NULL,
    at_ms        INTEGER NOT NULL,
    -- 'trend' | 'near-limit'
    reason       TEXT NOT NULL,
    time_to_oom_s REAL,
    received_ms  INTEGER NOT NULL,
    -- 'alerted' | 'repeated' (another warning of the app was alerted within the crash-loop window) | 'backlog'
    -- | 'no-webhook'
    alert_state  TEXT NOT NULL,
    -- the guard's record as it wrote it
    warning      TEXT NOT NULL
  );
  -- One row per life of the app that was warned about: few enough to need no index.

  -- SQLite cannot alter a CHECK: the outbox is rebuilt with 'warning' among its kinds, rows and ids kept.
  CREATE TABLE outbox_v2 (
    id              INTEGER PRIMARY KEY,
    alert_id        TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('incident', 'summary', 'warning')),
    webhook         TEXT NOT NULL,
    payload         TEXT NOT NULL,
    state           TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms INTEGER NOT NULL,
    last_error      TEXT,
    created_ms      INTEGER NOT NULL,
    delivered_ms    INTEGER,
    UNIQUE (alert_id, webhook)
  );
  INSERT INTO outbox_v2 SELECT id, alert_id, kind, webhook, payload, state, attempts, next_attempt_ms, last_error,
    created_ms, delivered_ms FROM outbox;
  DROP TABLE outbox;
  ALTER TABLE outbox_v2 RENAME TO outbox;
  CREATE INDEX outbox_due ON outbox (state, next_attempt_ms);
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
