import {
  type BBox,
  type BuildingFeature,
  DataError,
  type DatasetMeta,
  decodePolygonalWkb,
  encodeMultiPolygonWkb,
  type GeoJsonGeometry,
  type ImportedFeature,
  type MapFeature,
  type MultiPolygon2,
  type Surface,
} from '@placetwin/geo';
import type { Db } from './db';
import { linkOsmUprnTags } from './uprns';

export interface DatasetSummary {
  id: number;
  name: string;
  title: string;
  source: string;
  licence: string;
  attribution: string;
  vintage: string | null;
  crs: string;
  buildingCount: number;
  bbox: BBox | null;
  tilesetUrl: string | null;
  tilesetHash: string | null;
  importedAt: string;
}

export interface ImportCounts {
  datasetId: number;
  buildings: number;
  parts: number;
  mapFeatures: number;
  /** Rows of an earlier import of the dataset that this import no longer contains. */
  removed: number;
}

/** What the tiler needs of a building (structurally the `TileableBuilding` of @placetwin/tiles). */
export interface TilingBuilding {
  id: string;
  footprint: MultiPolygon2;
  minHeightM: number;
  heightM: number;
  surfaces?: Surface[];
  properties: Record<string, string | number | boolean | null>;
}

const BATCH = 250;
/** Buildings in one import above which it refreshes the table's planner statistics itself. */
const ANALYZE_AFTER = 50_000;

const DATASET_COLUMNS = `
  d.id, d.name, d.title, d.source, d.licence, d.attribution, d.vintage, d.crs,
  to_char(d.imported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "importedAt",
  d.tileset_url AS "tilesetUrl", d.tileset_hash AS "tilesetHash",
  CASE WHEN d.bbox IS NULL THEN NULL ELSE
    json_build_array(ST_XMin(d.bbox), ST_YMin(d.bbox), ST_XMax(d.bbox), ST_YMax(d.bbox)) END AS bbox,
  (SELECT count(*) FROM buildings b WHERE b.dataset_id = d.id AND b.kind = 'building')::int AS "buildingCount"`;

/** The datasets of one area, or (no area: install-wide jobs such as the CLI's) of every area. */
export async function listDatasets(db: Db, areaId?: string): Promise<DatasetSummary[]> {
  return (
    await db.query<DatasetSummary>(
      `SELECT ${DATASET_COLUMNS} FROM datasets d WHERE ($1::text IS NULL OR d.area_id = $1) ORDER BY d.name`,
      [areaId ?? null],
    )
  ).rows;
}

export async function getDataset(db: Db, name: string): Promise<DatasetSummary | null> {
  return (
    (await db.query<DatasetSummary>(`SELECT ${DATASET_COLUMNS} FROM datasets d WHERE d.name = $1`, [name]))
      .rows[0] ?? null
  );
}

const surfacesToJson = (s: Surface[] | undefined) =>
  s
    ? JSON.stringify(s.map((x) => ({ semantic: x.semantic, rings: x.rings.map((r) => Array.from(r)) })))
    : null;

export const surfacesFromJson = (j: unknown): Surface[] | undefined =>
  Array.isArray(j)
    ? j.map((x: { semantic: Surface['semantic']; rings: number[][] }) => ({
        semantic: x.semantic,
        rings: x.rings.map((r) => Float64Array.from(r)),
      }))
    : undefined;

function buildingRow(datasetName: string, f: BuildingFeature): unknown[] {
  return [
    `${datasetName}:${f.sourceId}`,
    f.sourceId,
    f.kind,
    f.parentSourceId,
    encodeMultiPolygonWkb(f.footprint),
    f.groundElevationM,
    f.minHeightM,
    f.heightM,
    f.heightSource,
    f.heightMethod,
    f.storeys,
    f.use,
    f.name,
    JSON.stringify(f.attributes ?? {}),
    surfacesToJson(f.surfaces),
  ];
}

