-- One row per try limit (`token:user:<ibm id>`, `link:account:<platform id>`, ...): the
-- transaction that checks and counts a limit upserts its key first, which serializes checks of
-- the same limit (a row lock on PostgreSQL; SQLite's writers are serial already).
CREATE TABLE limit_locks (
    key TEXT PRIMARY KEY,
    hits BIGINT NOT NULL DEFAULT 0
);

-- Entries refused during the current lockout: only the first one is audited.
ALTER TABLE token_lockouts ADD COLUMN refusals BIGINT NOT NULL DEFAULT 0;

-- The per-target limit of link codes (codes mailed to one IBM ID an hour).
CREATE INDEX link_codes_by_ibm_id ON link_codes (ibm_id, created_at);

-- Wrong company tokens from all users within the window (the budget every company shares).
CREATE INDEX token_attempts_by_time ON token_attempts (succeeded, at);
