-- Citus-ready keys for readings (issue 11): a Citus install distributes `observations` by area_id, and Citus needs
-- the distribution column in every unique constraint of a distributed table. The readings' area is the one their
-- datastream has (016, a composite foreign key), so adding it to the keys changes nothing they allow: ingest
-- stays idempotent on (datastream, phenomenon time), now `ON CONFLICT (datastream_id, phenomenon_time, area_id)`.
-- area_id leads neither key, so series, latest-value and SensorThings reads walk the same index order as before.

-- Every reading has its datastream's area (016 filled it and its foreign key holds it); repeated for an install that
-- somehow has readings without one.
UPDATE observations o SET area_id = d.area_id FROM datastreams d WHERE d.id = o.datastream_id AND o.area_id IS NULL;
ALTER TABLE observations ALTER COLUMN area_id SET NOT NULL;

ALTER TABLE observations ADD CONSTRAINT observations_datastream_time_area_key
  UNIQUE (datastream_id, phenomenon_time, area_id);
ALTER TABLE observations DROP CONSTRAINT observations_datastream_time_key;

-- The SensorThings @iot.id stays unique by itself (an identity), and lookups by id still use the key's leading column.
ALTER TABLE observations DROP CONSTRAINT observations_pkey;
ALTER TABLE observations ADD CONSTRAINT observations_pkey PRIMARY KEY (id, area_id);
