/**
 * The API server's job queue: pg-boss over the app's own database connection (a PostgreSQL server, or the
 * embedded PGlite), opened once per app and shared by the routes that queue work (sun hours, imports). Each of
 * them registers its worker on it; with `work: false` the process only queues (other API processes, sharing
 * the database and the data folder, work the jobs).
 */
import { jobsSchema, openQueueOnDb } from '@placetwin/cli';
import type { Db } from '@placetwin/db';

export type Queue = Awaited<ReturnType<typeof openQueueOnDb>>;

export class ServerQueue {
  readonly schema: string;
  private boss: Promise<Queue> | null = null;

  constructor(
    readonly db: Db,
    options: { schema?: string; work?: boolean } = {},
    readonly work = options.work ?? true,
  ) {
    this.schema = options.schema ?? jobsSchema();
  }

  /** The queue, installed (on first use) and started. */
  start(): Promise<Queue> {
    this.boss ??= openQueueOnDb(this.db, this.schema);
    return this.boss;
  }

  /** Stops working (the job in hand ends first, or fails after `timeout` ms and is retried later). */
  async stop(timeout = 5000): Promise<void> {
    const boss = this.boss && (await this.boss.catch(() => null));
    await boss?.stop({ graceful: true, wait: true, timeout });
  }
}
