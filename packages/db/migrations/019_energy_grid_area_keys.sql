-- Tenancy for the energy layer's grid (issue 5): a network belongs to one area, and each of its substations and
-- feeders carries that area through a composite foreign key (the network's id with its area), as 015 does for
-- scenarios and consultations, so no asset row can say another area; the routes read and write the caller's area.
ALTER TABLE grid_networks ADD CONSTRAINT grid_networks_id_area_key UNIQUE (id, area_id);
ALTER TABLE grid_assets ADD COLUMN area_id text;
UPDATE grid_assets a SET area_id = n.area_id FROM grid_networks n WHERE n.id = a.network_id;
ALTER TABLE grid_assets ALTER COLUMN area_id SET NOT NULL;
ALTER TABLE grid_assets ADD CONSTRAINT grid_assets_network_area_fk FOREIGN KEY (network_id, area_id)
  REFERENCES grid_networks (id, area_id) ON UPDATE CASCADE ON DELETE CASCADE;
