/**
 * Stored calibrations of buildings' thermal models (migration 020): the fitted model a flexibility run plans with
 * instead of the estimate. Every function takes the caller's area: another area's building, or its calibration,
 * is not found (null / false), like a missing one.
 */
import type { Db } from './db';

/** The parts of a 5R1C model a calibration replaces (@placetwin/energy MeasuredModel). */
export interface CalibratedModelRecord {
  hVeWPerK: number;
  hTrWWPerK: number;
  hTrIsWPerK: number;
  hTrMsWPerK: number;
  hTrEmWPerK: number;
  cmJPerK: number;
  solarApertureM2: number;
}

export interface CalibrationInput {
  buildingId: string;
  model: CalibratedModelRecord;
  /** The fitted parameters against the estimate, as shown (name, prior, fitted, unit). */
  parameters: { name: string; prior: number; fitted: number; unit: string }[];
  rmseC: number;
  priorRmseC: number;
  scaledToGeometry: boolean;
  sourceFile: string;
  readings: number;
  stepMinutes: number;
  /** The staff member who ran it (null: not recorded). */
  createdBy: number | null;
}

export interface StoredCalibration extends Omit<CalibrationInput, 'createdBy'> {
  id: number;
  areaId: string;
  createdAt: string;
  /** The display name of who ran it (null once their account is erased). */
  createdBy: string | null;
}

const SELECT = `SELECT c.id::int AS id, c.building_id AS "buildingId", c.area_id AS "areaId", c.model,
    c.parameters, c.rmse_c AS "rmseC", c.prior_rmse_c AS "priorRmseC", c.scaled_to_geometry AS "scaledToGeometry",
    c.source_file AS "sourceFile", c.readings, c.step_minutes AS "stepMinutes", u.display_name AS "createdBy",
    to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"
  FROM building_calibrations c LEFT JOIN users u ON u.id = c.created_by`;

/**
 * Stores a building's calibration as its current one, in the area: the building must be in one of the area's
 * datasets (else null, nothing written). The row takes the building's dataset and area, so the composite keys hold.
 */
export async function saveCalibration(
  db: Db,
  areaId: string,
  c: CalibrationInput,
): Promise<StoredCalibration | null> {
  const r = await db.query<{ id: number }>(
    `INSERT INTO building_calibrations (building_id, dataset_id, area_id, model, parameters, rmse_c, prior_rmse_c,
       scaled_to_geometry, source_file, readings, step_minutes, created_by)
     SELECT b.id, b.dataset_id, d.area_id, $3::jsonb, $4::jsonb, $5, $6, $7, $8, $9, $10, $11
       FROM buildings b JOIN datasets d ON d.id = b.dataset_id
      WHERE b.id = $1 AND d.area_id = $2
     RETURNING id::int AS id`,
    [
      c.buildingId,
      areaId,
      JSON.stringify(c.model),
      JSON.stringify(c.parameters),
      c.rmseC,
      c.priorRmseC,
      c.scaledToGeometry,
      c.sourceFile,
      c.readings,
      c.stepMinutes,
      c.createdBy,
    ],
  );
  const id = r.rows[0]?.id;
  if (id === undefined) return null;
  return (await db.query<StoredCalibration>(`${SELECT} WHERE c.id = $1`, [id])).rows[0] ?? null;
}

/** The building's current (newest) calibration in the area, or null (none, or another area's building). */
export async function getCalibration(
  db: Db,
  areaId: string,
  buildingId: string,
): Promise<StoredCalibration | null> {
  const r = await db.query<StoredCalibration>(
    `${SELECT} WHERE c.area_id = $1 AND c.building_id = $2 ORDER BY c.created_at DESC, c.id DESC LIMIT 1`,
    [areaId, buildingId],
  );
  return r.rows[0] ?? null;
}

/** The current calibration of each of these buildings that has one in the area, by building id. */
export async function currentCalibrations(
  db: Db,
  areaId: string,
  buildingIds: readonly string[],
): Promise<Map<string, StoredCalibration>> {
  if (buildingIds.length === 0) return new Map();
  const r = await db.query<StoredCalibration>(
    `${SELECT} WHERE c.id IN (
       SELECT DISTINCT ON (building_id) id FROM building_calibrations
        WHERE area_id = $1 AND building_id = ANY($2::text[])
        ORDER BY building_id, created_at DESC, id DESC)`,
    [areaId, buildingIds],
  );
  return new Map(r.rows.map((row) => [row.buildingId, row]));
}

/** Removes the building's calibrations in the area (flexibility goes back to the estimate); false when it had none. */
export async function deleteCalibrations(db: Db, areaId: string, buildingId: string): Promise<boolean> {
  const r = await db.query(
    'DELETE FROM building_calibrations WHERE area_id = $1 AND building_id = $2 RETURNING id',
    [areaId, buildingId],
  );
  return r.rows.length > 0;
}
