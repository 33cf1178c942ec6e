/**
 * Writes packages/carbon/data/desnz-2023-factors.json from the real DESNZ 2023 flat file in the shared sample
 * data (PLACETWIN_SAMPLE_DATA, default ../shared/data beside the clone):
 *
 *   node --import tsx scripts/data/carbon-factors.ts
 *
 * Running it again gives a byte-identical file; `desnz.test.ts` checks that the committed table still matches.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DESNZ_2023_PROVENANCE, deriveDesnzFactors } from '@placetwin/carbon';
import { repoRoot, sample } from '../../test/support/paths';

const csv = readFileSync(sample(DESNZ_2023_PROVENANCE.file), 'utf8');
const table = deriveDesnzFactors(csv, DESNZ_2023_PROVENANCE);
const out = resolve(repoRoot, 'packages/carbon/data/desnz-2023-factors.json');
writeFileSync(out, `${JSON.stringify(table, null, 2)}\n`);
console.log(`${table.factors.length} factors → ${out}`);
