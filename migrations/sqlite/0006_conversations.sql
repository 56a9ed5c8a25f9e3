-- The desk's memory of a conversation: the last topic, the slots it used (date, contact,
-- company) and the last few turns (for a hand-off to staff), so a follow-up is read against it
-- after a restart and on every replica. Rows older than the idle time are ignored, and the
-- retention job deletes them.
CREATE TABLE conversations (
    conversation_key TEXT PRIMARY KEY,
    last_topic       TEXT NOT NULL,
    state            TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);

-- Every answer the desk gave: topics, confidence, language and outcome, for
-- `partnerdesk questions unanswered`. The question's text is kept only where that command
-- needs it (unknown, low confidence, clarified, handed off, 👎); otherwise NULL.
CREATE TABLE desk_questions (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    asked_at         TEXT NOT NULL,
    conversation_key TEXT NOT NULL,
    lang             TEXT NOT NULL,
    topics           TEXT NOT NULL,
    confidence       REAL NOT NULL,
    outcome          TEXT NOT NULL CHECK (outcome IN ('answered', 'clarified', 'unknown', 'handed-off')),
    question         TEXT,
    feedback         TEXT CHECK (feedback IN ('up', 'down'))
);
CREATE INDEX desk_questions_asked_at ON desk_questions (asked_at);
