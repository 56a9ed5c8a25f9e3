-- Partner workflows (issue 6), SQLite dialect: company-token attempts and lockouts, the grant a
-- correct token gives to pick a location, one-time codes that link a chat account to an IBM ID,
-- and the links themselves. Keep in step with migrations/postgres/0002_workflows.sql.

-- How often documents were requested for a registration (each request mails the applicant once).
ALTER TABLE registrations ADD COLUMN documents_requests INTEGER NOT NULL DEFAULT 0;
-- The reason of a rejected registration.
ALTER TABLE registrations ADD COLUMN reason TEXT;
ALTER TABLE registrations ADD COLUMN decided_at TEXT;
-- Through which channel a join request was decided (`cli`, `console`, `discord`).
ALTER TABLE join_requests ADD COLUMN decided_via TEXT;

CREATE INDEX company_tokens_by_hash ON company_tokens (token_hash);
CREATE INDEX registrations_by_company ON registrations (company_id, status);

-- Every company-token entry; failures drive the per-user lockout.
CREATE TABLE token_attempts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    actor      TEXT    NOT NULL,
    succeeded  BOOLEAN NOT NULL,
    company_id INTEGER REFERENCES companies (id) ON DELETE SET NULL,
    channel    TEXT    NOT NULL,
    at         TEXT    NOT NULL
);
CREATE INDEX token_attempts_by_actor ON token_attempts (actor, at);

-- A user locked out of token entry until `locked_until`.
CREATE TABLE token_lockouts (
    actor        TEXT PRIMARY KEY,
    locked_at    TEXT NOT NULL,
    locked_until TEXT NOT NULL
);

-- A correct token lets its user pick one of the company's locations for a while; rotating the
-- token invalidates the grant (its token_hash no longer matches).
CREATE TABLE join_grants (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    actor          TEXT    NOT NULL,
    company_id     INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    token_hash     TEXT    NOT NULL,
    profile_name   TEXT,
    profile_locale TEXT,
    created_at     TEXT    NOT NULL,
    expires_at     TEXT    NOT NULL
);
CREATE INDEX join_grants_by_actor ON join_grants (actor, company_id);

-- One-time codes of `/link ibm-id:`: hashed, valid for a while, a few tries.
CREATE TABLE link_codes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    platform_id TEXT    NOT NULL,
    ibm_id      TEXT    NOT NULL,
    code_hash   TEXT    NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    expires_at  TEXT    NOT NULL,
    used_at     TEXT,
    created_at  TEXT    NOT NULL
);
CREATE INDEX link_codes_by_platform ON link_codes (platform_id, created_at);

-- Chat accounts linked to a person (Discord links are also kept in people.discord_user_id).
CREATE TABLE chat_links (
    platform_id TEXT    PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    linked_at   TEXT    NOT NULL
);
