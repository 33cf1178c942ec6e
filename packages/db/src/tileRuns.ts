import type { Db } from './db';

/** A tiling run (see migrations/011): one dataset tiled by one job per quadtree cell. */
export interface TileRun {
  id: string;
  dataset: string;
  state: 'running' | 'done' | 'cancelled' | 'failed';
  /** The tileset plan (JSON), without the cells' building ids. */
  plan: unknown;
  cellsTotal: number;
  cellsDone: number;
  createdAt: string;
  finishedAt: string | null;
}

const RUN_COLUMNS = `r.id, r.dataset, r.state, r.plan, r.cells_total AS "cellsTotal",
  (SELECT count(*) FROM tile_run_cells c WHERE c.run_id = r.id)::int AS "cellsDone",
  to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "createdAt",
  to_char(r.finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "finishedAt"`;

/** Records a run; planning it again (a retried job) replaces its plan and forgets the cells built so far. */
export async function createTileRun(
  db: Db,
  run: { id: string; dataset: string; plan: unknown; cellsTotal: number },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM tile_run_cells WHERE run_id = $1', [run.id]);
    await tx.query(
      `INSERT INTO tile_runs (id, dataset, plan, cells_total) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET dataset = $2, plan = $3, cells_total = $4, state = 'running', finished_at = NULL`,
      [run.id, run.dataset, JSON.stringify(run.plan), run.cellsTotal],
    );
  });
}

export async function getTileRun(db: Db, id: string): Promise<TileRun | null> {
  const r = await db.query<TileRun>(`SELECT ${RUN_COLUMNS} FROM tile_runs r WHERE r.id = $1`, [id]);
  return r.rows[0] ?? null;
}

/** The latest runs, newest first, without their plans. */
export async function listTileRuns(db: Db, limit = 50): Promise<Omit<TileRun, 'plan'>[]> {
  const r = await db.query<TileRun>(
    `SELECT ${RUN_COLUMNS} FROM tile_runs r ORDER BY r.created_at DESC, r.id LIMIT $1`,
    [limit],
  );
  return r.rows.map(({ plan: _plan, ...run }) => run);
}

/**
 * Records one built cell (again: no change, so a retried cell job is harmless) and returns how many cells of
 * the run are built.
 */
export async function recordTileCell(
  db: Db,
  cell: { runId: string; cell: number; result: unknown; worker: string },
): Promise<number> {
  await db.query(
    `INSERT INTO tile_run_cells (run_id, cell, result, worker) VALUES ($1, $2, $3, $4)
     ON CONFLICT (run_id, cell) DO NOTHING`,
    [cell.runId, cell.cell, JSON.stringify(cell.result), cell.worker],
  );
  const r = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM tile_run_cells WHERE run_id = $1', [
    cell.runId,
  ]);
  return r.rows[0].n;
}

/** The built cells of a run, in cell order, with the worker that built each. */
export async function tileRunCells(
  db: Db,
  runId: string,
): Promise<{ cell: number; result: unknown; worker: string }[]> {
  const r = await db.query<{ cell: number; result: unknown; worker: string }>(
    'SELECT cell, result, worker FROM tile_run_cells WHERE run_id = $1 ORDER BY cell',
    [runId],
  );
  return r.rows;
}

/** Ends a run (done, cancelled or failed); a run already ended keeps its state. Returns whether it changed. */
export async function endTileRun(
  db: Db,
  id: string,
  state: 'done' | 'cancelled' | 'failed',
): Promise<boolean> {
  const r = await db.query<{ id: string }>(
    `UPDATE tile_runs SET state = $2, finished_at = now() WHERE id = $1 AND state = 'running' RETURNING id`,
    [id, state],
  );
  return r.rows.length > 0;
}
