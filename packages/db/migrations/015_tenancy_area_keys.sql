-- Tenancy: a scenario belongs to its dataset's area, and a consultation to its scenario's area. Enforced by
-- composite foreign keys (the parent's id with its area), so no row can say otherwise; moving a dataset to
-- another area moves its scenarios and their consultations with it (ON UPDATE CASCADE).
ALTER TABLE datasets ADD CONSTRAINT datasets_id_area_key UNIQUE (id, area_id);
ALTER TABLE scenarios ADD CONSTRAINT scenarios_id_area_key UNIQUE (id, area_id);
UPDATE scenarios s SET area_id = d.area_id FROM datasets d WHERE d.id = s.dataset_id AND s.area_id <> d.area_id;
UPDATE consultations c SET area_id = s.area_id FROM scenarios s WHERE s.id = c.scenario_id AND c.area_id <> s.area_id;
ALTER TABLE scenarios ADD CONSTRAINT scenarios_dataset_area_fk FOREIGN KEY (dataset_id, area_id)
  REFERENCES datasets (id, area_id) ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE consultations ADD CONSTRAINT consultations_scenario_area_fk FOREIGN KEY (scenario_id, area_id)
  REFERENCES scenarios (id, area_id) ON UPDATE CASCADE ON DELETE RESTRICT;
