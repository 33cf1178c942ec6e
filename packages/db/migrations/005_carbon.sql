-- Carbon what-if (packages/carbon): the area's own inputs, saved lever sets and computed trajectories.
-- Lever sets and inputs are stored as the JSON of @placetwin/carbon's types and checked by the API before writing.

-- Per dataset: what the twin's stock does not hold (transport activity, other sectors), the targets and the
-- carbon budget, and the baseline year.
CREATE TABLE carbon_area_inputs (
  dataset_id integer PRIMARY KEY REFERENCES datasets (id) ON DELETE CASCADE,
  start_year integer NOT NULL CHECK (start_year BETWEEN 1990 AND 2100),
  inputs jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE carbon_lever_sets (
  id serial PRIMARY KEY,
  dataset_id integer NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  levers jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (dataset_id, name)
);

-- Results keyed by the hash of everything they depend on (lever set, area inputs, stock version, model version),
-- so asking again is instant and a changed input can never be answered from a stale row.
CREATE TABLE carbon_results (
  dataset_id integer NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
  inputs_hash text NOT NULL CHECK (inputs_hash ~ '^[0-9a-f]{64}$'),
  result jsonb NOT NULL,
  computed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (dataset_id, inputs_hash)
);
