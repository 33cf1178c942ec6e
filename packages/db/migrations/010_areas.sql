-- Areas: one install serves several councils. An area is a council (or any place a council runs a twin for):
-- its boundary (from the ONS local authority districts by `lad17cd`), default camera, branding, languages and the
-- privacy settings its notices and retention job use. Every top-level record belongs to exactly one area, and every
-- query on a hot path carries the area key (so a national table can later be distributed by area with Citus).
-- Rows made before areas existed belong to the seeded area `default`, which `npx placetwin area add` or the
-- sample-city start renames and gives a boundary.

CREATE TABLE areas (
  id text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9-]{1,39}$'),
  -- ONS 2017 local authority district code, e.g. E06000017 (Rutland), E08000035 (Leeds), W06000015 (Cardiff).
  lad17cd text UNIQUE CHECK (lad17cd IS NULL OR lad17cd ~ '^[EWSN][0-9]{8}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 150),
  -- The Welsh name, for areas that declare Welsh.
  name_cy text CHECK (name_cy IS NULL OR length(name_cy) BETWEEN 1 AND 150),
  boundary geometry(MultiPolygon, 4326),
  -- { lon, lat, height, heading, pitch } the viewer opens at.
  camera jsonb,
  logo_url text,
  -- { primary, secondary } CSS colours.
  colours jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- The languages the public site is served in; the first is the default.
  languages text[] NOT NULL DEFAULT '{en}' CHECK (cardinality(languages) >= 1 AND languages <@ '{en,cy}'),
  -- Who to contact about personal data (named in the privacy notice).
  privacy_contact text CHECK (privacy_contact IS NULL OR length(privacy_contact) BETWEEN 3 AND 500),
  -- Days after a consultation closes at which commenters' personal data is deleted or anonymised (default 12 months).
  retention_days integer NOT NULL DEFAULT 365 CHECK (retention_days BETWEEN 1 AND 3650),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX areas_boundary_gix ON areas USING gist (boundary);

INSERT INTO areas (id, name) VALUES ('default', 'Default area');

ALTER TABLE datasets ADD COLUMN area_id text NOT NULL DEFAULT 'default' REFERENCES areas (id) ON DELETE RESTRICT;
ALTER TABLE scenarios ADD COLUMN area_id text NOT NULL DEFAULT 'default' REFERENCES areas (id) ON DELETE RESTRICT;
ALTER TABLE stories ADD COLUMN area_id text NOT NULL DEFAULT 'default' REFERENCES areas (id) ON DELETE RESTRICT;
ALTER TABLE consultations ADD COLUMN area_id text NOT NULL DEFAULT 'default' REFERENCES areas (id) ON DELETE RESTRICT;
ALTER TABLE users ADD COLUMN area_id text NOT NULL DEFAULT 'default' REFERENCES areas (id) ON DELETE RESTRICT;
ALTER TABLE gtfs_feeds ADD COLUMN area_id text NOT NULL DEFAULT 'default' REFERENCES areas (id) ON DELETE RESTRICT;
ALTER TABLE poi_sets ADD COLUMN area_id text NOT NULL DEFAULT 'default' REFERENCES areas (id) ON DELETE RESTRICT;
ALTER TABLE sensor_things ADD COLUMN area_id text NOT NULL DEFAULT 'default' REFERENCES areas (id) ON DELETE RESTRICT;

CREATE INDEX datasets_area_idx ON datasets (area_id);
CREATE INDEX scenarios_area_idx ON scenarios (area_id, status);
CREATE INDEX stories_area_idx ON stories (area_id, status);
CREATE INDEX consultations_area_idx ON consultations (area_id, status);
CREATE INDEX users_area_idx ON users (area_id);
CREATE INDEX gtfs_feeds_area_idx ON gtfs_feeds (area_id);
CREATE INDEX poi_sets_area_idx ON poi_sets (area_id);
CREATE INDEX sensor_things_area_id_idx ON sensor_things (area_id)
