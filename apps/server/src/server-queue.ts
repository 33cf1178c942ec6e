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
  private readonly setups: ((boss: Queue) => Promise<void>)[] = [];

  constructor(
    readonly db: Db,
    options: { schema?: string; work?: boolean } = {},
    readonly work = options.work ?? true,
  ) {
    this.schema = options.schema ?? jobsSchema();
  }

  /** What to do once the queue is open: a route registers its worker here (run only if this process works jobs). */
  onStart(setup: (boss: Queue) => Promise<void>): void {
    this.setups.push(setup);
  }

  /**
   * The queue, installed (on first use) and started, with every registered worker. Nothing touches the database
   * until this is called: by the first request that queues a job, or when the server starts listening (so jobs
   * queued before a restart are worked). A failed start (the database was down) is tried again next time.
   */
  start(): Promise<Queue> {
    if (!this.boss) {
      const starting = (async () => {
        const boss = await openQueueOnDb(this.db, this.schema);
        if (this.work) for (const setup of this.setups) await setup(boss);
        return boss;
      })();
      this.boss = starting;
      starting.catch(() => {
        if (this.boss === starting) this.boss = null;
      });
    }
    return this.boss;
  }

  /** Stops working (the job in hand ends first, or fails after `timeout` ms and is retried later). */
  async stop(timeout = 5000): Promise<void> {
    const boss = this.boss && (await this.boss.catch(() => null));
    await boss?.stop({ graceful: true, wait: true, timeout });
  }
}
