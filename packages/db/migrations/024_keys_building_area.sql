-- Citus-ready keys for buildings (issue 11): a building carries its area itself instead of only through its dataset,
-- so reads by area filter on buildings.area_id (the key a Citus install distributes buildings by) without joining
-- datasets. Enforced by a composite foreign key (the dataset's id with its area), as 015 does for scenarios: no row
-- can say another area, and moving a dataset to another area moves its buildings with it (ON UPDATE CASCADE).
ALTER TABLE buildings ADD COLUMN area_id text;
UPDATE buildings b SET area_id = d.area_id FROM datasets d WHERE d.id = b.dataset_id;
ALTER TABLE buildings ALTER COLUMN area_id SET NOT NULL;
ALTER TABLE buildings ADD CONSTRAINT buildings_dataset_area_fk FOREIGN KEY (dataset_id, area_id)
  REFERENCES datasets (id, area_id) ON UPDATE CASCADE ON DELETE CASCADE;
-- What a child table (UPRN links, calibrations) can point at with its own area key.
ALTER TABLE buildings ADD CONSTRAINT buildings_id_area_key UNIQUE (id, area_id);
-- Area-scoped reads (an area's datasets' buildings, the area guard) and the cascade from datasets.
CREATE INDEX buildings_area_idx ON buildings (area_id, dataset_id);

-- A UPRN link carries its building's area too (the UPRN search of one area reads only that area's links), held
-- by a composite foreign key to the building's id with its area instead of the id alone.
ALTER TABLE building_uprns ADD COLUMN area_id text;
UPDATE building_uprns l SET area_id = b.area_id FROM buildings b WHERE b.id = l.building_id;
ALTER TABLE building_uprns ALTER COLUMN area_id SET NOT NULL;
ALTER TABLE building_uprns ADD CONSTRAINT building_uprns_building_area_fk FOREIGN KEY (building_id, area_id)
  REFERENCES buildings (id, area_id) ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE building_uprns DROP CONSTRAINT building_uprns_building_id_fkey;
ALTER TABLE building_uprns DROP CONSTRAINT building_uprns_pkey;
ALTER TABLE building_uprns ADD CONSTRAINT building_uprns_pkey PRIMARY KEY (building_id, uprn, source, area_id);
CREATE INDEX building_uprns_area_uprn_idx ON building_uprns (area_id, uprn);
