-- Journeys (issue 13), SQLite dialect. Keep in step with migrations/postgres/0007_journeys.sql.
-- Registrations gain the `documents-received` step (SQLite cannot alter a CHECK, so the table is
-- rebuilt; no other table references it), the first location the registrant gave, who became
-- the company's APA on completion, where documents go (as configured when they were requested,
-- JSON) and the note of their receipt.
CREATE TABLE registrations_new (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id         INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    applicant_id       INTEGER NOT NULL REFERENCES people (id),
    status             TEXT    NOT NULL CHECK (status IN ('submitted', 'under-review', 'documents-requested', 'documents-received', 'completed', 'rejected')),
    note               TEXT,
    decided_by         TEXT,
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL,
    documents_requests INTEGER NOT NULL DEFAULT 0,
    reason             TEXT,
    decided_at         TEXT,
    location_name      TEXT,
    apa_id             INTEGER REFERENCES people (id),
    documents_to       TEXT,
    received_note      TEXT
);
INSERT INTO registrations_new (id, company_id, applicant_id, status, note, decided_by, created_at,
                               updated_at, documents_requests, reason, decided_at)
    SELECT id, company_id, applicant_id, status, note, decided_by, created_at, updated_at,
           documents_requests, reason, decided_at
    FROM registrations;
DROP TABLE registrations;
ALTER TABLE registrations_new RENAME TO registrations;
CREATE INDEX registrations_by_company ON registrations (company_id, status);

-- A company token made on completion is shown once, in chat, to the APA named here: the
-- plaintext is never stored; revealing issues a fresh token and deletes this row.
CREATE TABLE token_reveals (
    company_id INTEGER PRIMARY KEY REFERENCES companies (id) ON DELETE CASCADE,
    person_id  INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_at TEXT    NOT NULL
);
