import type { Db } from './db';

/** How far a queued job has got (see migrations/016): rows or features done, of a total when known. */
export interface JobProgress {
  jobId: string;
  phase: string;
  done: number;
  total: number | null;
  unit: string;
  updatedAt: string;
}

/** Records a job's progress (replacing what it said before). */
export async function setJobProgress(db: Db, p: Omit<JobProgress, 'updatedAt'>): Promise<void> {
  await db.query(
    `INSERT INTO job_progress (job_id, phase, done, total, unit) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (job_id) DO UPDATE SET phase = $2, done = $3, total = $4, unit = $5, updated_at = now()`,
    [p.jobId, p.phase, p.done, p.total, p.unit],
  );
}

/** The progress of these jobs, by job id (jobs that never reported are absent). */
export async function jobProgress(db: Db, jobIds: string[]): Promise<Map<string, JobProgress>> {
  if (jobIds.length === 0) return new Map();
  const r = await db.query<JobProgress>(
    `SELECT job_id AS "jobId", phase, done, total, unit,
            to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "updatedAt"
       FROM job_progress WHERE job_id = ANY($1::text[])`,
    [jobIds],
  );
  return new Map(r.rows.map((p) => [p.jobId, p]));
}
