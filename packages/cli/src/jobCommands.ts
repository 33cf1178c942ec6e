import type { Db } from '@placetwin/db';
import { DataError } from '@placetwin/geo';
import type { Command } from 'commander';
import type PgBoss from 'pg-boss';
import { areaOption } from './areas';
import { resolvePaths } from './config';
import {
  cancelJob,
  enqueueImport,
  enqueueSunHours,
  enqueueTiling,
  getJob,
  type ImportJob,
  type JobRow,
  jobsSchema,
  listJobs,
  openQueue,
  QUEUES,
  queueAdmin,
  retryJob,
  startWorker,
  waitForRun,
} from './jobs';
import { loadOstn15 } from './pipeline';
import type { SunHoursRequest } from './sunHours';
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

/** A job's progress in words: `1200/5000 features (write)`. */
export const progressText = (j: JobRow): string =>
  j.progress
    ? `${j.progress.done}/${j.progress.total ?? '?'} ${j.progress.unit} (${j.progress.runState ?? j.progress.phase})`
    : '';

/** Follows a job until it ends, printing its state and progress as they change; 0 when it completed. */
async function followJob(db: Db, id: string): Promise<number> {
  let said = '';
  for (;;) {
    const job = await getJob(db, id);
    const line = job ? `  ${job.state} ${progressText(job)}`.trimEnd() : '';
    if (line !== said) console.log(line);
    said = line;
    if (job?.state === 'completed') return 0;
    if (!job || job.state === 'failed' || job.state === 'cancelled') {
      if (job?.error) console.log(`  ${job.error}`);
      return 1;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Opens the queue, sends one job with `send`, says so, and with `wait` follows it. */
async function queueOne(
  db: Db,
  what: string,
  send: (boss: PgBoss) => Promise<string>,
  wait: boolean,
): Promise<number> {
  const boss = await openQueue(resolvePaths().databaseUrl);
  try {
    const id = await send(boss);
    console.log(`Queued ${what}: job ${id} (run \`placetwin worker\` to work on it)`);
    return wait ? await followJob(db, id) : 0;
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}

/** `placetwin import <file> --job`: queues the import for the workers, and with --wait follows it. */
export const queueImport = (db: Db, request: Partial<ImportJob> & { file: string }, wait: boolean) =>
  queueOne(db, `the import of ${request.file}`, (boss) => enqueueImport(db, boss, request), wait);

/** `placetwin sun-hours --job`: queues the analysis for the workers, and with --wait follows it. */
export const queueSunHours = (
  db: Db,
  request: SunHoursRequest,
  outDir: string,
  scenarioId: number | null,
  wait: boolean,
) =>
  queueOne(
    db,
    `sun hours over "${request.dataset}" into ${outDir}`,
    (boss) => enqueueSunHours(db, boss, request, outDir, scenarioId),
    wait,
  );

export function addJobCommands(cmd: Command, withDb: WithDb): void {
  cmd
    .command('worker')
    .description(
      'Work on queued jobs (imports; sun-hours analyses; tiling: plan, one job per quadtree cell, tileset.json) ' +
        'until stopped; ' +
        'needs DATABASE_URL. ' +
        'Run several, on one machine or many, for more throughput',
    )
    .action(async () => {
      const p = resolvePaths();
      await loadOstn15(p.sampleDataDir);
      await withDb(async (db) => {
        const boss = await openQueue(p.databaseUrl);
        const log = (msg: string) => console.log(`[worker ${process.pid}] ${msg}`);
        const stop = await startWorker({
          db,
          boss,
          tiles: tileStoreConfig(p.tilesetsDir),
          schema: jobsSchema(),
          log,
        });
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
    .description(
      'Queued jobs (imports, tiling): list them with progress and retries, cancel them, retry them',
    );
  jobs
    .command('list')
    .description(
      'The latest jobs, newest first: imports and tile jobs with their progress (and failed or retrying cell jobs)',
    )
    .option('--all', 'every cell job too')
    .option('--area <id>', "only this area's jobs")
    .option('-n, --limit <n>', 'how many', '50')
    .action(async (o) => {
      await withDb(async (db) => {
        if (db.kind !== 'server') {
          console.log('No job queue: the embedded database runs jobs inline (set DATABASE_URL for workers).');
          return;
        }
        const rows = await listJobs(db, {
          cells: Boolean(o.all),
          limit: Number(o.limit),
          areaId: o.area ? areaOption(o.area) : undefined,
        });
        if (rows.length === 0) console.log('No jobs.');
        for (const j of rows) {
          console.log(
            [
              j.id,
              j.kind,
              j.state,
              j.areaId,
              j.dataset ?? '',
              `retries ${j.retries}/${j.retryLimit}`,
              j.createdAt,
              progressText(j),
              j.error ?? '',
            ]
              .join('\t')
              .trimEnd(),
          );
        }
      });
    });
  jobs
    .command('show')
    .description('One job: its state, area, progress, attempts and error')
    .argument('<id>', 'job id (from `placetwin jobs list`)')
    .action(async (id: string) => {
      await withDb(async (db) => {
        queueAdmin(db);
        const j = await getJob(db, id);
        if (!j) throw new DataError('unknown-job', `no job ${id}`);
        const lines: [string, string | null][] = [
          ['Job', j.id],
          ['Kind', j.kind],
          ['State', j.state],
          ['Area', j.areaId],
          ['Dataset', j.dataset],
          ['File', j.file],
          ['Progress', progressText(j) || null],
          ['Attempts', `${j.retries + 1} (retries ${j.retries} of ${j.retryLimit})`],
          ['Created', j.createdAt],
          ['Started', j.startedAt],
          ['Ended', j.completedAt],
          ['Error', j.error],
        ];
        for (const [k, v] of lines) if (v !== null) console.log(`${`${k}:`.padEnd(10)}${v}`);
      });
    });
  jobs
    .command('cancel')
    .description(
      'Cancel a job: a running import stops and writes nothing; cancelling a tile job cancels the rest of its run',
    )
    .argument('<id>', 'job id (from `placetwin jobs list`)')
    .action(async (id: string) => {
      await withDb(async (db) => {
        const n = await cancelJob(db, queueAdmin(db), id);
        console.log(`Cancelled ${n} job${n === 1 ? '' : 's'}.`);
      });
    });
  jobs
    .command('retry')
    .description('Run a failed or cancelled import, sun-hours or tile job again')
    .argument('<id>', 'job id (from `placetwin jobs list`)')
    .action(async (id: string) => {
      await withDb(async (db) => {
        const state = await retryJob(db, queueAdmin(db), id);
        console.log(`Job ${id} is queued again (${state}).`);
      });
    });
}