async function insertBuildings(
  tx: Db,
  datasetId: number,
  areaId: string,
  run: number,
  datasetName: string,
  rows: BuildingFeature[],
) {
  const params: unknown[] = [datasetId, run, areaId];
  const values = rows.map((f) => {
    const base = params.length;
    params.push(...buildingRow(datasetName, f));
    const p = (i: number) => `$${base + i}`;
    return `(${p(1)}, $1::int, ${p(2)}, ${p(3)}, ${p(4)}, ST_Multi(ST_GeomFromWKB(${p(5)}, 4326)), ${p(6)}::float8, ${p(7)}::float8, ${p(8)}::float8, ${p(9)}, ${p(10)}, ${p(11)}::int, ${p(12)}, ${p(13)}, ${p(14)}::jsonb, ${p(15)}::jsonb, $2::bigint)`;
  });
  // Each building carries its dataset's area (migration 021): the key area-scoped reads filter on.
  await tx.query(
    `INSERT INTO buildings AS b (id, dataset_id, source_id, kind, parent_source_id, footprint, ground_elevation_m,
       min_height_m, height_m, height_source, height_method, storeys, use_class, name, attributes, surfaces, import_run,
       footprint_area_m2, area_id)
     SELECT v.*, ST_Area(v.footprint::geography), $3::text FROM (VALUES ${values.join(',')}) AS v (id, dataset_id, source_id, kind, parent_source_id, footprint,
       ground_elevation_m, min_height_m, height_m, height_source, height_method, storeys, use_class, name, attributes,
       surfaces, import_run)
     ON CONFLICT (dataset_id, source_id) DO UPDATE SET
       kind = excluded.kind, parent_source_id = excluded.parent_source_id, footprint = excluded.footprint,
       ground_elevation_m = excluded.ground_elevation_m, min_height_m = excluded.min_height_m,
       height_m = excluded.height_m, height_source = excluded.height_source, height_method = excluded.height_method,
       storeys = excluded.storeys, use_class = excluded.use_class, name = excluded.name,
       attributes = excluded.attributes, surfaces = excluded.surfaces, import_run = excluded.import_run,
       footprint_area_m2 = excluded.footprint_area_m2`,
    params,
  );
}

async function insertMapFeatures(tx: Db, datasetId: number, run: number, rows: MapFeature[]) {
  const params: unknown[] = [datasetId, run];
  const values = rows.map((f) => {
    const base = params.length;
    params.push(f.sourceId, f.layer, f.class, f.name, JSON.stringify(f.geometry));
    return `($1::int, $${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, ST_SetSRID(ST_GeomFromGeoJSON($${base + 5}), 4326), $2::bigint)`;
  });
  await tx.query(
    `INSERT INTO map_features (dataset_id, source_id, layer, class, name, geom, import_run)
     VALUES ${values.join(',')}
     ON CONFLICT (dataset_id, source_id, layer) DO UPDATE SET
       class = excluded.class, name = excluded.name, geom = excluded.geom, import_run = excluded.import_run`,
    params,
  );
}

/**
 * Imports a stream of features into a dataset in ONE transaction. Buildings are upserted by (dataset, sourceId),
 * so ids are stable and re-importing the same file is idempotent; rows of the dataset that the stream no longer
 * contains are removed. If the stream throws, nothing is written and the error propagates unchanged.
 */
