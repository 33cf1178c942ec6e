import { DataError } from '@placetwin/geo';
import type { Db } from './db';

/** One substation or feeder as stored (the shape of @placetwin/energy's GridAsset). */
export interface GridAssetRecord {
  id: string;
  name: string | null;
  kind: 'substation' | 'feeder';
  coordinates: [number, number][];
  capacityKw: number;
  rated: { value: number; unit: 'kW' | 'kVA'; powerFactor: number | null };
  baseLoadKw: number;
  substationId: string | null;
  properties: Record<string, unknown>;
}

export interface GridNetworkSummary {
  name: string;
  source: string;
  label: string | null;
  constructed: boolean;
  attribution: string | null;
  substations: number;
  feeders: number;
  importedAt: string;
}

const NETWORK_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Replaces the network `name` with these assets in one transaction (nothing is written if any row fails). */
export async function importGridNetwork(
  db: Db,
  name: string,
  assets: GridAssetRecord[],
  meta: {
    source: string;
    label?: string | null;
    constructed?: boolean;
    attribution?: string | null;
    areaId?: string;
  },
): Promise<{ count: number }> {
  if (!NETWORK_NAME.test(name))
    throw new DataError(
      'invalid-name',
      `network name "${name}" must be lower-case letters, digits and hyphens`,
      {
        file: meta.source,
      },
    );
  const areaId = meta.areaId ?? 'default';
  return db.transaction(async (tx) => {
    await tx.query('DELETE FROM grid_networks WHERE area_id = $1 AND name = $2', [areaId, name]);
    const id = (
      await tx.query<{ id: number }>(
        `INSERT INTO grid_networks (area_id, name, source, label, constructed, attribution)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [areaId, name, meta.source, meta.label ?? null, meta.constructed ?? false, meta.attribution ?? null],
      )
    ).rows[0].id;
    await tx.query(
      `INSERT INTO grid_assets (network_id, area_id, asset_id, kind, name, capacity_kw, rated_value, rated_unit,
         power_factor, base_load_kw, substation_id, properties, geom)
       SELECT $1, $3, r.asset_id, r.kind, r.name, r.capacity_kw, r.rated_value, r.rated_unit, r.power_factor,
         r.base_load_kw, r.substation_id, r.properties, ST_SetSRID(ST_GeomFromGeoJSON(r.geometry::text), 4326)
       FROM jsonb_to_recordset($2::jsonb) AS r(asset_id text, kind text, name text, capacity_kw float8,
         rated_value float8, rated_unit text, power_factor float8, base_load_kw float8, substation_id text,
         properties jsonb, geometry jsonb)`,
      [
        id,
        JSON.stringify(
          assets.map((a) => ({
            asset_id: a.id,
            kind: a.kind,
            name: a.name,
            capacity_kw: a.capacityKw,
            rated_value: a.rated.value,
            rated_unit: a.rated.unit,
            power_factor: a.rated.powerFactor,
            base_load_kw: a.baseLoadKw,
            substation_id: a.substationId,
            properties: a.properties,
            geometry:
              a.kind === 'substation'
                ? { type: 'Point', coordinates: a.coordinates[0] }
                : { type: 'LineString', coordinates: a.coordinates },
          })),
        ),
        areaId,
      ],
    );
    return { count: assets.length };
  });
}

export async function listGridNetworks(db: Db, areaId = 'default'): Promise<GridNetworkSummary[]> {
  const r = await db.query<GridNetworkSummary>(
    `SELECT n.name, n.source, n.label, n.constructed, n.attribution,
       count(*) FILTER (WHERE a.kind = 'substation')::int AS substations,
       count(*) FILTER (WHERE a.kind = 'feeder')::int AS feeders,
       to_char(n.imported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "importedAt"
     FROM grid_networks n LEFT JOIN grid_assets a ON a.network_id = n.id AND a.area_id = n.area_id
     WHERE n.area_id = $1 GROUP BY n.id ORDER BY n.name`,
    [areaId],
  );
  return r.rows;
}

/** A network and its assets, or null if there is none of that name. */
export async function getGridNetwork(
  db: Db,
  name: string,
  areaId = 'default',
): Promise<{ network: GridNetworkSummary; assets: GridAssetRecord[] } | null> {
  const network = (await listGridNetworks(db, areaId)).find((n) => n.name === name);
  if (!network) return null;
  const r = await db.query<{
    id: string;
    name: string | null;
    kind: 'substation' | 'feeder';
    capacity_kw: number;
    rated_value: number;
    rated_unit: 'kW' | 'kVA';
    power_factor: number | null;
    base_load_kw: number;
    substation_id: string | null;
    properties: Record<string, unknown>;
    geometry: { coordinates: [number, number] | [number, number][] };
  }>(
    `SELECT a.asset_id AS id, a.name, a.kind, a.capacity_kw, a.rated_value, a.rated_unit, a.power_factor,
       a.base_load_kw, a.substation_id, a.properties, ST_AsGeoJSON(a.geom, 7)::json AS geometry
     FROM grid_assets a JOIN grid_networks n ON n.id = a.network_id AND n.area_id = a.area_id
     WHERE a.area_id = $1 AND n.name = $2 ORDER BY a.asset_id`,
    [areaId, name],
  );
  return {
    network,
    assets: r.rows.map((row) => ({
      id: row.id,
      name: row.name,
      kind: row.kind,
      coordinates:
        row.kind === 'substation'
          ? [row.geometry.coordinates as [number, number]]
          : (row.geometry.coordinates as [number, number][]),
      capacityKw: row.capacity_kw,
      rated: { value: row.rated_value, unit: row.rated_unit, powerFactor: row.power_factor },
      baseLoadKw: row.base_load_kw,
      substationId: row.substation_id,
      properties: row.properties ?? {},
    })),
  };
}

/** A point inside each building's footprint (lon, lat), for assigning it to the grid. */
export async function buildingReferencePoints(db: Db, ids: string[]): Promise<Map<string, [number, number]>> {
  if (ids.length === 0) return new Map();
  const r = await db.query<{ id: string; lon: number; lat: number }>(
    `SELECT b.id, ST_X(p) AS lon, ST_Y(p) AS lat
     FROM buildings b, LATERAL ST_PointOnSurface(b.footprint) AS p WHERE b.id = ANY($1::text[])`,
    [ids],
  );
  return new Map(r.rows.map((row) => [row.id, [row.lon, row.lat]]));
}

/** Buildings of a dataset that carry any of the attributes the council-ownership rule reads. */
export async function ownershipCandidates(
  db: Db,
  dataset: string,
): Promise<{ id: string; attributes: Record<string, unknown> }[]> {
  const r = await db.query<{ id: string; attributes: Record<string, unknown> }>(
    `SELECT b.id, b.attributes FROM buildings b JOIN datasets d ON d.id = b.dataset_id
     WHERE d.name = $1 AND b.kind = 'building'
       AND b.attributes ?| array['council_owned', 'owner', 'operator', 'name']
     ORDER BY b.id`,
    [dataset],
  );
  return r.rows;
}

/**
 * Marks buildings council-owned (or not) from the council's asset register, by building id or UPRN, in one
 * transaction: sets `council_owned` (yes/no) and `council_owned:source` in their attributes. Every row must match
 * a building of the dataset, else nothing is written and the error names the row.
 */
export async function setCouncilOwnership(
  db: Db,
  dataset: string,
  rows: { line: number; buildingId?: string; uprn?: number; owned: boolean }[],
  source: string,
): Promise<{ buildings: number }> {
  return db.transaction(async (tx) => {
    const ds = await tx.query<{ id: number }>('SELECT id FROM datasets WHERE name = $1', [dataset]);
    if (ds.rows.length === 0) throw new DataError('not-found', `no dataset "${dataset}"`, { file: source });
    const datasetId = ds.rows[0].id;
    const touched = new Set<string>();
    for (const row of rows) {
      let ids: string[];
      if (row.buildingId !== undefined) {
        const r = await tx.query<{ id: string }>(
          'SELECT id FROM buildings WHERE id = $1 AND dataset_id = $2',
          [row.buildingId, datasetId],
        );
        ids = r.rows.map((x) => x.id);
      } else {
        const r = await tx.query<{ id: string }>(
          'SELECT DISTINCT building_id AS id FROM building_uprns WHERE uprn = $1 AND dataset_id = $2',
          [row.uprn, datasetId],
        );
        ids = r.rows.map((x) => x.id);
      }
      if (ids.length === 0)
        throw new DataError(
          'unknown-building',
          `no building of dataset "${dataset}" has ${row.buildingId !== undefined ? `id "${row.buildingId}"` : `UPRN ${row.uprn}`}`,
          { file: source, featureId: `line ${row.line}` },
        );
      await tx.query(
        `UPDATE buildings SET attributes = coalesce(attributes, '{}'::jsonb) || jsonb_build_object('council_owned', $2::text, 'council_owned:source', $3::text)
         WHERE id = ANY($1::text[])`,
        [ids, row.owned ? 'yes' : 'no', source],
      );
      for (const id of ids) touched.add(id);
    }
    return { buildings: touched.size };
  });
}
