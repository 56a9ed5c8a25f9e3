-- This installation's id: created once, here, and the same for every replica of the database.
-- Mail Message-IDs are derived from it and the outbox dedupe key, so two installations (or a
-- move to another database, unless this row is copied) never repeat each other's Message-IDs.
CREATE TABLE installation (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    id        TEXT NOT NULL CHECK (length(id) >= 16)
);
INSERT INTO installation (singleton, id)
VALUES (1, md5(random()::text || clock_timestamp()::text || pg_backend_pid()::text));