export async function importFeatures(
  db: Db,
  meta: DatasetMeta,
  features: AsyncIterable<ImportedFeature> | Iterable<ImportedFeature>,
  options: {
    onProgress?: (p: { done: number; total?: number }) => void;
    /** The area the dataset belongs to (default `default`); re-importing another area's dataset is refused. */
    areaId?: string;
  } = {},
): Promise<ImportCounts> {
  const areaId = options.areaId ?? 'default';
  return db.transaction(async (tx) => {
    if (!(await tx.query('SELECT 1 FROM areas WHERE id = $1', [areaId])).rows.length) {
      throw new DataError(
        'unknown-area',
        `there is no area "${areaId}" (add it with \`placetwin area add\`)`,
      );
    }
    const ds = await tx.query<{ id: number }>(
      `INSERT INTO datasets (name, title, source, licence, attribution, vintage, crs, area_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (name) DO UPDATE SET title = excluded.title, source = excluded.source, licence = excluded.licence,
         attribution = excluded.attribution, vintage = excluded.vintage, crs = excluded.crs, imported_at = now(),
         tileset_url = NULL, tileset_hash = NULL, tileset_built_at = NULL
       WHERE datasets.area_id = excluded.area_id
       RETURNING id`,
      [meta.name, meta.title, meta.source, meta.licence, meta.attribution, meta.vintage, meta.crs, areaId],
    );
    if (!ds.rows[0]) {
      throw new DataError(
        'dataset-in-other-area',
        `dataset "${meta.name}" belongs to another area: import under another --dataset name`,
      );
    }
    const datasetId = ds.rows[0].id;
    const run = Date.now();
    const seenBuildings = new Set<string>();
    const seenMap = new Set<string>();
    let buildings: BuildingFeature[] = [];
    let mapFeatures: MapFeature[] = [];
    const counts = { datasetId, buildings: 0, parts: 0, mapFeatures: 0, removed: 0 };
    const flush = async () => {
      if (buildings.length) await insertBuildings(tx, datasetId, areaId, run, meta.name, buildings);
      if (mapFeatures.length) await insertMapFeatures(tx, datasetId, run, mapFeatures);
      buildings = [];
      mapFeatures = [];
      options.onProgress?.({ done: counts.buildings + counts.parts + counts.mapFeatures });
    };
    for await (const f of features) {
      if (f.kind === 'map') {
        const key = `${f.layer}/${f.sourceId}`;
        if (seenMap.has(key)) continue; // one geometry per (feature, layer) for the basemap
        seenMap.add(key);
        mapFeatures.push(f);
        counts.mapFeatures++;
      } else {
        if (seenBuildings.has(f.sourceId)) {
          throw new DataError('duplicate-feature-id', `feature id ${f.sourceId} occurs twice`, {
            file: meta.source,
            featureId: f.sourceId,
          });
        }
        seenBuildings.add(f.sourceId);
        buildings.push(f);
        if (f.kind === 'part') counts.parts++;
        else counts.buildings++;
      }
      if (buildings.length >= BATCH || mapFeatures.length >= BATCH) await flush();
    }
    await flush();
    const removedB = await tx.query<{ n: number }>(
      'WITH d AS (DELETE FROM buildings WHERE dataset_id = $1 AND import_run <> $2 RETURNING 1) SELECT count(*)::int AS n FROM d',
      [datasetId, run],
    );
    const removedM = await tx.query<{ n: number }>(
      'WITH d AS (DELETE FROM map_features WHERE dataset_id = $1 AND import_run <> $2 RETURNING 1) SELECT count(*)::int AS n FROM d',
      [datasetId, run],
    );
    counts.removed = removedB.rows[0].n + removedM.rows[0].n;
    await linkOsmUprnTags(tx, datasetId);
    // A large import changes the table's statistics at once: without this, the tiling that follows it plans its
    // queries on the old counts until autovacuum runs (a national file: a plan for 5,000 rows meets a million).
    if (counts.buildings + counts.parts >= ANALYZE_AFTER) await tx.query('ANALYZE buildings');
    await tx.query(
      `UPDATE datasets SET bbox = (
         SELECT ST_Envelope(ST_SetSRID(ST_Extent(g), 4326)) FROM (
           SELECT footprint AS g FROM buildings WHERE dataset_id = $1
           UNION ALL SELECT geom FROM map_features WHERE dataset_id = $1 AND NOT EXISTS (SELECT 1 FROM buildings WHERE dataset_id = $1)
         ) x)
       WHERE id = $1`,
      [datasetId],
    );
    return counts;
  });
}

export interface BuildingRecord {
  id: string;
  sourceId: string;
  kind: 'building' | 'part';
  parentSourceId: string | null;
  name: string | null;
  use: string | null;
  heightM: number;
  minHeightM: number;
  heightSource: BuildingFeature['heightSource'];
  heightMethod: string;
  storeys: number | null;
  footprintAreaM2: number;
  groundElevationM: number | null;
  attributes: Record<string, unknown>;
  footprint: GeoJsonGeometry;
  dataset: {
    name: string;
    title: string;
    source: string;
    licence: string;
    attribution: string;
    vintage: string | null;
  };
}

