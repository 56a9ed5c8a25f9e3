-- Sensitive outbox bodies (issue 14): a message whose body is a secret (the one-time code of
-- /link) is flagged when written and its body is cleared once it is sent, so the code does not
-- stay readable in the database (or in `outbox list`) after it did its job. Which messages are
-- sensitive is decided by their dedupe key (`link-code:` — see SENSITIVE_KEY_PREFIXES in
-- src/store/outbox.rs), so every code path that writes one is covered.
-- Keep in step with migrations/sqlite/0010_hardening.sql.

ALTER TABLE outbox ADD COLUMN sensitive BOOLEAN NOT NULL DEFAULT FALSE;

CREATE FUNCTION outbox_sensitive_body() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.sensitive := NEW.dedupe_key LIKE 'link-code:%';
    ELSIF NEW.status = 'sent' AND NEW.sensitive THEN
        NEW.body_text := '';
        NEW.body_html := NULL;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER outbox_sensitive_body BEFORE INSERT OR UPDATE OF status ON outbox
FOR EACH ROW EXECUTE FUNCTION outbox_sensitive_body();
