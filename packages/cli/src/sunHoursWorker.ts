/**
 * Worker thread body: runs one sun-hours grid off the caller's thread, posting progress after each strip.
 * Loaded through sunHoursWorker.mjs, which registers tsx so this TypeScript runs in any host (server, CLI, tests).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isDataError } from '@placetwin/geo';
import type { SunHoursInput } from '@placetwin/solar';
import { sunHoursInBands } from './sunHoursBands';

if (!parentPort) throw new Error('sunHoursWorker runs as a worker thread');
const port = parentPort;
try {
  const grid = sunHoursInBands(workerData as SunHoursInput, {
    onProgress: (done, total) => port.postMessage({ kind: 'progress', done, total }),
  });
  port.postMessage({ kind: 'done', grid }, [
    grid.hours.buffer as ArrayBuffer,
    grid.cellKind.buffer as ArrayBuffer,
  ]);
} catch (e) {
  port.postMessage({
    kind: 'failed',
    dataError: isDataError(e)
      ? { type: e.type, reason: e.reason, file: e.file, featureId: e.featureId }
      : null,
    message: e instanceof Error ? e.message : String(e),
  });
}