export const BUILDING_COLUMNS = `
  b.id, b.source_id AS "sourceId", b.kind, b.parent_source_id AS "parentSourceId", b.name, b.use_class AS "use",
  b.height_m AS "heightM", b.min_height_m AS "minHeightM", b.height_source AS "heightSource",
  b.height_method AS "heightMethod", b.storeys, b.footprint_area_m2 AS "footprintAreaM2",
  b.ground_elevation_m AS "groundElevationM", b.attributes`;

export async function getBuilding(db: Db, id: string): Promise<BuildingRecord | null> {
  const r = await db.query<BuildingRecord>(
    `SELECT ${BUILDING_COLUMNS}, ST_AsGeoJSON(b.footprint, 7)::json AS footprint,
       json_build_object('name', d.name, 'title', d.title, 'source', d.source, 'licence', d.licence,
         'attribution', d.attribution, 'vintage', d.vintage) AS dataset
     FROM buildings b JOIN datasets d ON d.id = b.dataset_id WHERE b.id = $1`,
    [id],
  );
  return r.rows[0] ?? null;
}

export interface BuildingGeoJsonFeature {
  type: 'Feature';
  id: string;
  properties: Omit<BuildingRecord, 'footprint' | 'dataset' | 'attributes'> & { dataset: string };
  geometry: GeoJsonGeometry;
}

/** Buildings whose footprints intersect a bbox, as GeoJSON features (for clients and the GeoJSON benchmark). */
export async function buildingsInBbox(
  db: Db,
  bbox: BBox,
  options: { dataset?: string; limit?: number; areaId?: string } = {},
): Promise<BuildingGeoJsonFeature[]> {
  const r = await db.query<BuildingRecord & { datasetName: string }>(
    `SELECT ${BUILDING_COLUMNS}, d.name AS "datasetName", ST_AsGeoJSON(b.footprint, 7)::json AS footprint
     FROM buildings b JOIN datasets d ON d.id = b.dataset_id
     WHERE b.footprint && ST_MakeEnvelope($1, $2, $3, $4, 4326)
       AND ST_Intersects(b.footprint, ST_MakeEnvelope($1, $2, $3, $4, 4326))
       AND ($5::text IS NULL OR d.name = $5) AND ($7::text IS NULL OR b.area_id = $7)
     ORDER BY b.id LIMIT $6`,
    [...bbox, options.dataset ?? null, options.limit ?? 10_000, options.areaId ?? null],
  );
  return r.rows.map(({ footprint, attributes: _a, datasetName, ...p }) => ({
    type: 'Feature',
    id: p.id,
    properties: { ...p, dataset: datasetName },
    geometry: footprint,
  }));
}

/** Every building of a dataset, ready for the tiler (geometry decoded straight from WKB into typed arrays). */
export async function buildingsForTiling(
  db: Db,
  datasetName: string,
  options: {
    /** Only these buildings (one tiling job's cell); default: all of the dataset. */
    ids?: readonly string[];
    /** A page: the buildings after this id (in the database's id order), at most `limit` of them. */
    afterId?: string;
    limit?: number;
  } = {},
): Promise<TilingBuilding[]> {
  const r = await db.query<{
    id: string;
    sourceId: string;
    name: string | null;
    use: string | null;
    heightM: number;
    minHeightM: number;
    heightSource: string;
    heightMethod: string;
    storeys: number | null;
    footprintAreaM2: number;
    wkb: Uint8Array;
    surfaces: unknown;
  }>(
    `SELECT b.id, b.source_id AS "sourceId", b.name, b.use_class AS "use", b.height_m AS "heightM",
       b.min_height_m AS "minHeightM", b.height_source AS "heightSource", b.height_method AS "heightMethod",
       b.storeys, b.footprint_area_m2 AS "footprintAreaM2", ST_AsBinary(b.footprint) AS wkb, b.surfaces
     FROM buildings b JOIN datasets d ON d.id = b.dataset_id
     WHERE d.name = $1 AND ($2::text[] IS NULL OR b.id = ANY($2::text[])) AND ($3::text IS NULL OR b.id > $3)
       -- A building drawn by its parts is not drawn itself (OSM Simple 3D Buildings; CityJSON/CityGML parents):
       -- its parts name it as parent, or (OSM, no link) a part lies inside its outline. Two tests, not one with
       -- an OR: each can use its own partial index of parts (migration 020), where an OR inside one EXISTS
       -- scanned every building of the dataset for each building (hours at a million).
       AND NOT (b.kind = 'building' AND EXISTS (
         SELECT 1 FROM buildings p
          WHERE p.kind = 'part' AND p.dataset_id = b.dataset_id AND p.parent_source_id = b.source_id))
       AND NOT (b.kind = 'building' AND EXISTS (
         SELECT 1 FROM buildings p
          WHERE p.kind = 'part' AND p.dataset_id = b.dataset_id AND p.parent_source_id IS NULL
            AND p.footprint && b.footprint AND ST_Contains(b.footprint, ST_PointOnSurface(p.footprint))))
     ORDER BY b.id LIMIT $4`,
    [datasetName, options.ids ? [...options.ids] : null, options.afterId ?? null, options.limit ?? null],
  );
  return r.rows.map((b) => ({
    id: b.id,
    footprint: decodePolygonalWkb(b.wkb),
    minHeightM: b.minHeightM,
    heightM: b.heightM,
    surfaces: surfacesFromJson(b.surfaces),
    properties: {
      id: b.id,
      sourceId: b.sourceId,
      dataset: datasetName,
      name: b.name,
      use: b.use,
      heightM: b.heightM,
      minHeightM: b.minHeightM,
      heightSource: b.heightSource,
      heightMethod: b.heightMethod,
      storeys: b.storeys,
      footprintAreaM2: Math.round(b.footprintAreaM2 * 10) / 10,
    },
  }));
}

