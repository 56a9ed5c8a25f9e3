-- The operators' web console: operator accounts (argon2id password hashes, one-time setup
-- links), their sessions (the cookie holds a random id; only its SHA-256 is stored), and login
-- attempts (rate limit and audit). Plus indexes for the console's filters.
-- Keep in step with migrations/postgres/0012_console.sql.

CREATE TABLE operators (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    ibm_id           TEXT    NOT NULL UNIQUE,
    password_hash    TEXT,
    setup_token_hash TEXT    UNIQUE,
    setup_expires_at TEXT,
    created_by       TEXT    NOT NULL,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
);

CREATE TABLE operator_sessions (
    id_hash      TEXT    PRIMARY KEY,
    operator_id  INTEGER NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
    csrf_token   TEXT    NOT NULL,
    remote       TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    expires_at   TEXT    NOT NULL
);
CREATE INDEX operator_sessions_by_expiry ON operator_sessions (expires_at);

CREATE TABLE operator_login_attempts (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT    NOT NULL,
    ibm_id    TEXT    NOT NULL,
    remote    TEXT    NOT NULL,
    succeeded BOOLEAN NOT NULL
);
CREATE INDEX operator_login_attempts_by_id ON operator_login_attempts (ibm_id, at);
CREATE INDEX operator_login_attempts_by_remote ON operator_login_attempts (remote, at);

CREATE INDEX outbox_by_recipient ON outbox (recipient, id);
CREATE INDEX outbox_by_status_id ON outbox (status, id);
CREATE INDEX audit_log_by_actor ON audit_log (actor, id);
CREATE INDEX audit_log_by_action ON audit_log (action, id);
-- The renewal pipeline counts by day, rep and status from this index alone (no table reads).
CREATE INDEX contracts_pipeline ON contracts (status, renewal_date, sales_rep_email, sales_rep_name);
CREATE INDEX audit_log_by_subject ON audit_log (subject, id);
