-- Sensitive outbox bodies (issue 14): a message whose body is a secret (the one-time code of
-- /link) is flagged when written and its body is cleared once it is sent, so the code does not
-- stay readable in the database (or in `outbox list`) after it did its job. Which messages are
-- sensitive is decided by their dedupe key (`link-code:` — see SENSITIVE_KEY_PREFIXES in
-- src/store/outbox.rs), so every code path that writes one is covered.
-- Keep in step with migrations/postgres/0010_hardening.sql.

ALTER TABLE outbox ADD COLUMN sensitive INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER outbox_flag_sensitive AFTER INSERT ON outbox
WHEN NEW.dedupe_key LIKE 'link-code:%'
BEGIN
    UPDATE outbox SET sensitive = 1 WHERE id = NEW.id;
END;

CREATE TRIGGER outbox_clear_sensitive AFTER UPDATE OF status ON outbox
WHEN NEW.status = 'sent' AND NEW.sensitive = 1
BEGIN
    UPDATE outbox SET body_text = '', body_html = NULL WHERE id = NEW.id;
END;
