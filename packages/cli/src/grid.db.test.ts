import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Db, getGridNetwork, listGridNetworks, openTestDb } from '@placetwin/db';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { repoRoot, sampleDataDir } from '../../../test/support/paths';
import { addAreaFromArgs, parseAreaArgs } from './areas';
import { addGridCommands } from './grid';
import { importFile, loadOstn15 } from './pipeline';

// `placetwin import-grid` and `import-council-assets` on real PostGIS. The grid is the constructed sample
// (test/fixtures/README.md: OSM substation positions, invented capacities); the buildings the constructed courtyard.
const GRID = join(repoRoot, 'test/fixtures/rutland-grid-sample.geojson');
const COURTYARD = join(repoRoot, 'test/fixtures/courtyard-bng.geojson');
const BOUNDARIES = join(sampleDataDir, 'boundaries/local-authority-districts-2017-uk.geojson');

let db: Db;
let drop: () => Promise<void>;
let dir: string;
beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  dir = await mkdtemp(join(tmpdir(), 'placetwin-grid-cli-'));
  await loadOstn15(sampleDataDir);
  await importFile(db, COURTYARD, { dataset: 'courtyard' });
});
afterAll(async () => {
  await drop?.();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function run(args: string[]): Promise<string[]> {
  const cmd = new Command('placetwin').exitOverride();
  addGridCommands(cmd, (fn) => fn(db));
  const out: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
  try {
    await cmd.parseAsync(['node', 'placetwin', ...args]);
  } finally {
    log.mockRestore();
  }
  return out;
}

describe('placetwin import-grid', () => {
  it('imports the sample grid, storing kW from kVA × power factor, and says it is not real', async () => {
    const out = await run(['import-grid', GRID, '--name', 'sample']);
    expect(out[0]).toBe('Imported grid "sample": 5 substations, 1 feeders');
    expect(out[1]).toMatch(/not real/);
    const g = await getGridNetwork(db, 'sample');
    expect(g?.network.constructed).toBe(true);
    const oakham = g?.assets.find((a) => a.id === 'osm-w87200019');
    // 2000 kVA at power factor 0.95 (the fixture's figures) → 1900 kW.
    expect(oakham?.capacityKw).toBeCloseTo(1900, 9);
    expect(oakham?.coordinates[0]).toEqual([-0.710086, 52.668249]);
    expect(g?.assets.find((a) => a.kind === 'feeder')?.substationId).toBe('osm-w87200019');
  });

  it('imports into another council area with --area, leaving the default area’s network of that name alone', async () => {
    await addAreaFromArgs(db, parseAreaArgs({ id: 'leeds', lad17cd: 'E08000035' }), BOUNDARIES);
    const before = await getGridNetwork(db, 'sample');
    const out = await run(['import-grid', GRID, '--name', 'sample', '--area', 'leeds']);
    expect(out[0]).toBe('Imported grid "sample" in area "leeds": 5 substations, 1 feeders');
    expect((await listGridNetworks(db, 'leeds')).map((n) => n.name)).toEqual(['sample']);
    expect((await getGridNetwork(db, 'sample', 'leeds'))?.assets).toHaveLength(6);
    expect(await getGridNetwork(db, 'sample')).toEqual(before);
    await expect(run(['import-grid', GRID, '--area', 'nowhere'])).rejects.toThrow(
      'rutland-grid-sample.geojson: there is no area "nowhere"',
    );
  });

  it('rejects a file with one bad feature, naming it, and leaves the network as it was', async () => {
    const bad = join(dir, 'bad.geojson');
    const good = JSON.parse(await readFile(GRID, 'utf8'));
    good.features[2].properties = { name: 'Empingham', capacity_kva: 800 };
    await writeFile(bad, JSON.stringify(good));
    await expect(run(['import-grid', bad, '--name', 'sample'])).rejects.toThrow(
      /^bad\.geojson, feature osm-w422840790: capacity_kva needs power_factor/,
    );
    const g = await getGridNetwork(db, 'sample');
    expect(g?.assets).toHaveLength(6);
    expect(g?.assets.find((a) => a.id === 'osm-w422840790')?.capacityKw).toBe(800);
    await expect(run(['import-grid', bad])).rejects.toThrow(/feature osm-w422840790/);
    expect((await listGridNetworks(db)).map((n) => n.name)).toEqual(['sample']);
  });
});

describe('placetwin import-council-assets', () => {
  const owned = async () =>
    (
      await db.query<{ id: string; v: string | null }>(
        `SELECT id, attributes->>'council_owned' AS v FROM buildings WHERE id LIKE 'courtyard:%' ORDER BY id`,
      )
    ).rows;

  it('marks the register’s buildings, and writes nothing when one row names no building', async () => {
    const bad = join(dir, 'bad-register.csv');
    await writeFile(bad, 'building_id,council_owned\ncourtyard:south-wing,yes\ncourtyard:no-such,yes\n');
    await expect(run(['import-council-assets', bad, '--dataset', 'courtyard'])).rejects.toThrow(
      /bad-register\.csv, feature line 3: no building of dataset "courtyard" has id "courtyard:no-such"/,
    );
    expect((await owned()).every((r) => r.v === null)).toBe(true);

    const ok = join(dir, 'register.csv');
    await writeFile(ok, 'building_id,council_owned\ncourtyard:south-wing,yes\ncourtyard:north-wing,no\n');
    const out = await run(['import-council-assets', ok, '--dataset', 'courtyard']);
    expect(out[0]).toBe('Council asset register: 2 rows, 2 buildings marked in "courtyard"');
    const rows = Object.fromEntries((await owned()).map((r) => [r.id, r.v]));
    expect(rows['courtyard:south-wing']).toBe('yes');
    expect(rows['courtyard:north-wing']).toBe('no');
    expect(rows['courtyard:east-wing']).toBeNull();
  });
});
