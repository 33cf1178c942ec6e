-- Stored calibrations of a building's thermal model to a measured record (issue 5): the fitted 5R1C parameters a
-- flexibility run plans with instead of the estimate, with their day-ahead RMSE and the estimated model's, the
-- source file and how many readings it held, who ran it and when. A calibration belongs to its building's area:
-- the building's dataset with the area (composite key, as 015 and 019 do), so no row can say another area than its
-- building's; deleting the building, its dataset or the area deletes it. The newest row of a building is its
-- current calibration; deleting them goes back to the estimate.
ALTER TABLE buildings ADD CONSTRAINT buildings_id_dataset_key UNIQUE (id, dataset_id);
CREATE TABLE building_calibrations (
  id bigserial PRIMARY KEY,
  building_id text NOT NULL,
  dataset_id integer NOT NULL,
  area_id text NOT NULL,
  model jsonb NOT NULL,
  parameters jsonb NOT NULL,
  rmse_c double precision NOT NULL CHECK (rmse_c >= 0),
  prior_rmse_c double precision NOT NULL CHECK (prior_rmse_c >= 0),
  scaled_to_geometry boolean NOT NULL,
  source_file text NOT NULL CHECK (length(source_file) BETWEEN 1 AND 200),
  readings integer NOT NULL CHECK (readings > 0),
  step_minutes double precision NOT NULL CHECK (step_minutes > 0),
  created_by bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (building_id, dataset_id) REFERENCES buildings (id, dataset_id) ON UPDATE CASCADE ON DELETE CASCADE,
  FOREIGN KEY (dataset_id, area_id) REFERENCES datasets (id, area_id) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX building_calibrations_current_idx ON building_calibrations (area_id, building_id, created_at DESC, id DESC);
