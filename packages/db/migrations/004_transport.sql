-- GTFS Schedule feeds (https://gtfs.org/documentation/schedule/reference/). A feed is one named import, replaced
-- as a whole when imported again. Times are seconds after the service day's start ("noon minus 12 h" in the
-- feed's time zone), so a trip running past midnight has times over 86400 (24:00:00). Geometry in EPSG:4326.

CREATE TABLE gtfs_feeds (
  id serial PRIMARY KEY,
  name text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  source text NOT NULL,
  -- Credits to show with the data (e.g. "Contains public sector information licensed under the OGL v3.0").
  licence text,
  attribution text,
  time_zone text NOT NULL,
  feed_info jsonb,
  start_date date,
  end_date date,
  -- Envelope of the stops that trips call at.
  bbox geometry(Polygon, 4326),
  warnings jsonb NOT NULL DEFAULT '[]'::jsonb,
  imported_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE gtfs_agencies (
  feed_id integer NOT NULL REFERENCES gtfs_feeds (id) ON DELETE CASCADE,
  -- Empty when the feed's only agency has no agency_id.
  agency_id text NOT NULL,
  name text NOT NULL,
  url text NOT NULL,
  time_zone text NOT NULL,
  lang text,
  phone text,
  PRIMARY KEY (feed_id, agency_id)
);

CREATE TABLE gtfs_stops (
  feed_id integer NOT NULL REFERENCES gtfs_feeds (id) ON DELETE CASCADE,
  stop_id text NOT NULL,
  code text,
  name text,
  description text,
  location_type smallint NOT NULL DEFAULT 0 CHECK (location_type BETWEEN 0 AND 4),
  parent_station text,
  platform_code text,
  geom geometry(Point, 4326),
  PRIMARY KEY (feed_id, stop_id)
);
CREATE INDEX gtfs_stops_geom_gix ON gtfs_stops USING gist (geom);

CREATE TABLE gtfs_routes (
  feed_id integer NOT NULL REFERENCES gtfs_feeds (id) ON DELETE CASCADE,
  route_id text NOT NULL,
  agency_id text,
  short_name text,
  long_name text,
  description text,
  route_type integer NOT NULL,
  url text,
  color text CHECK (color ~ '^[0-9A-F]{6}$'),
  text_color text CHECK (text_color ~ '^[0-9A-F]{6}$'),
  sort_order integer,
  -- The shapes its trips follow (stop-to-stop lines for trips without a shape).
  geom geometry(MultiLineString, 4326),
  PRIMARY KEY (feed_id, route_id)
);
CREATE INDEX gtfs_routes_geom_gix ON gtfs_routes USING gist (geom);

CREATE TABLE gtfs_calendar (
  feed_id integer NOT NULL REFERENCES gtfs_feeds (id) ON DELETE CASCADE,
  service_id text NOT NULL,
  monday boolean NOT NULL,
  tuesday boolean NOT NULL,
  wednesday boolean NOT NULL,
  thursday boolean NOT NULL,
  friday boolean NOT NULL,
  saturday boolean NOT NULL,
  sunday boolean NOT NULL,
  start_date date NOT NULL,
  end_date date NOT NULL CHECK (end_date >= start_date),
  PRIMARY KEY (feed_id, service_id)
);

CREATE TABLE gtfs_calendar_dates (
  feed_id integer NOT NULL REFERENCES gtfs_feeds (id) ON DELETE CASCADE,
  service_id text NOT NULL,
  date date NOT NULL,
  exception_type smallint NOT NULL CHECK (exception_type IN (1, 2)),
  PRIMARY KEY (feed_id, service_id, date)
);

CREATE TABLE gtfs_shapes (
  feed_id integer NOT NULL REFERENCES gtfs_feeds (id) ON DELETE CASCADE,
  shape_id text NOT NULL,
  geom geometry(LineString, 4326) NOT NULL,
  -- shape_dist_traveled per vertex (feed units), when every point has one.
  dist_traveled double precision[],
  PRIMARY KEY (feed_id, shape_id)
);

CREATE TABLE gtfs_trips (
  feed_id integer NOT NULL REFERENCES gtfs_feeds (id) ON DELETE CASCADE,
  trip_id text NOT NULL,
  -- Position in trips.txt, so a feed read back lists its trips in the same order.
  ord integer NOT NULL,
  route_id text NOT NULL,
  service_id text NOT NULL,
  headsign text,
  short_name text,
  direction_id smallint CHECK (direction_id IN (0, 1)),
  block_id text,
  shape_id text,
  PRIMARY KEY (feed_id, trip_id),
  FOREIGN KEY (feed_id, route_id) REFERENCES gtfs_routes (feed_id, route_id) ON DELETE CASCADE,
  FOREIGN KEY (feed_id, shape_id) REFERENCES gtfs_shapes (feed_id, shape_id) ON DELETE CASCADE
);
CREATE INDEX gtfs_trips_route_idx ON gtfs_trips (feed_id, route_id);

CREATE TABLE gtfs_stop_times (
  feed_id integer NOT NULL,
  trip_id text NOT NULL,
  stop_sequence integer NOT NULL CHECK (stop_sequence >= 0),
  stop_id text NOT NULL,
  arrival_s integer NOT NULL CHECK (arrival_s >= 0),
  departure_s integer NOT NULL,
  -- False where the feed left the time blank and the importer interpolated it.
  timed boolean NOT NULL,
  stop_headsign text,
  pickup_type smallint,
  drop_off_type smallint,
  shape_dist_traveled double precision,
  timepoint smallint,
  PRIMARY KEY (feed_id, trip_id, stop_sequence),
  CHECK (departure_s >= arrival_s),
  FOREIGN KEY (feed_id, trip_id) REFERENCES gtfs_trips (feed_id, trip_id) ON DELETE CASCADE,
  FOREIGN KEY (feed_id, stop_id) REFERENCES gtfs_stops (feed_id, stop_id) ON DELETE CASCADE
);
CREATE INDEX gtfs_stop_times_stop_idx ON gtfs_stop_times (feed_id, stop_id, departure_s);

CREATE TABLE gtfs_frequencies (
  feed_id integer NOT NULL,
  trip_id text NOT NULL,
  start_s integer NOT NULL,
  end_s integer NOT NULL CHECK (end_s > start_s),
  headway_s integer NOT NULL CHECK (headway_s > 0),
  exact_times boolean NOT NULL,
  PRIMARY KEY (feed_id, trip_id, start_s),
  FOREIGN KEY (feed_id, trip_id) REFERENCES gtfs_trips (feed_id, trip_id) ON DELETE CASCADE
)
