-- partnerdesk schema, SQLite dialect. Timestamps are UTC (RFC 3339 text), civil dates YYYY-MM-DD.
-- Keep in step with migrations/postgres/0001_initial.sql: same tables, columns and constraints.

CREATE TABLE companies (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL,
    icn         TEXT,
    site_number TEXT,
    status      TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('registering', 'active', 'rejected')),
    locale      TEXT    NOT NULL DEFAULT 'ja',
    created_at  TEXT    NOT NULL
);

CREATE TABLE locations (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    UNIQUE (company_id, name)
);

CREATE TABLE people (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    ibm_id          TEXT    NOT NULL UNIQUE,
    name            TEXT    NOT NULL,
    locale          TEXT    NOT NULL DEFAULT 'ja',
    time_zone       TEXT    NOT NULL DEFAULT 'Asia/Tokyo',
    discord_user_id TEXT    UNIQUE,
    created_at      TEXT    NOT NULL
);

CREATE TABLE memberships (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id        INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    company_id       INTEGER REFERENCES companies (id) ON DELETE CASCADE,
    location_id      INTEGER REFERENCES locations (id) ON DELETE SET NULL,
    role             TEXT    NOT NULL CHECK (role IN ('member', 'apa', 'primary-contact', 'technical-contact', 'sales-rep', 'admin')),
    permission_level TEXT,
    created_at       TEXT    NOT NULL
);
CREATE UNIQUE INDEX memberships_one_role ON memberships (person_id, role, COALESCE(company_id, 0));
CREATE UNIQUE INDEX memberships_one_primary_contact ON memberships (company_id) WHERE role = 'primary-contact';

CREATE TABLE company_tokens (
    company_id INTEGER PRIMARY KEY REFERENCES companies (id) ON DELETE CASCADE,
    token_hash TEXT    NOT NULL,
    created_by TEXT    NOT NULL,
    created_at TEXT    NOT NULL
);

CREATE TABLE registrations (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id   INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    applicant_id INTEGER NOT NULL REFERENCES people (id),
    status       TEXT    NOT NULL CHECK (status IN ('submitted', 'under-review', 'documents-requested', 'completed', 'rejected')),
    note         TEXT,
    decided_by   TEXT,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
);

CREATE TABLE join_requests (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id        INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    company_id       INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    location_id      INTEGER NOT NULL REFERENCES locations (id),
    method           TEXT    NOT NULL CHECK (method IN ('token', 'apa')),
    status           TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'expired')),
    permission_level TEXT,
    reason           TEXT,
    decided_by       TEXT,
    decided_at       TEXT,
    created_at       TEXT    NOT NULL
);
CREATE UNIQUE INDEX join_requests_one_pending ON join_requests (person_id, company_id) WHERE status = 'pending';
CREATE INDEX join_requests_by_status ON join_requests (status, created_at);

CREATE TABLE contracts (
    id              TEXT PRIMARY KEY,
    company         TEXT NOT NULL,
    product         TEXT NOT NULL,
    renewal_date    TEXT NOT NULL,
    sales_rep_email TEXT NOT NULL,
    sales_rep_name  TEXT NOT NULL,
    sales_rep_lang  TEXT NOT NULL,
    sales_rep_tz    TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'quoted', 'renewed', 'lost')),
    updated_at      TEXT NOT NULL
);
CREATE INDEX contracts_open_by_date ON contracts (status, renewal_date);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    channel         TEXT    NOT NULL CHECK (channel IN ('email', 'discord')),
    recipient       TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    body_text       TEXT    NOT NULL,
    body_html       TEXT,
    -- JSON for the channel: Discord buttons, mentions; NULL for plain email.
    payload         TEXT,
    locale          TEXT    NOT NULL,
    dedupe_key      TEXT    NOT NULL UNIQUE,
    status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT    NOT NULL,
    lease_owner     TEXT,
    lease_until     TEXT,
    last_error      TEXT,
    created_at      TEXT    NOT NULL,
    sent_at         TEXT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

CREATE TABLE job_runs (
    job           TEXT NOT NULL,
    scheduled_for TEXT NOT NULL,
    claimed_by    TEXT NOT NULL,
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    outcome       TEXT,
    detail        TEXT,
    PRIMARY KEY (job, scheduled_for)
);

CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    channel TEXT NOT NULL,
    action  TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail  TEXT NOT NULL
);
CREATE INDEX audit_log_by_time ON audit_log (at);
