import type { Db } from '@placetwin/db';
import { DataError } from '@placetwin/geo';
import type { Command } from 'commander';
import { resolvePaths } from './config';
import {
  cancelJob,
  enqueueTiling,
  jobsSchema,
  listJobs,
  openQueue,
  QUEUES,
  startWorker,
  waitForRun,
} from './jobs';
import { loadOstn15 } from './pipeline';
import { tileStoreConfig } from './tile-store';

type WithDb = <T>(fn: (db: Db) => Promise<T>) => Promise<T>;

/** `placetwin tile --queue`: queues the tiling of datasets for the workers, and with --wait follows it. */
export async function queueTiling(db: Db, names: string[], wait: boolean): Promise<number> {
  const boss = await openQueue(resolvePaths().databaseUrl);
  try {
    let code = 0;
    for (const name of names) {
      const id = await enqueueTiling(db, boss, name);
      console.log(`Queued tiling of "${name}": job ${id} (run \`placetwin worker\` to work on it)`);
      if (!wait) continue;
      const state = await waitForRun(db, id, {
        onProgress: (done, total) => console.log(`  ${name}: ${done}/${total} cells`),
        planState: async () => (await boss.getJobById(QUEUES.tile, id))?.state ?? null,
      });
      console.log(`  ${name}: ${state}`);
      if (state !== 'done') code = 1;
    }
    return code;
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}

export function addJobCommands(cmd: Command, withDb: WithDb): void {
  cmd
    .command('worker')
    .description(
      'Work on queued jobs (tiling: plan, one job per quadtree cell, tileset.json) until stopped; needs DATABASE_URL. ' +
        'Run several, on one machine or many, for more throughput',
    )
    .action(async () => {
      const p = resolvePaths();
      await loadOstn15(p.sampleDataDir);
      await withDb(async (db) => {
        const boss = await openQueue(p.databaseUrl);
        const log = (msg: string) => console.log(`[worker ${process.pid}] ${msg}`);
        const stop = await startWorker({ db, boss, tiles: tileStoreConfig(p.tilesetsDir), log });
        log(`working on the queue in schema "${jobsSchema()}"; Ctrl-C to stop`);
        await new Promise<void>((resolve) => {
          const done = () => resolve();
          process.once('SIGINT', done);
          process.once('SIGTERM', done);
        });
        log('stopping after the job in hand …');
        await stop();
      });
    });

  const jobs = cmd
    .command('jobs')
    .description('Queued jobs: list them with progress and retries, cancel them');
  jobs
    .command('list')
    .description(
      'The latest jobs, newest first: tile jobs with their progress (and failed or retrying cell jobs)',
    )
    .option('--all', 'every cell job too')
    .option('-n, --limit <n>', 'how many', '50')
    .action(async (o) => {
      await withDb(async (db) => {
        if (db.kind !== 'server') {
          console.log('No job queue: the embedded database runs jobs inline (set DATABASE_URL for workers).');
          return;
        }
        const rows = await listJobs(db, { cells: Boolean(o.all), limit: Number(o.limit) });
        if (rows.length === 0) console.log('No jobs.');
        for (const j of rows) {
          const progress = j.progress
            ? `\t${j.progress.done}/${j.progress.total} cells (${j.progress.runState})`
            : '';
          console.log(
            `${j.id}\t${j.kind}\t${j.state}\t${j.dataset ?? ''}\tretries ${j.retries}/${j.retryLimit}\t${j.createdAt}${progress}`,
          );
        }
      });
    });
  jobs
    .command('cancel')
    .description('Cancel a job; cancelling a tile job cancels the rest of its run')
    .argument('<id>', 'job id (from `placetwin jobs list`)')
    .action(async (id: string) => {
      if (!/^[0-9a-f-]{36}$/i.test(id)) throw new DataError('invalid-job-id', `"${id}" is not a job id`);
      await withDb(async (db) => {
        const boss = await openQueue(resolvePaths().databaseUrl);
        try {
          const n = await cancelJob(db, boss, id);
          console.log(`Cancelled ${n} job${n === 1 ? '' : 's'}.`);
        } finally {
          await boss.stop({ graceful: false, wait: true });
        }
      });
    });
}
