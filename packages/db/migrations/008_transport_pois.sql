-- Points of interest for accessibility (the 15-minute city score): everyday services read from an OpenStreetMap
-- extract (a tagged node, or an area at the mean of its vertices), by the category @placetwin/transport gives
-- them (ESSENTIAL_SERVICES). One named set per source file, replaced as a whole when imported again.

CREATE TABLE poi_sets (
  id serial PRIMARY KEY,
  name text NOT NULL UNIQUE,
  source text NOT NULL,
  licence text,
  attribution text,
  imported_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE pois (
  id bigserial PRIMARY KEY,
  set_id integer NOT NULL REFERENCES poi_sets (id) ON DELETE CASCADE,
  source_id text NOT NULL,
  service text NOT NULL,
  name text,
  geom geometry(Point, 4326) NOT NULL,
  UNIQUE (set_id, source_id, service)
);
CREATE INDEX pois_geom_gix ON pois USING gist (geom);
