-- Staff accounts and their sessions (the public needs no account), public consultations on published scenarios,
-- and residents' comments, which reach the public only once a planner approves them.

CREATE TABLE users (
  id bigserial PRIMARY KEY,
  -- Stored lower-case: sign-in matches it however the user types it.
  email text NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
  role text NOT NULL CHECK (role IN ('admin', 'planner', 'councillor')),
  -- `$scrypt$ln=17,r=8,p=1$<salt>$<hash>` (base64): the cost travels with the hash, so it can be raised later.
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- A disabled account keeps its history (moderation decisions) but cannot sign in.
  disabled_at timestamptz
);

-- Sessions live here, not in a process, so every server process behind a load balancer sees the same ones.
-- Only the SHA-256 of the token is stored: a copy of this table does not let anyone sign in.
CREATE TABLE sessions (
  token_hash bytea PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- The synchronizer token that every cookie-authenticated write must echo (x-csrf-token header or _csrf field).
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE consultations (
  id bigserial PRIMARY KEY,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 150),
  -- What is proposed, in plain English, written by the planner.
  summary text NOT NULL CHECK (length(summary) BETWEEN 1 AND 5000),
  -- The public sees a consultation only while this scenario is published.
  scenario_id bigint NOT NULL REFERENCES scenarios (id) ON DELETE RESTRICT,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
  opens_at timestamptz NOT NULL,
  closes_at timestamptz NOT NULL,
  privacy_notice text NOT NULL CHECK (length(privacy_notice) BETWEEN 1 AND 10000),
  -- Days after the consultation closes at which commenters' names and email addresses are deleted.
  retention_days integer NOT NULL DEFAULT 365 CHECK (retention_days BETWEEN 1 AND 3650),
  created_by bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  opened_at timestamptz,
  closed_at timestamptz,
  CHECK (closes_at > opens_at)
);
CREATE INDEX consultations_status_idx ON consultations (status);

CREATE TABLE comments (
  id bigserial PRIMARY KEY,
  consultation_id bigint NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
  -- Null: the commenter chose to be anonymous (or the retention period removed the name).
  name text CHECK (name IS NULL OR length(name) BETWEEN 1 AND 100),
  -- Optional, for replies only; never public; removed with the name when the retention period ends.
  email text CHECK (email IS NULL OR length(email) BETWEEN 3 AND 254),
  category text NOT NULL CHECK (category IN ('support', 'object', 'question')),
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
  -- The place the comment is about, when the commenter pinned one.
  point geometry(Point, 4326),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  created_at timestamptz NOT NULL DEFAULT now(),
  moderated_at timestamptz,
  moderated_by bigint REFERENCES users (id) ON DELETE SET NULL,
  personal_data_removed_at timestamptz
);
CREATE INDEX comments_consultation_idx ON comments (consultation_id, status, id);
CREATE INDEX comments_point_gix ON comments USING gist (point);
