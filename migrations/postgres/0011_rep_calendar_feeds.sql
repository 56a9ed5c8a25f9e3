-- The secret of each sales rep's .ics feed of renewal deadlines (GET /calendar/<secret>.ics),
-- stored only as its SHA-256 hash; rotating it replaces the row, so the old URL stops working.
CREATE TABLE rep_calendar_feeds (
    ibm_id      TEXT        PRIMARY KEY,
    secret_hash TEXT        NOT NULL UNIQUE,
    created_at  TIMESTAMPTZ NOT NULL,
    created_by  TEXT        NOT NULL
);
-- A feed reads one rep's open contracts.
CREATE INDEX contracts_by_rep ON contracts (sales_rep_email, status);
