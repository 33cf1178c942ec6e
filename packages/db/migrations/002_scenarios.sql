-- Scenarios: a baseline dataset + an ordered change set (packages/scenario), versioned for optimistic
-- concurrency. Every edit carries the version it was made on and bumps it, so two editors never silently
-- overwrite each other.

CREATE TABLE scenarios (
  id bigserial PRIMARY KEY,
  dataset_id integer NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
  -- Only published scenarios may reach the public (consultation) API.
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
  -- Bumped by every edit (changes, undo, redo, name, site, status).
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  -- The version of the last edit to the change set: the overlay tileset is current when it was built for it.
  changes_version integer NOT NULL DEFAULT 1,
  -- The study area (red line boundary) indicators are measured over; null means the dataset's extent.
  site geometry(MultiPolygon, 4326),
  -- The overlay tileset last built: { changesVersion, tilesetUrl, hiddenBuildingIds, added, modified, demolished }.
  overlay jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  UNIQUE (dataset_id, name)
);
CREATE INDEX scenarios_status_idx ON scenarios (status);

-- The change set with its whole history. A change is `active` (applied, in seq order), `undone` (on the redo
-- stack) or `discarded` (undone and then superseded by a new change). Undo marks the last active change undone;
-- redo re-activates the first undone one; appending discards the redo stack. Nothing is ever deleted.
CREATE TABLE scenario_changes (
  scenario_id bigint NOT NULL REFERENCES scenarios (id) ON DELETE CASCADE,
  seq integer NOT NULL CHECK (seq >= 1),
  change jsonb NOT NULL,
  state text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'undone', 'discarded')),
  -- The scenario version that appended it.
  version integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  state_changed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scenario_id, seq)
);
CREATE INDEX scenario_changes_state_idx ON scenario_changes (scenario_id, state, seq);
