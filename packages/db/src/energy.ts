/**
 * The building records the energy layer needs, many at a time: what `getBuilding` gives for one (use, tags kept as
 * attributes, height, storeys, footprint) for a dataset's buildings, optionally within a bbox or of some use classes.
 * The maths stays in @placetwin/energy.
 */
import type { BBox, GeoJsonGeometry } from '@placetwin/geo';
import type { Db } from './db';

export interface EnergyStockRow {
  id: string;
  name: string | null;
  use: string | null;
  heightM: number;
  minHeightM: number;
  storeys: number | null;
  footprintAreaM2: number;
  /** Source tags (OSM `amenity`, `start_date`, ...): the energy benchmark and age band read them. */
  attributes: Record<string, unknown>;
  footprint: GeoJsonGeometry;
}

export interface EnergyStockQuery {
  /** Only buildings whose footprints intersect this box (west, south, east, north, degrees). */
  bbox?: BBox;
  /** Only these use classes; `unknown` matches buildings with none. */
  uses?: readonly string[];
  /** At most this many, in id order (default 100,000). */
  limit?: number;
  /** Only these building ids. */
  ids?: readonly string[];
}

/**
 * A dataset's buildings (not parts, which would count floor area twice) with everything `describeBuilding` reads,
 * ordered by id so results are reproducible.
 */
export async function energyStockBuildings(
  db: Db,
  dataset: string,
  { bbox, uses, limit = 100_000, ids }: EnergyStockQuery = {},
): Promise<EnergyStockRow[]> {
  const r = await db.query<EnergyStockRow>(
    `SELECT b.id, b.name, b.use_class AS "use", b.height_m AS "heightM", b.min_height_m AS "minHeightM",
       b.storeys, b.footprint_area_m2 AS "footprintAreaM2", b.attributes,
       ST_AsGeoJSON(b.footprint, 7)::json AS footprint
     FROM buildings b JOIN datasets d ON d.id = b.dataset_id
     WHERE d.name = $1 AND b.kind = 'building'
       AND ($2::float8 IS NULL OR (b.footprint && ST_MakeEnvelope($2, $3, $4, $5, 4326)
         AND ST_Intersects(b.footprint, ST_MakeEnvelope($2, $3, $4, $5, 4326))))
       AND ($6::text[] IS NULL OR COALESCE(b.use_class, 'unknown') = ANY($6::text[]))
       AND ($8::text[] IS NULL OR b.id = ANY($8::text[]))
     ORDER BY b.id LIMIT $7`,
    [dataset, ...(bbox ?? [null, null, null, null]), uses ? [...uses] : null, limit, ids ? [...ids] : null],
  );
  return r.rows.map((row) => ({ ...row, attributes: row.attributes ?? {} }));
}
