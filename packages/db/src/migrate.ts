import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './db';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../migrations');

/** Numbered SQL files (`001_init.sql`, …), applied in order, each once, each in its own transaction. */
export const migrationFiles = (): string[] =>
  readdirSync(dir)
    .filter((f) => /^\d{3}_.+\.sql$/.test(f))
    .sort();

/**
 * Applies the migrations not yet applied. `until` stops after the named file (e.g. `019_energy_grid_area_keys.sql`),
 * for tests of how a later migration fills in the rows an earlier schema holds.
 */
export async function migrate(db: Db, options: { until?: string } = {}): Promise<string[]> {
  await db.query('CREATE EXTENSION IF NOT EXISTS postgis');
  await db.query(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
  );
  const done = new Set(
    (await db.query<{ version: string }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version),
  );
  const applied: string[] = [];
  for (const file of migrationFiles()) {
    if (options.until !== undefined && file > options.until) break;
    if (done.has(file)) continue;
    const sql = readFileSync(join(dir, file), 'utf8');
    await db.transaction(async (tx) => {
      for (const stmt of splitSql(sql)) await tx.query(stmt);
      await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [file]);
    });
    applied.push(file);
  }
  return applied;
}

/** Splits a migration into statements (our migrations use no semicolons inside strings or bodies). */
const splitSql = (sql: string): string[] =>
  sql
    .replace(/--.*$/gm, '')
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
