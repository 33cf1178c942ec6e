-- Foundation schema. Geometry in EPSG:4326; metric work transforms to EPSG:27700 or uses geography.

CREATE TABLE datasets (
  id serial PRIMARY KEY,
  name text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  title text NOT NULL,
  source text NOT NULL,
  licence text NOT NULL,
  attribution text NOT NULL,
  vintage text,
  crs text NOT NULL,
  imported_at timestamptz NOT NULL DEFAULT now(),
  bbox geometry(Polygon, 4326),
  tileset_url text,
  tileset_hash text,
  tileset_built_at timestamptz
);

CREATE TABLE buildings (
  id text PRIMARY KEY,
  dataset_id integer NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
  source_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('building', 'part')),
  parent_source_id text,
  footprint geometry(MultiPolygon, 4326) NOT NULL,
  footprint_area_m2 double precision NOT NULL,
  ground_elevation_m double precision,
  min_height_m double precision NOT NULL DEFAULT 0,
  height_m double precision NOT NULL CHECK (height_m >= 0),
  height_source text NOT NULL CHECK (height_source IN ('measured', 'levels', 'type-default')),
  height_method text NOT NULL,
  storeys integer,
  use_class text,
  name text,
  attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- LoD1/LoD2 surfaces [{ semantic, rings: [[lon, lat, zAboveGround, ...], ...] }] when the source has them.
  surfaces jsonb,
  import_run bigint NOT NULL,
  UNIQUE (dataset_id, source_id)
);
CREATE INDEX buildings_footprint_gix ON buildings USING gist (footprint);
CREATE INDEX buildings_dataset_idx ON buildings (dataset_id);

-- Non-building OSM geometry for the offline basemap.
CREATE TABLE map_features (
  id bigserial PRIMARY KEY,
  dataset_id integer NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
  source_id text NOT NULL,
  layer text NOT NULL,
  class text NOT NULL,
  name text,
  geom geometry(Geometry, 4326) NOT NULL,
  import_run bigint NOT NULL,
  UNIQUE (dataset_id, source_id, layer)
);
CREATE INDEX map_features_geom_gix ON map_features USING gist (geom);

-- Generic layers (transport, energy, sensors) for later work.
CREATE TABLE layers (
  id bigserial PRIMARY KEY,
  dataset_id integer REFERENCES datasets (id) ON DELETE CASCADE,
  kind text NOT NULL,
  name text NOT NULL,
  properties jsonb NOT NULL DEFAULT '{}'::jsonb,
  geom geometry(Geometry, 4326)
);
CREATE INDEX layers_geom_gix ON layers USING gist (geom);
