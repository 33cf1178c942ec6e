import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import pg from 'pg';
import { migrate } from './migrate';

/** One query interface over the embedded PGlite and a PostgreSQL server: same SQL, same results. */
export interface Db {
  readonly kind: 'embedded' | 'server';
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
  /** Runs fn in one transaction (nested calls join the outer one). Throwing rolls everything back. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenDbOptions {
  /** PostgreSQL server URL; when absent the embedded PGlite + PostGIS is used. */
  databaseUrl?: string;
  /** Embedded database directory, or `memory://` for a throwaway one. */
  dataDir?: string;
  /** Schema for the tables (server mode), e.g. to isolate test runs; PostGIS stays in `public`. */
  schema?: string;
  /** Embedded mode: start from this copy of a data directory (from `dumpEmbedded`) instead of an empty one. */
  loadDataDir?: Blob;
  /** Apply the migrations only up to this file (tests of a later migration's backfill); default: all. */
  migrateUntil?: string;
}

const INT8 = 20;
const NUMERIC = 1700;

// bigint counts and numerics as JS numbers in both modes (ids and counts fit in 2^53).
pg.types.setTypeParser(INT8, (v: string) => Number(v));
pg.types.setTypeParser(NUMERIC, (v: string) => Number(v));

const toPgParam = (v: unknown) =>
  v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v;

/** A promise-chain mutex: PGlite has one connection, so a transaction must own it until it ends. */
function mutex() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => {});
    return run;
  };
}

/** The PGlite behind each embedded Db, for `dumpEmbedded`. */
const embedded = new WeakMap<Db, PGlite>();

async function openEmbedded(dataDir: string, loadDataDir?: Blob): Promise<Db> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const lite = await PGlite.create(dataDir, {
    extensions: { postgis },
    parsers: { [INT8]: (v: string) => Number(v), [NUMERIC]: (v: string) => Number(v) },
    ...(loadDataDir ? { loadDataDir } : {}),
  });
  const exclusive = mutex();
  const raw = async <R>(sql: string, params?: unknown[]) => {
    const r = await lite.query<R>(sql, params);
    return { rows: r.rows };
  };
  const txDb = (): Db => ({
    kind: 'embedded',
    query: raw,
    transaction: (fn) => fn(txDb()),
    close: async () => {},
  });
  const db: Db = {
    kind: 'embedded',
    query: (sql, params) => exclusive(() => raw(sql, params)),
    transaction: (fn) =>
      exclusive(async () => {
        await lite.exec('BEGIN');
        try {
          const result = await fn(txDb());
          await lite.exec('COMMIT');
          return result;
        } catch (e) {
          await lite.exec('ROLLBACK');
          throw e;
        }
      }),
    close: () => exclusive(() => lite.close()),
  };
  embedded.set(db, lite);
  scripts.set(db, (sql) => exclusive(async () => ({ rows: (await lite.exec(sql)).at(-1)?.rows ?? [] })));
  return db;
}

/** Each embedded Db's way to run a script (several statements, no parameters), in turn with its other queries. */
const scripts = new WeakMap<Db, (sql: string) => Promise<{ rows: unknown[] }>>();

/**
 * Runs a script of several statements without parameters (a library's installer, say): PGlite's `query` takes
 * one statement, its `exec` several; a PostgreSQL server takes several in one simple query.
 */
export async function execScript<R = Record<string, unknown>>(db: Db, sql: string): Promise<{ rows: R[] }> {
  const exec = scripts.get(db);
  if (exec) return (await exec(sql)) as { rows: R[] };
  return db.query<R>(sql);
}

/** A copy of an embedded database's whole data directory (a tarball), to open others from with `loadDataDir`. */
export async function dumpEmbedded(db: Db): Promise<Blob> {
  const lite = embedded.get(db);
  if (!lite) throw new Error('dumpEmbedded: not an embedded database');
  return lite.dumpDataDir('none');
}

function openServer(databaseUrl: string, schema?: string): Db {
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema))
    throw new Error(`bad schema name ${schema}`);
  // The schema goes in the startup packet, so every pooled connection has it before its first query.
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 10,
    ...(schema ? { options: `-c search_path=${schema},public` } : {}),
  });
  // An idle connection the server drops (a restart, a failover) emits 'error' on the pool; unhandled, that event
  // would end the process. The pool discards that client and opens a new one for the next query, so the app
  // recovers by itself once the database is back.
  pool.on('error', (e) => {
    process.emitWarning(`PostgreSQL dropped an idle connection: ${e.message}`, 'PlacetwinDbWarning');
  });
  const clientDb = (client: pg.PoolClient): Db => ({
    kind: 'server',
    query: async (sql, params) => ({ rows: (await client.query(sql, params?.map(toPgParam))).rows }),
    transaction: (fn) => fn(clientDb(client)),
    close: async () => {},
  });
  return {
    kind: 'server',
    query: async (sql, params) => ({ rows: (await pool.query(sql, params?.map(toPgParam))).rows }),
    transaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(clientDb(client));
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** Opens the database and brings its schema up to date. */
export async function openDb(options: OpenDbOptions = {}): Promise<Db> {
  let db: Db;
  if (options.databaseUrl) {
    db = openServer(options.databaseUrl, options.schema);
    if (options.schema) {
      await db.query('CREATE EXTENSION IF NOT EXISTS postgis');
      await db.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(options.schema)}`);
    }
  } else {
    const base = options.dataDir ?? process.env.PLACETWIN_DATA_DIR ?? '.placetwin';
    db = await openEmbedded(
      base.startsWith('memory://') ? base : join(resolve(base), 'pgdata'),
      options.loadDataDir,
    );
  }
  await migrate(db, { until: options.migrateUntil });
  return db;
}

/** `DATABASE_URL` → server, else embedded under `PLACETWIN_DATA_DIR` (default `./.placetwin`). */
export const openDbFromEnv = (env: NodeJS.ProcessEnv = process.env): Promise<Db> =>
  openDb({ databaseUrl: env.DATABASE_URL || undefined, dataDir: env.PLACETWIN_DATA_DIR || undefined });
