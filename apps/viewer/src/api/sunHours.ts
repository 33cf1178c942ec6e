import { parseSunHoursJob, type SunHoursJob, type SunHoursRequestBody } from '../state/sunHours';

/** How often a running job is asked about. */
const POLL_MS = 750;

async function problemText(res: Response): Promise<string> {
  try {
    const body: unknown = await res.json();
    if (typeof body === 'object' && body !== null && 'detail' in body && typeof body.detail === 'string')
      return body.detail;
  } catch {
    // Not JSON: the status line says enough.
  }
  return `${res.status} ${res.statusText}`;
}

/**
 * Asks the server for a sun-hours map and follows the job until it is done (202 → poll), reporting progress.
 * Resolves with the finished job; rejects with the server's reason (a bad area, a date out of range…).
 */
export async function requestSunHours(
  body: SunHoursRequestBody,
  onProgress: (job: SunHoursJob) => void,
  signal: AbortSignal,
): Promise<SunHoursJob> {
  const res = await fetch('/api/solar/sun-hours', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    signal,
  });
  if (res.status !== 200 && res.status !== 202) throw new Error(await problemText(res));
  let job = parseSunHoursJob(await res.json());
  onProgress(job);
  while (job.status === 'queued' || job.status === 'running') {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    signal.throwIfAborted();
    const poll = await fetch(job.links.self, { headers: { accept: 'application/json' }, signal });
    if (!poll.ok) throw new Error(await problemText(poll));
    job = parseSunHoursJob(await poll.json());
    onProgress(job);
  }
  if (job.status === 'failed') throw new Error(job.error?.detail ?? 'The sun-hours analysis failed.');
  return job;
}