export async function setTileset(
  db: Db,
  datasetName: string,
  t: { url: string; hash: string },
): Promise<void> {
  await db.query(
    'UPDATE datasets SET tileset_url = $2, tileset_hash = $3, tileset_built_at = now() WHERE name = $1',
    [datasetName, t.url, t.hash],
  );
}

export async function countBuildings(db: Db, datasetName?: string): Promise<number> {
  const r = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM buildings b JOIN datasets d ON d.id = b.dataset_id
     WHERE b.kind = 'building' AND ($1::text IS NULL OR d.name = $1)`,
    [datasetName ?? null],
  );
  return r.rows[0].n;
}

export interface MapFeatureRow {
  layer: MapFeature['layer'];
  class: string;
  name: string | null;
  geometry: GeoJsonGeometry;
}

/**
 * Basemap geometry in a bbox, clipped to it (plus a margin so strokes do not end at tile edges) and simplified to
 * `toleranceDeg` (about a pixel at the tile's zoom).
 */
export async function mapFeaturesInBbox(
  db: Db,
  bbox: BBox,
  options: { limit?: number; toleranceDeg?: number; marginDeg?: number } = {},
): Promise<MapFeatureRow[]> {
  const m = options.marginDeg ?? 0;
  const r = await db.query<MapFeatureRow>(
    `WITH env AS (SELECT ST_MakeEnvelope($1, $2, $3, $4, 4326) AS e)
     SELECT layer, class, name,
       ST_AsGeoJSON(ST_SimplifyPreserveTopology(ST_ClipByBox2D(geom, env.e), $5), 7)::json AS geometry
     FROM map_features, env
     WHERE geom && env.e
     ORDER BY CASE layer WHEN 'landuse' THEN 0 WHEN 'water' THEN 1 WHEN 'rail' THEN 3 WHEN 'road' THEN 2 ELSE 4 END, id
     LIMIT $6`,
    [bbox[0] - m, bbox[1] - m, bbox[2] + m, bbox[3] + m, options.toleranceDeg ?? 0, options.limit ?? 50_000],
  );
  return r.rows.filter((x) => x.geometry && (x.geometry as { coordinates?: unknown[] }).coordinates?.length);
}

/** Bounding box of everything loaded, or null when the database is empty. */
export async function dataExtent(db: Db): Promise<BBox | null> {
  const r = await db.query<{ b: BBox | null }>(
    `SELECT CASE WHEN count(bbox) = 0 THEN NULL ELSE json_build_array(ST_XMin(ST_Extent(bbox)), ST_YMin(ST_Extent(bbox)),
       ST_XMax(ST_Extent(bbox)), ST_YMax(ST_Extent(bbox))) END AS b FROM datasets`,
  );
  return r.rows[0]?.b ?? null;
}
