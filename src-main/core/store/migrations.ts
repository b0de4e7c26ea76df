/**
 * Versioned schema of the store. A migration is never edited once shipped: add a new one.
 * Times are epoch milliseconds (INTEGER) everywhere, so sorting and ranges are cheap and unambiguous.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'supervisor core',
    sql: `
      CREATE TABLE processes (
        name        TEXT PRIMARY KEY,
        spec_json   TEXT NOT NULL,
        state       TEXT NOT NULL DEFAULT 'stopped',
        pid         INTEGER,
        restarts    INTEGER NOT NULL DEFAULT 0,
        last_exit_code INTEGER,
        last_signal TEXT,
        reason      TEXT,
        updated_at  INTEGER NOT NULL
      );
      -- One row per start of a child. ended_at IS NULL means "believed running".
      CREATE TABLE runs (
        id          INTEGER PRIMARY KEY,
        process     TEXT NOT NULL,
        pid         INTEGER NOT NULL,
        pgid        INTEGER NOT NULL,
        supervisor_pid INTEGER NOT NULL,
        started_at  INTEGER NOT NULL,
        ended_at    INTEGER,
        exit_code   INTEGER,
        signal      TEXT,
        reason      TEXT
      );
      CREATE INDEX runs_process ON runs(process, started_at);
      CREATE INDEX runs_open ON runs(ended_at) WHERE ended_at IS NULL;
      -- Every state transition and restart decision of a process.
      CREATE TABLE events (
        id          INTEGER PRIMARY KEY,
        process     TEXT NOT NULL,
        at          INTEGER NOT NULL,
        from_state  TEXT,
        to_state    TEXT NOT NULL,
        reason      TEXT,
        data_json   TEXT
      );
      CREATE INDEX events_process ON events(process, at);
      -- Captured stdout/stderr, a row per line; stream: out | err | sys (spawn/exit markers).
      CREATE TABLE logs (
        id          INTEGER PRIMARY KEY,
        process     TEXT NOT NULL,
        run_id      INTEGER,
        stream      TEXT NOT NULL,
        at          INTEGER NOT NULL,
        line        TEXT NOT NULL
      );
      CREATE INDEX logs_process ON logs(process, id);
      CREATE INDEX logs_at ON logs(at);
      -- Sentinel's own warnings and errors.
      CREATE TABLE meta_logs (
        id          INTEGER PRIMARY KEY,
        at          INTEGER NOT NULL,
        level       TEXT NOT NULL,
        scope       TEXT NOT NULL,
        message     TEXT NOT NULL,
        data_json   TEXT
      );
      CREATE INDEX meta_logs_at ON meta_logs(at);
      -- What a start after a crash found and did.
      CREATE TABLE reconciliations (
        id          INTEGER PRIMARY KEY,
        at          INTEGER NOT NULL,
        run_id      INTEGER,
        process     TEXT,
        pid         INTEGER,
        action      TEXT NOT NULL,
        detail      TEXT
      );
    `,
  },
  {
    version: 2,
    name: 'health and failures',
    sql: `
      CREATE TABLE health_checks (
        id          INTEGER PRIMARY KEY,
        check_name  TEXT NOT NULL,
        service     TEXT,
        at          INTEGER NOT NULL,
        ok          INTEGER NOT NULL,
        latency_ms  REAL,
        error       TEXT,
        data_json   TEXT
      );
      CREATE INDEX health_checks_at ON health_checks(at);
      CREATE INDEX health_checks_name ON health_checks(check_name, at);
      CREATE TABLE failures (
        id                 INTEGER PRIMARY KEY,
        service            TEXT NOT NULL,
        kind               TEXT NOT NULL,
        started_at         INTEGER NOT NULL,
        detected_by        TEXT,
        reason             TEXT NOT NULL,
        status_json        TEXT,
        checks_json        TEXT,
        diagnostics_json   TEXT,
        upstream_down      INTEGER NOT NULL DEFAULT 0,
        restart_attempted  INTEGER NOT NULL DEFAULT 0,
        restart_successful INTEGER,
        recovered_at       INTEGER,
        time_to_recover_ms INTEGER,
        outcome            TEXT,
        timeline_json      TEXT NOT NULL DEFAULT '[]'
      );
      CREATE INDEX failures_time ON failures(started_at);
      CREATE INDEX failures_service ON failures(service, started_at);
    `,
  },
  {
    version: 3,
    name: 'schedules and metrics',
    sql: `
      CREATE TABLE schedules (
        process     TEXT PRIMARY KEY,
        spec_json   TEXT NOT NULL,
        enabled     INTEGER NOT NULL DEFAULT 1,
        last_run    INTEGER,
        next_run    INTEGER,
        runs        INTEGER NOT NULL DEFAULT 0,
        skipped     INTEGER NOT NULL DEFAULT 0
      );
      -- Resource samples of a whole process group; resolution 0 = raw, 60000 = minute averages …
      CREATE TABLE metrics (
        id          INTEGER PRIMARY KEY,
        process     TEXT NOT NULL,
        at          INTEGER NOT NULL,
        resolution  INTEGER NOT NULL DEFAULT 0,
        cpu         REAL NOT NULL,
        memory      INTEGER NOT NULL,
        pids        INTEGER NOT NULL DEFAULT 1
      );
      CREATE INDEX metrics_process ON metrics(process, resolution, at);
      CREATE TABLE settings (
        key         TEXT PRIMARY KEY,
        value_json  TEXT NOT NULL
      );
    `,
  },
  {
    version: 4,
    name: 'alert deliveries',
    sql: `
      -- One row per alert per channel: sent, failed (after its retries), held (quiet hours, storm) or covered by a
      -- summary. URLs and errors are stored redacted; payload_json keeps the alert so held ones survive a restart.
      CREATE TABLE alert_deliveries (
        id          INTEGER PRIMARY KEY,
        alert_id    TEXT NOT NULL,
        kind        TEXT NOT NULL,
        service     TEXT,
        failure_id  INTEGER,
        channel     TEXT NOT NULL,
        channel_type TEXT NOT NULL,
        status      TEXT NOT NULL,
        attempts    INTEGER NOT NULL DEFAULT 0,
        detail      TEXT,
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL,
        summary_id  TEXT,
        payload_json TEXT NOT NULL
      );
      CREATE INDEX alert_deliveries_failure ON alert_deliveries(failure_id) WHERE failure_id IS NOT NULL;
      CREATE INDEX alert_deliveries_status ON alert_deliveries(status) WHERE status IN ('held', 'storm', 'sending');
      CREATE INDEX alert_deliveries_time ON alert_deliveries(created_at);
    `,
  },
  {
    version: 5,
    name: 'logs: a row per read',
    sql: `
      -- A row holds the lines of one read from a child's pipe, joined by newlines; rows of older versions hold one.
      ALTER TABLE logs ADD COLUMN lines INTEGER NOT NULL DEFAULT 1;
    `,
  },
];
