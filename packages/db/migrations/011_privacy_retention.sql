-- Privacy by design: where a consultation's retention period comes from, what an erasure keeps, and a log of
-- every deletion and anonymisation of personal data (by the retention job or by an admin), for the data
-- protection officer.

-- Null now means "the area's period" (areas.retention_days). Consultations made before this migration keep the
-- period they were given (365 unless staff chose another): we cannot tell a chosen 365 from the default.
ALTER TABLE consultations ALTER COLUMN retention_days DROP NOT NULL;
ALTER TABLE consultations ALTER COLUMN retention_days DROP DEFAULT;

-- When someone asks for their data to be erased: true keeps the text of their approved comments (anonymised:
-- no name, email or pinned place) as part of the public record of the decision; false deletes the comments.
ALTER TABLE areas ADD COLUMN erase_keeps_approved_text boolean NOT NULL DEFAULT true;

-- Subject access and erasure look comments up by email address, however it was typed.
CREATE INDEX comments_email_idx ON comments (lower(email)) WHERE email IS NOT NULL;

-- One row per record whose personal data was deleted or anonymised, or per export. It never holds the personal
-- data itself (no names, no email addresses): only which record, what was done, why, and by whom.
CREATE TABLE privacy_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  -- anonymise-comment, delete-comment, delete-session, delete-user, export-subject
  action text NOT NULL CHECK (action IN ('anonymise-comment', 'delete-comment', 'delete-session', 'delete-user',
    'export-subject')),
  -- comment, session, user, subject
  record_type text NOT NULL CHECK (record_type IN ('comment', 'session', 'user', 'subject')),
  -- The record's id (a session: its user's id; an export: null).
  record_id bigint,
  area_id text REFERENCES areas (id) ON DELETE SET NULL,
  -- retention-period-ended, session-expired, erasure-request, subject-access-request
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 200),
  -- 'retention-job', or 'user:<id>' for the admin who asked (kept when the account is deleted later).
  actor text NOT NULL CHECK (length(actor) BETWEEN 1 AND 100),
  -- Counts and flags (e.g. whether the comment text was kept), never personal data.
  detail jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX privacy_log_at_idx ON privacy_log (at DESC);
CREATE INDEX privacy_log_area_idx ON privacy_log (area_id, at DESC)
