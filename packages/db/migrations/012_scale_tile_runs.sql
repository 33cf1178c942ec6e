-- Tiling as jobs: a run tiles one dataset, one job per content cell of its quadtree (see @placetwin/cli jobs.ts).
-- The queue itself (pg-boss) keeps its own tables in its own schema; these record what the jobs built, so the last
-- cell to finish can start the job that writes tileset.json, and `placetwin jobs list` can show progress.

CREATE TABLE tile_runs (
  -- The id of the pg-boss job that planned the run.
  id text PRIMARY KEY,
  dataset text NOT NULL,
  state text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'done', 'cancelled', 'failed')),
  -- The tileset plan (@placetwin/tiles TilePlan) without the cells' building ids, which travel in the cell jobs.
  plan jsonb NOT NULL,
  cells_total integer NOT NULL CHECK (cells_total > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);

CREATE TABLE tile_run_cells (
  run_id text NOT NULL REFERENCES tile_runs (id) ON DELETE CASCADE,
  cell integer NOT NULL CHECK (cell >= 0),
  -- @placetwin/tiles CellResult: the content tile, its bounds and the content-addressed glb name.
  result jsonb NOT NULL,
  -- Which worker built it (host:pid), for the record.
  worker text NOT NULL,
  built_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, cell)
);
