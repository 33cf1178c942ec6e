import { DataError } from '@placetwin/geo';
import type { Db } from './db';
import { clearFifteenScores } from './fifteen';

/** One point of interest to store: where, which essential service, its OSM id and name. */
export interface PoiInput {
  sourceId: string;
  service: string;
  name: string | null;
  lon: number;
  lat: number;
}

/** Points of interest as the router wants them: positions (stride 2), service and name of each. */
export interface PoiPoints {
  lonLat: Float64Array;
  services: string[];
  names: (string | null)[];
  /** The set each point belongs to. */
  setIds: number[];
}

export interface PoiSetSummary {
  id: number;
  name: string;
  source: string;
  licence: string | null;
  attribution: string | null;
  importedAt: string;
  count: number;
  byService: Record<string, number>;
}

const SET_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const BATCH = 4000;

/**
 * Replaces the named set of points of interest with `points`, in ONE transaction (an earlier import of the name
 * stays as it was if anything fails). Coordinates are checked first: nothing is written for a bad one.
 */
export async function importPois(
  db: Db,
  name: string,
  points: PoiInput[],
  meta: {
    source: string;
    licence?: string;
    attribution?: string;
    /** The council area the set belongs to (default `default`); a name another area uses is refused. */
    areaId?: string;
  },
): Promise<{ setId: number; count: number }> {
  const areaId = meta.areaId ?? 'default';
  if (!SET_NAME.test(name))
    throw new DataError('invalid-name', `set name "${name}" must be lower-case letters, digits and hyphens`, {
      file: meta.source,
    });
  for (const p of points)
    if (!(Math.abs(p.lon) <= 180 && Math.abs(p.lat) <= 90))
      throw new DataError('invalid-coordinate', `${p.lon}, ${p.lat} is not a WGS84 position`, {
        file: meta.source,
        featureId: p.sourceId,
      });
  return db.transaction(async (tx) => {
    const taken = await tx.query('SELECT 1 FROM poi_sets WHERE name = $1 AND area_id <> $2', [name, areaId]);
    if (taken.rows.length)
      throw new DataError('poi-set-in-other-area', `set name "${name}" is taken (by another area)`, {
        file: meta.source,
      });
    await tx.query('DELETE FROM poi_sets WHERE area_id = $1 AND name = $2', [areaId, name]);
    // The area's stored 15-minute scores were computed from the points replaced here.
    await clearFifteenScores(tx, areaId);
    const setId = (
      await tx.query<{ id: number }>(
        'INSERT INTO poi_sets (name, source, licence, attribution, area_id) VALUES ($1, $2, $3, $4, $5) RETURNING id',
        [name, meta.source, meta.licence ?? null, meta.attribution ?? null, areaId],
      )
    ).rows[0].id;
    for (let i = 0; i < points.length; i += BATCH)
      await tx.query(
        `INSERT INTO pois (set_id, area_id, source_id, service, name, geom)
         SELECT $1, $3, r.source_id, r.service, r.name, ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326)
         FROM jsonb_to_recordset($2::jsonb) AS r(source_id text, service text, name text, lon float8, lat float8)`,
        [
          setId,
          JSON.stringify(
            points.slice(i, i + BATCH).map((p) => ({
              source_id: p.sourceId,
              service: p.service,
              name: p.name,
              lon: p.lon,
              lat: p.lat,
            })),
          ),
          areaId,
        ],
      );
    return { setId, count: points.length };
  });
}

/** The stored sets with their counts by service. */
export async function listPoiSets(db: Db): Promise<PoiSetSummary[]> {
  const rows = (
    await db.query<{
      id: number;
      name: string;
      source: string;
      licence: string | null;
      attribution: string | null;
      imported_at: Date | string;
      by_service: Record<string, number> | null;
    }>(
      `SELECT s.id, s.name, s.source, s.licence, s.attribution, s.imported_at,
         (SELECT jsonb_object_agg(service, n) FROM (SELECT service, count(*)::int AS n FROM pois p
            WHERE p.set_id = s.id GROUP BY service) q) AS by_service
       FROM poi_sets s ORDER BY s.name`,
    )
  ).rows;
  return rows.map((r) => {
    const byService = r.by_service ?? {};
    return {
      id: Number(r.id),
      name: r.name,
      source: r.source,
      licence: r.licence,
      attribution: r.attribution,
      importedAt: new Date(r.imported_at).toISOString(),
      count: Object.values(byService).reduce((a, b) => a + Number(b), 0),
      byService,
    };
  });
}

/** A key that changes whenever the stored points of interest do (for caches). */
export async function poiVersion(db: Db, areaId?: string): Promise<string> {
  const r = (
    await db.query<{ v: string | null }>(
      `SELECT string_agg(id || ':' || imported_at, ',' ORDER BY id) AS v FROM poi_sets
       WHERE ($1::text IS NULL OR area_id = $1)`,
      [areaId ?? null],
    )
  ).rows[0];
  return r?.v ?? '';
}

/** Every stored point of interest (all sets, or one area's), in id order. */
export async function allPois(db: Db, areaId?: string): Promise<PoiPoints> {
  const rows = (
    await db.query<{ lon: number; lat: number; service: string; name: string | null; set_id: number }>(
      `SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat, service, name, set_id FROM pois
       WHERE ($1::text IS NULL OR area_id = $1) ORDER BY id`,
      [areaId ?? null],
    )
  ).rows;
  const lonLat = new Float64Array(rows.length * 2);
  rows.forEach((r, i) => {
    lonLat[2 * i] = Number(r.lon);
    lonLat[2 * i + 1] = Number(r.lat);
  });
  return {
    lonLat,
    services: rows.map((r) => r.service),
    names: rows.map((r) => r.name),
    setIds: rows.map((r) => Number(r.set_id)),
  };
}
