-- A chat account's saved reply language (`/lang`), so the choice survives restarts and is
-- the same on every replica. Keyed by platform id (`discord:<snowflake>`, `console:<name>`):
-- accounts that are not linked to a person can choose too.
CREATE TABLE chat_preferences (
    platform_id TEXT PRIMARY KEY,
    locale      TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
