// Worker entry: the sources are TypeScript (no build step), so register tsx in this thread first. A host started
// with `--import tsx` passes that on to its workers too; registering again is harmless.
import { register } from 'tsx/esm/api';

register();
await import('./sunHoursWorker.ts');
