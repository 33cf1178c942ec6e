import { createHash } from 'node:crypto';
import type { Db } from './db';

/**
 * Stored 15-minute city scores (issue 11): computed once per area, feed and parameters, and read back until the
 * area's points of interest or GTFS feeds are imported again (importPois, importGtfs and deleteGtfsFeed clear the
 * area's rows in their transaction).
 */
export interface FifteenScoreKey {
  areaId: string;
  kind: 'point' | 'map';
  /** The feed asked for; null: any of the area's feeds. */
  feed: string | null;
  /** The other parameters that change the result (JSON-serialisable, in a fixed order). */
  params: unknown[];
  /** fifteenScoreInputs() of the area when the result was (or is being) computed. */
  inputs: string;
}

export interface StoredFifteenScore<T> {
  body: T;
  /** When it was computed (ISO 8601, UTC, milliseconds). */
  computedAt: string;
}

/** Most stored scores an area keeps; the oldest are dropped when a new one is stored. */
export const FIFTEEN_SCORES_KEPT = 2000;

const COMPUTED_AT = `to_char(computed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A hash of the versions of the area's points of interest and GTFS feeds: it changes whenever either is imported. */
export async function fifteenScoreInputs(db: Db, areaId: string): Promise<string> {
  const r = (
    await db.query<{ p: string | null; f: string | null }>(
      `SELECT
         (SELECT string_agg(id || ':' || imported_at, ',' ORDER BY id) FROM poi_sets WHERE area_id = $1) AS p,
         (SELECT string_agg(id || ':' || imported_at, ',' ORDER BY id) FROM gtfs_feeds WHERE area_id = $1) AS f`,
      [areaId],
    )
  ).rows[0];
  return createHash('sha256')
    .update(`pois ${r?.p ?? ''}\nfeeds ${r?.f ?? ''}`)
    .digest('hex');
}

const keyParams = (key: FifteenScoreKey) => [
  key.areaId,
  key.kind,
  key.feed ?? '',
  JSON.stringify(key.params),
  key.inputs,
];

export async function getFifteenScore<T>(
  db: Db,
  key: FifteenScoreKey,
): Promise<StoredFifteenScore<T> | null> {
  const row = (
    await db.query<{ body: T; computedAt: string }>(
      `SELECT body, ${COMPUTED_AT} AS "computedAt" FROM fifteen_scores
       WHERE area_id = $1 AND kind = $2 AND feed = $3 AND params = $4 AND inputs = $5`,
      keyParams(key),
    )
  ).rows[0];
  return row ? { body: row.body, computedAt: row.computedAt } : null;
}

/**
 * Stores a computed score and returns the stored one: when another process stored the same key first, its row
 * (and computedAt) wins, so every process answers alike. Drops the area's oldest beyond FIFTEEN_SCORES_KEPT.
 */
export async function saveFifteenScore<T>(
  db: Db,
  key: FifteenScoreKey,
  body: T,
): Promise<StoredFifteenScore<T>> {
  return db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO fifteen_scores (area_id, kind, feed, params, inputs, body) VALUES ($1, $2, $3, $4, $5, $6::jsonb)
       ON CONFLICT DO NOTHING`,
      [...keyParams(key), JSON.stringify(body)],
    );
    await tx.query(
      `DELETE FROM fifteen_scores WHERE area_id = $1 AND computed_at < (
         SELECT computed_at FROM fifteen_scores WHERE area_id = $1 ORDER BY computed_at DESC OFFSET $2 LIMIT 1)`,
      [key.areaId, FIFTEEN_SCORES_KEPT - 1],
    );
    return (await getFifteenScore<T>(tx, key)) ?? { body, computedAt: new Date().toISOString() };
  });
}

/** Forgets an area's stored scores (its points of interest or feeds changed). */
export async function clearFifteenScores(db: Db, areaId: string): Promise<void> {
  await db.query('DELETE FROM fifteen_scores WHERE area_id = $1', [areaId]);
}
