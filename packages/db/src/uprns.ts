import { DataError, type GeoJsonGeometry } from '@placetwin/geo';
import type { Db } from './db';
import { BUILDING_COLUMNS, type BuildingGeoJsonFeature, type BuildingRecord } from './repositories';

/** Where a building ↔ UPRN link comes from. */
export type UprnLinkSource = 'osm-tag' | 'os-open-uprn';

/** A UPRN with its point: lon/lat (EPSG:4326) for the footprint test; `line` and x/y for reports. */
export interface UprnPointInput {
  uprn: string;
  lon: number;
  lat: number;
  x?: number;
  y?: number;
  line?: number;
}

export interface UprnLinkReport {
  dataset: string;
  /** UPRNs read. */
  total: number;
  /** UPRNs linked to a building (their point lies in its footprint). */
  linked: number;
  /** UPRNs whose point lies in no building footprint of the dataset: kept out of the links, listed here. */
  unmatched: UprnPointInput[];
}

const BATCH = 500;

/**
 * Links the dataset's buildings to the UPRNs of their OSM `ref:GB:uprn` tags (`;`-separated values allowed; values
 * that are not 1–12 digit UPRNs are ignored), replacing the dataset's earlier tag links. Returns the links made.
 */
export async function linkOsmUprnTags(db: Db, datasetId: number): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.query(`DELETE FROM building_uprns WHERE dataset_id = $1 AND source = 'osm-tag'`, [datasetId]);
    const r = await tx.query<{ n: number }>(
      `WITH ins AS (
         INSERT INTO building_uprns (building_id, dataset_id, uprn, source, area_id)
         SELECT DISTINCT b.id, b.dataset_id, u::bigint, 'osm-tag', b.area_id
         FROM buildings b, regexp_split_to_table(b.attributes->>'ref:GB:uprn', '\\s*;\\s*') AS u
         WHERE b.dataset_id = $1 AND b.attributes->>'ref:GB:uprn' IS NOT NULL AND u ~ '^[1-9][0-9]{0,11}$'
         ON CONFLICT DO NOTHING RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      [datasetId],
    );
    return r.rows[0].n;
  });
}

/**
 * Links UPRN points to the buildings of a dataset whose footprints contain them, in ONE transaction. Callers give
 * lon/lat converted from the UPRN's British National Grid X/Y with OSTN15 (`fromBng` of @placetwin/geo), so the
 * test is "point in footprint" in EPSG:27700 up to OSTN15's centimetres. Only whole buildings are matched (not
 * building parts); a point in two overlapping footprints goes to the smaller. A UPRN linked before from the same
 * source is moved to its new building. Unmatched UPRNs are returned, not dropped.
 */
export async function linkUprnPoints(
  db: Db,
  datasetName: string,
  points: UprnPointInput[],
  source: UprnLinkSource,
): Promise<UprnLinkReport> {
  return db.transaction(async (tx) => {
    const ds = await tx.query<{ id: number }>('SELECT id FROM datasets WHERE name = $1', [datasetName]);
    if (!ds.rows[0])
      throw new DataError('not-found', `no dataset "${datasetName}"; import its buildings first`);
    const datasetId = ds.rows[0].id;
    await tx.query(
      'CREATE TEMP TABLE IF NOT EXISTS uprn_points (uprn bigint PRIMARY KEY, pt geometry(Point, 4326) NOT NULL)',
    );
    await tx.query('DELETE FROM uprn_points');
    for (let i = 0; i < points.length; i += BATCH) {
      const batch = points.slice(i, i + BATCH);
      const params: unknown[] = [];
      const values = batch.map((p) => {
        params.push(p.uprn, p.lon, p.lat);
        const k = params.length;
        return `($${k - 2}::bigint, ST_SetSRID(ST_MakePoint($${k - 1}::float8, $${k}::float8), 4326))`;
      });
      await tx.query(`INSERT INTO uprn_points (uprn, pt) VALUES ${values.join(',')}`, params);
    }
    await tx.query(
      'DELETE FROM building_uprns l USING uprn_points u WHERE l.dataset_id = $1 AND l.source = $2 AND l.uprn = u.uprn',
      [datasetId, source],
    );
    const linked = await tx.query<{ uprn: string }>(
      `INSERT INTO building_uprns (building_id, dataset_id, uprn, source, point, area_id)
       SELECT DISTINCT ON (u.uprn) b.id, b.dataset_id, u.uprn, $2, u.pt, b.area_id
       FROM uprn_points u JOIN buildings b
         ON b.dataset_id = $1 AND b.kind = 'building' AND b.footprint && u.pt AND ST_Contains(b.footprint, u.pt)
       ORDER BY u.uprn, b.footprint_area_m2, b.id
       RETURNING uprn::text AS uprn`,
      [datasetId, source],
    );
    await tx.query('DELETE FROM uprn_points');
    const done = new Set(linked.rows.map((r) => r.uprn));
    return {
      dataset: datasetName,
      total: points.length,
      linked: done.size,
      unmatched: points.filter((p) => !done.has(String(BigInt(p.uprn)))),
    };
  });
}

export interface UprnLink {
  uprn: string;
  source: UprnLinkSource;
}

/** The UPRNs linked to a building, in number order. */
export async function uprnsOfBuilding(db: Db, buildingId: string): Promise<UprnLink[]> {
  return (
    await db.query<UprnLink>(
      `SELECT uprn::text AS uprn, source FROM building_uprns WHERE building_id = $1 ORDER BY uprn, source`,
      [buildingId],
    )
  ).rows;
}

/** The buildings a UPRN is linked to (one per dataset and source at most), as GeoJSON features. */
export async function buildingsByUprn(
  db: Db,
  uprn: string,
  options: { dataset?: string; areaId?: string } = {},
): Promise<BuildingGeoJsonFeature[]> {
  const r = await db.query<BuildingRecord & { datasetName: string; footprint: GeoJsonGeometry }>(
    `SELECT ${BUILDING_COLUMNS}, d.name AS "datasetName", ST_AsGeoJSON(b.footprint, 7)::json AS footprint
     FROM buildings b JOIN datasets d ON d.id = b.dataset_id
     WHERE b.id IN (SELECT building_id FROM building_uprns
                    WHERE uprn = $1::bigint AND ($3::text IS NULL OR area_id = $3))
       AND ($2::text IS NULL OR d.name = $2) AND ($3::text IS NULL OR b.area_id = $3)
     ORDER BY b.id`,
    [uprn, options.dataset ?? null, options.areaId ?? null],
  );
  return r.rows.map(({ footprint, attributes: _a, datasetName, ...p }) => ({
    type: 'Feature',
    id: p.id,
    properties: { ...p, dataset: datasetName },
    geometry: footprint,
  }));
}

/** Storey height used for floor area when a building's storeys are not known (as @placetwin/carbon does), m. */
export const UPRN_EXPORT_STOREY_HEIGHT_M = 3;

export interface UprnIndicatorRow {
  uprn: string;
  buildingId: string;
  source: UprnLinkSource;
  use: string | null;
  heightM: number;
  heightSource: string;
  storeys: number | null;
  footprintAreaM2: number;
  /** Footprint × storeys; storeys from the height at 3 m a storey (at least 1) when not known. */
  floorAreaM2: number;
  floorAreaBasis: 'storeys' | 'height';
}

/** Every UPRN link of a dataset with its building's basic indicators, ordered by UPRN. */
export async function uprnIndicators(db: Db, datasetName: string): Promise<UprnIndicatorRow[]> {
  return (
    await db.query<UprnIndicatorRow>(
      `SELECT l.uprn::text AS uprn, b.id AS "buildingId", l.source, b.use_class AS "use", b.height_m AS "heightM",
         b.height_source AS "heightSource", b.storeys, b.footprint_area_m2 AS "footprintAreaM2",
         b.footprint_area_m2 * COALESCE(NULLIF(b.storeys, 0), GREATEST(1, round(b.height_m / $2)))::float8 AS "floorAreaM2",
         CASE WHEN b.storeys > 0 THEN 'storeys' ELSE 'height' END AS "floorAreaBasis"
       FROM building_uprns l JOIN buildings b ON b.id = l.building_id JOIN datasets d ON d.id = l.dataset_id
       WHERE d.name = $1 ORDER BY l.uprn, b.id, l.source`,
      [datasetName, UPRN_EXPORT_STOREY_HEIGHT_M],
    )
  ).rows;
}
