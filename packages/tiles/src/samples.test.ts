import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { appendPlanarSurface, type BuildingFeature, enuFrame, MeshBuilder } from '@placetwin/geo';
import { importerFor } from '@placetwin/importers';
import { beforeAll, describe, expect, it } from 'vitest';
import { sample } from '../../../test/support/paths';
import { toTileable } from './feature';
import { readTileContent } from './read';
import {
  contentProblems,
  decompressedGlb,
  reportSummary,
  structureProblems,
  validateGlb,
  windingProblems,
} from './testing';
import { buildTileset } from './tileset';
import type { TileableBuilding, TilesetResult } from './types';

async function importBuildings(path: string): Promise<BuildingFeature[]> {
  const bytes = new Uint8Array(await readFile(sample(path)));
  const fileName = basename(path);
  const out: BuildingFeature[] = [];
  for await (const f of importerFor(bytes, fileName).parse(bytes, { fileName, skipInvalid: true })) {
    if (f.kind !== 'map') out.push(f);
  }
  return out;
}

describe('Rutland OSM (real, 4.5k buildings)', () => {
  let buildings: TileableBuilding[];
  let result: TilesetResult;

  beforeAll(async () => {
    buildings = (await importBuildings('rutland/rutland-2022-11.osm.pbf')).map((f) =>
      toTileable(f, `rutland:${f.sourceId}`),
    );
    result = await buildTileset(buildings);
  });

  it('tiles every building once, within the budget, as CesiumJS would place it', async () => {
    expect(buildings.length).toBeGreaterThan(4000);
    expect(structureProblems(result)).toEqual([]);
    expect(await contentProblems(result, buildings, 1000)).toEqual([]);
    console.log(
      `Rutland: ${result.stats.buildings} buildings, ${result.stats.contentTiles} tiles, depth ${result.stats.maxDepth}, ` +
        `${Math.round(result.stats.bytes / result.stats.buildings)} B/building, root geometricError ${Math.round(result.tileset.root.geometricError)} m`,
    );
  });

  it('writes glbs with 0 glTF-Validator errors (as written, and decoded from meshopt)', async () => {
    for (const [name, glb] of result.files) {
      const report = await validateGlb(glb, name);
      const decoded = await validateGlb(await decompressedGlb(glb), name);
      expect(report.issues.numErrors, `${name}: ${reportSummary(report)}`).toBe(0);
      expect(decoded.issues.numErrors, `${name} decoded: ${reportSummary(decoded)}`).toBe(0);
      expect(decoded.issues.numWarnings, `${name} decoded: ${reportSummary(decoded)}`).toBe(0);
    }
    const [name, glb] = [...result.files][0];
    console.log(`gltf-validator, Rutland ${name}: ${reportSummary(await validateGlb(glb, name))}`);
  });

  it('winds real footprints (concave, with holes, either orientation) counter-clockwise from outside', async () => {
    for (const [name, glb] of result.files) expect(await windingProblems(glb, name)).toEqual([]);
  });
});

describe('Delft CityJSON LoD2 (real 3DBAG buildings)', () => {
  let features: BuildingFeature[];

  beforeAll(async () => {
    features = await importBuildings('cityjson/nl-delft-3dbag-2buildings.city.json');
  });

  it('has outward normals per planar surface: roofs up, ground down, walls level and out of the solid', () => {
    let roofs = 0;
    for (const f of features) {
      expect(f.surfaces?.length).toBeGreaterThan(0);
      const [lon, lat] = f.footprint[0][0];
      const frame = enuFrame(lon, lat, 0);
      const toLocal = (r: Float64Array) => {
        const out = new Float64Array(r.length);
        for (let i = 0; i < r.length; i += 3) out.set(frame.toEnu(r[i], r[i + 1], r[i + 2]), i);
        return out;
      };
      // The whole solid: its signed volume is positive only if every surface faces out.
      const solid = new MeshBuilder();
      for (const s of f.surfaces ?? []) {
        const rings = s.rings.map(toLocal);
        const before = solid.vertexCount;
        appendPlanarSurface(solid, rings);
        if (solid.vertexCount === before) continue;
        const nz = solid.normals()[before * 3 + 2];
        if (s.semantic === 'roof') {
          roofs++;
          expect(nz).toBeGreaterThan(0);
        }
        if (s.semantic === 'ground') expect(nz).toBeLessThan(-0.99);
        if (s.semantic === 'wall') expect(Math.abs(nz)).toBeLessThan(0.1);
      }
      expect(signedVolume(solid)).toBeGreaterThan(100);
    }
    expect(roofs).toBeGreaterThan(4);
  });

  it('tiles LoD2 surfaces: valid glb, closed outward solids, properties round-trip', async () => {
    const buildings = features.map((f) => toTileable(f, `delft:${f.sourceId}`));
    const r = await buildTileset(buildings, { floors: 'all' });
    expect(structureProblems(r)).toEqual([]);
    expect(await contentProblems(r, buildings, 1000)).toEqual([]);
    const [name, glb] = [...r.files][0];
    const report = await validateGlb(await decompressedGlb(glb), name);
    console.log(`gltf-validator, Delft ${name} (decoded): ${reportSummary(report)}`);
    expect(report.issues.numErrors).toBe(0);
    const tile = await readTileContent(glb);
    // Per building, the signed volume of its triangles (in the tile's ENU frame) is positive: outward winding.
    const volumes = new Map<number, number>();
    const p = tile.positionsEnu;
    for (let t = 0; t < tile.indices.length; t += 3) {
      const [a, b, c] = [tile.indices[t], tile.indices[t + 1], tile.indices[t + 2]];
      const k = tile.featureIds[a];
      const v =
        p[a * 3] * (p[b * 3 + 1] * p[c * 3 + 2] - p[b * 3 + 2] * p[c * 3 + 1]) -
        p[a * 3 + 1] * (p[b * 3] * p[c * 3 + 2] - p[b * 3 + 2] * p[c * 3]) +
        p[a * 3 + 2] * (p[b * 3] * p[c * 3 + 1] - p[b * 3 + 1] * p[c * 3]);
      volumes.set(k, (volumes.get(k) ?? 0) + v / 6);
    }
    expect(volumes.size).toBe(buildings.length);
    for (const v of volumes.values()) expect(v).toBeGreaterThan(100);
    expect(tile.properties.map((row) => row.id).sort()).toEqual(buildings.map((b) => b.id).sort());
  });
});

function signedVolume(mesh: MeshBuilder): number {
  const p = mesh.positions();
  const idx = mesh.indices();
  let v = 0;
  for (let t = 0; t < idx.length; t += 3) {
    const [a, b, c] = [idx[t] * 3, idx[t + 1] * 3, idx[t + 2] * 3];
    v +=
      p[a] * (p[b + 1] * p[c + 2] - p[b + 2] * p[c + 1]) -
      p[a + 1] * (p[b] * p[c + 2] - p[b + 2] * p[c]) +
      p[a + 2] * (p[b] * p[c + 1] - p[b + 1] * p[c]);
  }
  return v / 6;
}
