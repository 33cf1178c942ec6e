-- UPRN links (issue 11): which Unique Property Reference Numbers lie in which building. Filled from OSM
-- `ref:GB:uprn` tags at import time and by the OS Open UPRN importer (point in footprint, British National Grid).
-- A UPRN may link to several buildings of different datasets; within a dataset to one building per source.

CREATE TABLE building_uprns (
  building_id text NOT NULL REFERENCES buildings (id) ON DELETE CASCADE,
  dataset_id integer NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
  uprn bigint NOT NULL CHECK (uprn > 0 AND uprn < 1000000000000),
  source text NOT NULL CHECK (source IN ('osm-tag', 'os-open-uprn')),
  -- Where the UPRN's point is (OS Open UPRN), null for a tag on the building itself.
  point geometry(Point, 4326),
  linked_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (building_id, uprn, source)
);
CREATE INDEX building_uprns_uprn_idx ON building_uprns (uprn);
CREATE INDEX building_uprns_dataset_idx ON building_uprns (dataset_id);
