-- Journeys (issue 13), PostgreSQL dialect. Keep in step with migrations/sqlite/0007_journeys.sql.
-- Registrations gain the `documents-received` step, the first location the registrant gave, who
-- became the company's APA on completion, where documents go (as configured when they were
-- requested, JSON) and the note of their receipt.
ALTER TABLE registrations DROP CONSTRAINT registrations_status_check;
ALTER TABLE registrations ADD CONSTRAINT registrations_status_check CHECK (status IN ('submitted', 'under-review', 'documents-requested', 'documents-received', 'completed', 'rejected'));
ALTER TABLE registrations ADD COLUMN location_name TEXT;
ALTER TABLE registrations ADD COLUMN apa_id BIGINT REFERENCES people (id);
ALTER TABLE registrations ADD COLUMN documents_to TEXT;
ALTER TABLE registrations ADD COLUMN received_note TEXT;

-- A company token made on completion is shown once, in chat, to the APA named here: the
-- plaintext is never stored; revealing issues a fresh token and deletes this row.
CREATE TABLE token_reveals (
    company_id BIGINT      PRIMARY KEY REFERENCES companies (id) ON DELETE CASCADE,
    person_id  BIGINT      NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL
);
