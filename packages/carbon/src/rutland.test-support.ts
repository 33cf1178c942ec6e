/**
 * Real test data for the carbon tests: Rutland's OSM buildings (shared sample data, © OpenStreetMap contributors,
 * ODbL) read by the project's own importer, with footprint areas in British National Grid m², turned into the
 * per-m² assumed energy of `assumedBuildingEnergy`. Read once per test file.
 */
import { readFileSync } from 'node:fs';
import { signedRingArea, toBng } from '@placetwin/geo';
import { importerFor } from '@placetwin/importers';
import { sample } from '../../../test/support/paths';
import type { StockBuilding } from './floor-area';

let cached: Promise<StockBuilding[]> | undefined;

async function read(): Promise<StockBuilding[]> {
  const fileName = 'rutland-2022-11.osm.pbf';
  const bytes = new Uint8Array(readFileSync(sample('rutland', fileName)));
  const out: StockBuilding[] = [];
  for await (const f of importerFor(bytes, fileName).parse(bytes, { fileName, skipInvalid: true })) {
    if (f.kind !== 'building') continue;
    let area = 0;
    for (const polygon of f.footprint)
      polygon.forEach((ring, k) => {
        const m = new Float64Array(ring.length);
        for (let j = 0; j < ring.length; j += 2) [m[j], m[j + 1]] = toBng(ring[j], ring[j + 1]);
        area += (k === 0 ? 1 : -1) * Math.abs(signedRingArea(m));
      });
    out.push({ id: f.sourceId, use: f.use, footprintAreaM2: area, storeys: f.storeys, heightM: f.heightM });
  }
  return out;
}

/** Rutland's 4,556 OSM buildings (not parts) as the carbon model's stock input. */
export const rutlandBuildings = (): Promise<StockBuilding[]> => {
  cached ??= read();
  return cached;
};
