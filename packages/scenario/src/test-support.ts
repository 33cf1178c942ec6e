/**
 * Test helpers (not exported by the package): the real Rutland baseline from the cited OSM extract
 * (../shared/data/rutland/rutland-2022-11.osm.pbf, © OpenStreetMap contributors, ODbL), parsed by the same
 * importer the database import uses, and rectangles of exact metric size for analytic checks.
 */
import { readFile } from 'node:fs/promises';
import type { BBox } from '@placetwin/geo';
import { importerFor } from '@placetwin/importers';
import { sample } from '../../../test/support/paths';
import { footprintBBox, localFrame } from './footprint';
import type { FootprintGeoJson, ScenarioBuilding } from './types';

const RUTLAND = 'rutland/rutland-2022-11.osm.pbf';
let cached: Promise<ScenarioBuilding[]> | null = null;

/** Every Rutland building as `rutland:<osm id>`, as `placetwin import` stores them. */
export function rutlandBaseline(): Promise<ScenarioBuilding[]> {
  cached ??= (async () => {
    const bytes = new Uint8Array(await readFile(sample(RUTLAND)));
    const fileName = 'rutland-2022-11.osm.pbf';
    const out: ScenarioBuilding[] = [];
    for await (const f of importerFor(bytes, fileName).parse(bytes, { fileName, skipInvalid: true })) {
      if (f.kind !== 'map') out.push({ ...f, id: `rutland:${f.sourceId}` });
    }
    return out;
  })();
  return cached;
}

/** The extent of a set of buildings (as the database computes a dataset's bbox). */
export function extentOf(buildings: readonly ScenarioBuilding[]): BBox {
  const e: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const b of buildings) {
    const [w, s, east, n] = footprintBBox(b.footprint);
    e[0] = Math.min(e[0], w);
    e[1] = Math.min(e[1], s);
    e[2] = Math.max(e[2], east);
    e[3] = Math.max(e[3], n);
  }
  return e;
}

/**
 * A rectangle `widthM` east × `depthM` north with its south-west corner at (lon, lat), in the local frame the
 * package measures areas in, so its area is widthM × depthM to parts per billion.
 */
export function rectangle(lon: number, lat: number, widthM: number, depthM: number): FootprintGeoJson {
  const f = localFrame(lon + widthM / 2 / 67_000, lat + depthM / 2 / 111_250);
  const x0 = (lon - f.lon0) * f.mPerDegLon;
  const y0 = (lat - f.lat0) * f.mPerDegLat;
  const at = (x: number, y: number) => [f.lon0 + x / f.mPerDegLon, f.lat0 + y / f.mPerDegLat];
  return {
    type: 'Polygon',
    coordinates: [
      [at(x0, y0), at(x0 + widthM, y0), at(x0 + widthM, y0 + depthM), at(x0, y0 + depthM), at(x0, y0)],
    ],
  };
}

/** Oakham railway station (OSM way 178280140), Rutland. */
export const OAKHAM_STATION = { lon: -0.73419, lat: 52.67223 };
