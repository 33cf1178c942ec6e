-- Tiling leaves out a building drawn by its parts (OSM Simple 3D Buildings, CityJSON/CityGML parents). The two
-- tests it makes for each building, "a part names it as parent" and "an unlinked part lies inside it", each probe
-- the parts alone: most datasets have few or none, so these indexes are small and each probe is one lookup.
CREATE INDEX IF NOT EXISTS buildings_part_parent_idx ON buildings (dataset_id, parent_source_id) WHERE kind = 'part';
CREATE INDEX IF NOT EXISTS buildings_part_footprint_gix ON buildings USING gist (footprint) WHERE kind = 'part';
