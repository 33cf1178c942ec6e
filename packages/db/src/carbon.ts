/**
 * Carbon what-if storage: the stock as @placetwin/carbon needs it, the area's own inputs, saved lever sets and
 * cached results (keyed by the hash of their inputs). The maths stays in @placetwin/carbon.
 */
import type {
  CarbonBudget,
  EnteredEmission,
  LeverSet,
  StockBuilding,
  Target,
  TransportBaseline,
} from '@placetwin/carbon';
import type { Db } from './db';

/** What the twin's stock does not hold, entered by an officer for the whole area. */
export interface CarbonAreaInputs {
  /** The baseline year. */
  startYear: number;
  transport?: TransportBaseline;
  other?: EnteredEmission[];
  targets?: Target[];
  budget?: CarbonBudget;
}

export interface LeverSetRecord {
  dataset: string;
  name: string;
  title: string;
  levers: LeverSet;
  createdAt: string;
  updatedAt: string;
}

const ISO = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

const datasetId = async (db: Db, dataset: string): Promise<number | null> =>
  (await db.query<{ id: number }>('SELECT id FROM datasets WHERE name = $1', [dataset])).rows[0]?.id ?? null;

/**
 * The dataset's buildings (not parts, which would count floor area twice) with what the per-m² energy assumption
 * needs: use class, footprint area, storeys, height. Ordered by id, so results are reproducible.
 */
export async function carbonStockBuildings(db: Db, dataset: string): Promise<StockBuilding[]> {
  const r = await db.query<StockBuilding>(
    `SELECT b.id, b.use_class AS "use", b.footprint_area_m2 AS "footprintAreaM2", b.storeys,
       b.height_m - b.min_height_m AS "heightM"
     FROM buildings b JOIN datasets d ON d.id = b.dataset_id
     WHERE d.name = $1 AND b.kind = 'building' ORDER BY b.id`,
    [dataset],
  );
  return r.rows;
}

/** When the dataset was last imported: the version of its stock, for result hashes. */
export async function carbonStockVersion(db: Db, dataset: string): Promise<string | null> {
  const r = await db.query<{ v: string }>(
    `SELECT ${ISO('imported_at')} || '/' || (SELECT count(*) FROM buildings b WHERE b.dataset_id = d.id) AS v
     FROM datasets d WHERE d.name = $1`,
    [dataset],
  );
  return r.rows[0]?.v ?? null;
}

export async function getCarbonAreaInputs(db: Db, dataset: string): Promise<CarbonAreaInputs | null> {
  const r = await db.query<{ inputs: CarbonAreaInputs; startYear: number }>(
    `SELECT a.inputs, a.start_year AS "startYear" FROM carbon_area_inputs a JOIN datasets d ON d.id = a.dataset_id
     WHERE d.name = $1`,
    [dataset],
  );
  const row = r.rows[0];
  return row ? { ...row.inputs, startYear: row.startYear } : null;
}

/** Saves (replaces) the area inputs; false when there is no such dataset. */
export async function saveCarbonAreaInputs(
  db: Db,
  dataset: string,
  inputs: CarbonAreaInputs,
): Promise<boolean> {
  const id = await datasetId(db, dataset);
  if (id === null) return false;
  await db.query(
    `INSERT INTO carbon_area_inputs (dataset_id, start_year, inputs) VALUES ($1, $2, $3::jsonb)
     ON CONFLICT (dataset_id) DO UPDATE SET start_year = excluded.start_year, inputs = excluded.inputs, updated_at = now()`,
    [id, inputs.startYear, JSON.stringify(inputs)],
  );
  return true;
}

const LEVER_SET_COLUMNS = `d.name AS dataset, l.name, l.title, l.levers,
  ${ISO('l.created_at')} AS "createdAt", ${ISO('l.updated_at')} AS "updatedAt"`;

export async function listLeverSets(db: Db, dataset: string): Promise<LeverSetRecord[]> {
  return (
    await db.query<LeverSetRecord>(
      `SELECT ${LEVER_SET_COLUMNS} FROM carbon_lever_sets l JOIN datasets d ON d.id = l.dataset_id
       WHERE d.name = $1 ORDER BY l.name`,
      [dataset],
    )
  ).rows;
}

export async function getLeverSet(db: Db, dataset: string, name: string): Promise<LeverSetRecord | null> {
  return (
    (
      await db.query<LeverSetRecord>(
        `SELECT ${LEVER_SET_COLUMNS} FROM carbon_lever_sets l JOIN datasets d ON d.id = l.dataset_id
         WHERE d.name = $1 AND l.name = $2`,
        [dataset, name],
      )
    ).rows[0] ?? null
  );
}

/** Creates or replaces a lever set; null when there is no such dataset. */
export async function saveLeverSet(
  db: Db,
  dataset: string,
  set: { name: string; title: string; levers: LeverSet },
): Promise<LeverSetRecord | null> {
  const id = await datasetId(db, dataset);
  if (id === null) return null;
  await db.query(
    `INSERT INTO carbon_lever_sets (dataset_id, name, title, levers) VALUES ($1, $2, $3, $4::jsonb)
     ON CONFLICT (dataset_id, name) DO UPDATE SET title = excluded.title, levers = excluded.levers, updated_at = now()`,
    [id, set.name, set.title, JSON.stringify(set.levers)],
  );
  return getLeverSet(db, dataset, set.name);
}

export async function deleteLeverSet(db: Db, dataset: string, name: string): Promise<boolean> {
  const r = await db.query<{ n: number }>(
    `WITH x AS (DELETE FROM carbon_lever_sets l USING datasets d
       WHERE d.id = l.dataset_id AND d.name = $1 AND l.name = $2 RETURNING 1)
     SELECT count(*)::int AS n FROM x`,
    [dataset, name],
  );
  return r.rows[0].n > 0;
}

export async function getCarbonResult<T>(db: Db, dataset: string, inputsHash: string): Promise<T | null> {
  const r = await db.query<{ result: T }>(
    `SELECT c.result FROM carbon_results c JOIN datasets d ON d.id = c.dataset_id
     WHERE d.name = $1 AND c.inputs_hash = $2`,
    [dataset, inputsHash],
  );
  return r.rows[0]?.result ?? null;
}

/** Most results a dataset keeps; older ones are dropped when a new one is saved. */
export const CARBON_RESULTS_KEPT = 200;

/** Stores a computed result under its inputs' hash (one transaction: insert, then drop the oldest beyond the cap). */
export async function saveCarbonResult(
  db: Db,
  dataset: string,
  inputsHash: string,
  result: unknown,
): Promise<void> {
  await db.transaction(async (tx) => {
    const id = await datasetId(tx, dataset);
    if (id === null) return;
    await tx.query(
      `INSERT INTO carbon_results (dataset_id, inputs_hash, result) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (dataset_id, inputs_hash) DO UPDATE SET result = excluded.result, computed_at = now()`,
      [id, inputsHash, JSON.stringify(result)],
    );
    await tx.query(
      `DELETE FROM carbon_results WHERE dataset_id = $1 AND inputs_hash NOT IN (
         SELECT inputs_hash FROM carbon_results WHERE dataset_id = $1 ORDER BY computed_at DESC LIMIT $2)`,
      [id, CARBON_RESULTS_KEPT],
    );
  });
}
