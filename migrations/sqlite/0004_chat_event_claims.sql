-- Gateway events (interactions, messages) claimed by the replica that handles them: every
-- replica's bot receives every event, and only the first insert answers it.
CREATE TABLE chat_event_claims (
    event_id   TEXT PRIMARY KEY,
    claimed_by TEXT NOT NULL,
    claimed_at TEXT NOT NULL
);
CREATE INDEX chat_event_claims_by_time ON chat_event_claims (claimed_at);
