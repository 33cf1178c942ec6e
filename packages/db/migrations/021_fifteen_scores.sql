-- 15-minute city scores computed once (issue 11): the response for a point or a map, per council area, the feed
-- asked for ('' = any of the area's feeds) and the other parameters that change it (params), kept until the
-- area's points of interest or GTFS feeds are imported again: those imports delete the area's rows in their own
-- transaction. `inputs` (a hash of the versions of both at computing time) guards a computation that raced an
-- import: its row is never read, as the versions it names are gone. A table, not a process's memory, so the
-- scores survive a restart and every API process shares them.
CREATE TABLE fifteen_scores (
  area_id text NOT NULL REFERENCES areas (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('point', 'map')),
  feed text NOT NULL,
  params text NOT NULL,
  inputs text NOT NULL CHECK (inputs ~ '^[0-9a-f]{64}$'),
  body jsonb NOT NULL,
  computed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (area_id, kind, feed, params, inputs)
);
CREATE INDEX fifteen_scores_area_time_idx ON fifteen_scores (area_id, computed_at);
