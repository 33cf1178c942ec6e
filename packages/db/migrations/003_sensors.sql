-- Sensors, after OGC SensorThings API 1.1 (OGC 18-088): a thing (here: a sensor, meaning a device or a counting
-- site) at one location, observed properties, datastreams (one per thing and property, in one unit, with valid
-- range, thresholds, owner and licence), observations, hashed device keys and threshold alerts.

CREATE TABLE observed_properties (
  id serial PRIMARY KEY,
  key text NOT NULL UNIQUE,
  name text NOT NULL,
  definition text NOT NULL,
  description text NOT NULL
);

CREATE TABLE sensor_things (
  id bigserial PRIMARY KEY,
  -- The id devices and URLs use (MQTT topic level, /api/sensors/:id).
  sensor_id text NOT NULL UNIQUE CHECK (sensor_id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  area text NOT NULL CHECK (area ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  properties jsonb NOT NULL DEFAULT '{}'::jsonb,
  location geometry(Point, 4326) NOT NULL,
  -- Radius in metres within which the true position lies, and how the position was obtained.
  location_accuracy_m double precision NOT NULL CHECK (location_accuracy_m >= 0),
  location_method text NOT NULL,
  owner text NOT NULL,
  licence text NOT NULL,
  attribution text,
  registered_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sensor_things_location_gix ON sensor_things USING gist (location);
CREATE INDEX sensor_things_area_idx ON sensor_things (area);

CREATE TABLE datastreams (
  id bigserial PRIMARY KEY,
  thing_id bigint NOT NULL REFERENCES sensor_things (id) ON DELETE CASCADE,
  observed_property_id integer NOT NULL REFERENCES observed_properties (id),
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  unit_name text NOT NULL,
  unit_symbol text NOT NULL,
  unit_definition text NOT NULL,
  observation_type text NOT NULL DEFAULT 'http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement',
  min_value double precision NOT NULL,
  max_value double precision NOT NULL CHECK (max_value > min_value),
  -- [{ level: 'warning' | 'critical', above?: number, below?: number }]
  thresholds jsonb NOT NULL DEFAULT '[]'::jsonb,
  owner text NOT NULL,
  licence text NOT NULL,
  UNIQUE (thing_id, observed_property_id)
);
CREATE INDEX datastreams_property_idx ON datastreams (observed_property_id);

-- One row per reading. The unique key makes ingest idempotent (INSERT ... ON CONFLICT DO NOTHING) and is the
-- index every series, latest-value and SensorThings time query walks. id is the SensorThings @iot.id.
CREATE TABLE observations (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  datastream_id bigint NOT NULL REFERENCES datastreams (id) ON DELETE CASCADE,
  phenomenon_time timestamptz NOT NULL,
  result double precision NOT NULL,
  quality text CHECK (quality IN ('good', 'suspect', 'bad')),
  received_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT observations_datastream_time_key UNIQUE (datastream_id, phenomenon_time)
);

-- Device API keys: only a scrypt hash is kept. key_id is the public part of the key that finds the row.
CREATE TABLE device_keys (
  id bigserial PRIMARY KEY,
  thing_id bigint NOT NULL REFERENCES sensor_things (id) ON DELETE CASCADE,
  key_id text NOT NULL UNIQUE,
  key_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX device_keys_thing_idx ON device_keys (thing_id);

-- Where each datastream with thresholds stands: the open alert level and the newest reading evaluated.
CREATE TABLE alert_states (
  datastream_id bigint PRIMARY KEY REFERENCES datastreams (id) ON DELETE CASCADE,
  level text CHECK (level IN ('warning', 'critical')),
  threshold jsonb,
  last_time timestamptz
);

CREATE TABLE alerts (
  id bigserial PRIMARY KEY,
  datastream_id bigint NOT NULL REFERENCES datastreams (id) ON DELETE CASCADE,
  level text NOT NULL CHECK (level IN ('warning', 'critical')),
  threshold jsonb NOT NULL,
  value double precision NOT NULL,
  phenomenon_time timestamptz NOT NULL,
  raised_at timestamptz NOT NULL DEFAULT now(),
  cleared_value double precision,
  cleared_time timestamptz,
  cleared_at timestamptz
);
CREATE INDEX alerts_open_idx ON alerts (datastream_id) WHERE cleared_time IS NULL;
CREATE INDEX alerts_time_idx ON alerts (phenomenon_time DESC);
