-- Tenancy for sensor data: a datastream belongs to its thing's area and an observation to its datastream's, so
-- every SensorThings, series and live-stream read can carry the area key (and a Citus install can distribute
-- the observations by area and colocate them with their datastreams). Enforced by composite foreign keys (the
-- parent's id with its area), as 015 does for scenarios and consultations: no row can say otherwise, and moving
-- a sensor to another area moves its datastreams and readings with it (ON UPDATE CASCADE).
ALTER TABLE sensor_things ADD CONSTRAINT sensor_things_id_area_key UNIQUE (id, area_id);

ALTER TABLE datastreams ADD COLUMN area_id text;
UPDATE datastreams d SET area_id = t.area_id FROM sensor_things t WHERE t.id = d.thing_id;
ALTER TABLE datastreams ALTER COLUMN area_id SET NOT NULL;
ALTER TABLE datastreams ADD CONSTRAINT datastreams_thing_area_fk FOREIGN KEY (thing_id, area_id)
  REFERENCES sensor_things (id, area_id) ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE datastreams ADD CONSTRAINT datastreams_id_area_key UNIQUE (id, area_id);
CREATE INDEX datastreams_area_idx ON datastreams (area_id, thing_id);

ALTER TABLE observations ADD COLUMN area_id text;
UPDATE observations o SET area_id = d.area_id FROM datastreams d WHERE d.id = o.datastream_id;
ALTER TABLE observations ALTER COLUMN area_id SET NOT NULL;
ALTER TABLE observations ADD CONSTRAINT observations_datastream_area_fk FOREIGN KEY (datastream_id, area_id)
  REFERENCES datastreams (id, area_id) ON UPDATE CASCADE ON DELETE CASCADE;

-- Points of interest (the 15-minute score's services) carry their set's area too: the score reads one area's.
ALTER TABLE poi_sets ADD CONSTRAINT poi_sets_id_area_key UNIQUE (id, area_id);
ALTER TABLE pois ADD COLUMN area_id text;
UPDATE pois p SET area_id = s.area_id FROM poi_sets s WHERE s.id = p.set_id;
ALTER TABLE pois ALTER COLUMN area_id SET NOT NULL;
ALTER TABLE pois ADD CONSTRAINT pois_set_area_fk FOREIGN KEY (set_id, area_id)
  REFERENCES poi_sets (id, area_id) ON UPDATE CASCADE ON DELETE CASCADE;
CREATE INDEX pois_area_idx ON pois (area_id)
