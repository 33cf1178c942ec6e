-- Progress of queued jobs other than tiling (imports): the queue (pg-boss) keeps the jobs in its own schema, and
-- each job carries its area in its data; this table holds how far a running job has got (rows or features done),
-- written as it works, outside the job's own transaction, so staff and `placetwin jobs` can watch it.
CREATE TABLE job_progress (
  -- The pg-boss job's id.
  job_id text PRIMARY KEY,
  -- e.g. parse, write.
  phase text NOT NULL,
  done integer NOT NULL CHECK (done >= 0),
  total integer CHECK (total IS NULL OR total >= 0),
  -- What is counted: features, rows, strips.
  unit text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
