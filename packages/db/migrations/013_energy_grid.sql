-- Electricity grid for the energy layer (issue 5): substations (points) and feeders (lines) with a capacity, imported
-- as named networks from GeoJSON (`npx placetwin import-grid`, `POST /api/energy/grids`). Real power capacity is
-- stored (`capacity_kw`), with the rating as given (kW, or kVA and its power factor). A network may be constructed
-- (positions or capacities made up for a demonstration): `constructed` and `label` say so wherever it is shown.

CREATE TABLE grid_networks (
  id serial PRIMARY KEY,
  area_id text NOT NULL DEFAULT 'default' REFERENCES areas (id) ON DELETE RESTRICT,
  name text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  source text NOT NULL,
  label text,
  constructed boolean NOT NULL DEFAULT false,
  attribution text,
  imported_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (area_id, name)
);

CREATE TABLE grid_assets (
  network_id integer NOT NULL REFERENCES grid_networks (id) ON DELETE CASCADE,
  asset_id text NOT NULL CHECK (length(asset_id) BETWEEN 1 AND 120),
  kind text NOT NULL CHECK (kind IN ('substation', 'feeder')),
  name text,
  capacity_kw float8 NOT NULL CHECK (capacity_kw > 0),
  rated_value float8 NOT NULL CHECK (rated_value > 0),
  rated_unit text NOT NULL CHECK (rated_unit IN ('kW', 'kVA')),
  power_factor float8 CHECK (power_factor IS NULL OR (power_factor > 0 AND power_factor <= 1)),
  base_load_kw float8 NOT NULL DEFAULT 0 CHECK (base_load_kw >= 0),
  substation_id text,
  properties jsonb NOT NULL DEFAULT '{}'::jsonb,
  geom geometry(Geometry, 4326) NOT NULL,
  PRIMARY KEY (network_id, asset_id)
);
CREATE INDEX grid_assets_geom_gix ON grid_assets USING gist (geom);
