import { readFileSync } from 'node:fs';
import {
  type BuildingFeature,
  DataError,
  type MapFeature,
  polygonProblem,
  signedRingArea,
} from '@placetwin/geo';
import tinyosmpbf, { type TinyOsmElement } from 'tiny-osmpbf';
import { beforeAll, describe, expect, it } from 'vitest';
import { sample } from '../../../../test/support/paths';
import { importerFor } from '../registry';
import type { ImportProgress, ImportReject } from '../types';
import type { OsmAssemblyStats } from './assemble';
import { parseOsmWithStats } from './importer';
import { OsmData } from './model';
import { readOsmPbf } from './pbf';

const RUTLAND = sample('rutland/rutland-2022-11.osm.pbf');
const bytes = new Uint8Array(readFileSync(RUTLAND));

async function collect(iterable: AsyncIterable<BuildingFeature | MapFeature>) {
  const buildings: BuildingFeature[] = [];
  const map: MapFeature[] = [];
  for await (const f of iterable) {
    if (f.kind === 'map') map.push(f);
    else buildings.push(f);
  }
  return { buildings, map };
}

const emptyStats = (): OsmAssemblyStats => ({
  buildingWays: 0,
  buildingRelations: 0,
  partWays: 0,
  partRelations: 0,
  mapFeatures: 0,
  incomplete: 0,
  invalid: 0,
});

describe('OSM PBF: the Rutland extract', () => {
  let buildings: BuildingFeature[];
  let map: MapFeature[];
  let stats: OsmAssemblyStats;
  const rejects: ImportReject[] = [];
  const progress: ImportProgress[] = [];
  /** The same file decoded by a second, independent parser (tiny-osmpbf: pbf 3 + tiny-inflate). */
  let elements: TinyOsmElement[];

  beforeAll(async () => {
    stats = emptyStats();
    ({ buildings, map } = await collect(
      parseOsmWithStats(
        'pbf',
        bytes,
        { fileName: RUTLAND, onReject: (r) => rejects.push(r), onProgress: (p) => progress.push(p) },
        stats,
      ),
    ));
    elements = tinyosmpbf(bytes).elements ?? [];
  });

  it('is picked by importerFor from its magic bytes', () => {
    expect(importerFor(bytes, 'no-extension').name).toBe('osm-pbf');
  });

  it('finds 4,556 building polygons, the same set a simple second pass over another parser finds', () => {
    // Independent count: closed ways with building≠no, plus multipolygon relations with building≠no.
    const independent = new Set<string>();
    let buildingNo = 0;
    for (const e of elements) {
      const b = e.tags?.building;
      if (b === undefined) continue;
      if (b === 'no') {
        buildingNo++;
        continue;
      }
      if (e.type === 'way' && e.nodes && e.nodes.length >= 4 && e.nodes[0] === e.nodes[e.nodes.length - 1]) {
        independent.add(`w${e.id}`);
      }
      if (e.type === 'relation' && e.tags?.type === 'multipolygon') independent.add(`r${e.id}`);
    }
    const imported = buildings.filter((b) => b.kind === 'building').map((b) => b.sourceId);
    expect(new Set(imported)).toEqual(independent);
    expect(imported.length).toBe(independent.size);
    expect(imported.length).toBe(4556);
    expect({ ways: stats.buildingWays, relations: stats.buildingRelations }).toEqual({
      ways: 4540,
      relations: 16,
    });
    // PROVENANCE's 4,557 counts every polygon carrying a building tag, including this one building=no.
    expect(buildingNo).toBe(1);
    expect(stats).toMatchObject({ partWays: 0, partRelations: 0, incomplete: 0, invalid: 0 });
  });

  it('decodes the same nodes, ways and relations as the second parser', () => {
    const data = new OsmData();
    const reader = readOsmPbf(bytes, data, RUTLAND);
    for (let step = reader.next(); ; step = reader.next()) {
      if (step.done) {
        data.header = step.value;
        break;
      }
    }
    data.nodes.seal();
    const nodes = elements.filter((e) => e.type === 'node');
    const ways = elements.filter((e) => e.type === 'way');
    expect(data.nodes.size).toBe(nodes.length);
    expect(data.ways.size).toBe(ways.length);
    expect(data.relations.length).toBe(elements.filter((e) => e.type === 'relation').length);
    let worst = 0;
    for (const n of nodes) {
      const k = data.nodes.indexOf(n.id);
      worst = Math.max(worst, Math.abs(data.nodes.lon(k) - n.lon!), Math.abs(data.nodes.lat(k) - n.lat!));
    }
    expect(worst).toBeLessThan(1e-9);
    for (const w of ways) expect(Array.from(data.ways.get(w.id)!.refs)).toEqual(w.nodes);
    expect(data.header.timestamp).toBe('2022-07-20T20:21:45Z');
  });

  it('gives valid footprints: outer ring counter-clockwise, holes clockwise, open, no repeated vertices', () => {
    for (const b of buildings) {
      for (const polygon of b.footprint) {
        expect(polygonProblem(polygon), b.sourceId).toBeNull();
        polygon.forEach((ring, i) => {
          expect(signedRingArea(ring) > 0, `${b.sourceId} ring ${i}`).toBe(i === 0);
          const n = ring.length / 2;
          expect(ring[0] === ring[(n - 1) * 2] && ring[1] === ring[(n - 1) * 2 + 1]).toBe(false);
          for (let k = 1; k < n; k++) {
            expect(ring[k * 2] === ring[k * 2 - 2] && ring[k * 2 + 1] === ring[k * 2 - 1]).toBe(false);
          }
          for (let k = 0; k < ring.length; k += 2) {
            expect(ring[k]).toBeGreaterThan(-0.83);
            expect(ring[k]).toBeLessThan(-0.42);
            expect(ring[k + 1]).toBeGreaterThan(52.52);
            expect(ring[k + 1]).toBeLessThan(52.77);
          }
        });
      }
    }
  });

  it('joins split multipolygon ways and keeps their holes', () => {
    const school = buildings.find((b) => b.sourceId === 'r6044726')!; // building=school, outer + 2 inner ways
    expect(school.footprint.map((p) => p.length)).toEqual([3]);
    const grange = buildings.find((b) => b.sourceId === 'r12988162')!; // Ashwell Grange: 6 outer ways
    expect(grange.name).toBe('Ashwell Grange');
    // Every node of the six member ways is a vertex of the joined outline, and nothing else is.
    const nodeById = new Map(elements.filter((e) => e.type === 'node').map((e) => [e.id, e]));
    const memberNodes = new Set(
      elements
        .find((e) => e.type === 'relation' && e.id === 12988162)!
        .members!.flatMap((m) => elements.find((e) => e.type === 'way' && e.id === m.ref)!.nodes!)
        .map((id) => `${nodeById.get(id)!.lon!.toFixed(7)},${nodeById.get(id)!.lat!.toFixed(7)}`),
    );
    const vertices = new Set<string>();
    for (const polygon of grange.footprint) {
      for (let i = 0; i < polygon[0].length; i += 2)
        vertices.add(`${polygon[0][i].toFixed(7)},${polygon[0][i + 1].toFixed(7)}`);
    }
    expect(vertices).toEqual(memberNodes);
  });

  it('derives each height from what the tags say', () => {
    const counts = { measured: 0, levels: 0, 'type-default': 0 };
    for (const b of buildings) {
      counts[b.heightSource]++;
      const a = b.attributes;
      if (b.heightSource === 'measured') expect(b.heightMethod).toMatch(/^OSM height=/);
      if (b.heightSource === 'levels') expect(b.storeys).toBe(Number(a['building:levels']));
      if (b.heightSource === 'type-default') expect(b.heightMethod).toContain(`building=${a.building}`);
      expect(b.heightM).toBeGreaterThan(0);
    }
    // Few Rutland buildings carry a height (PROVENANCE): almost all heights are estimates.
    expect(counts.measured + counts.levels).toBeLessThan(50);
    expect(counts['type-default']).toBeGreaterThan(4500);
  });

  it('keeps names, addresses and the building tag, and drops tags like source', () => {
    const hall = buildings.find((b) => b.sourceId === 'r12992840')!;
    expect(hall.name).toBe('The Old Hall');
    expect(hall.attributes).toMatchObject({
      'addr:street': 'Cottesmore Road',
      'addr:postcode': 'LE15 7LJ',
      building: 'house',
    });
    expect(hall.use).toBe('residential');
    expect(buildings.some((b) => 'source' in b.attributes)).toBe(false);
  });

  it('emits basemap features: roads as lines, water and land use as areas', () => {
    const byLayer = (layer: MapFeature['layer']) => map.filter((m) => m.layer === layer);
    expect(byLayer('road').length).toBeGreaterThan(6000);
    // Roads are lines, except closed ways tagged area=yes (squares, car parks), which are areas.
    const roadTypes = new Set(byLayer('road').map((m) => m.geometry.type));
    expect(roadTypes).toEqual(new Set(['LineString', 'Polygon']));
    expect(byLayer('road').filter((m) => m.geometry.type === 'Polygon').length).toBeLessThan(50);
    expect(byLayer('rail').length).toBeGreaterThan(0);
    expect(byLayer('landuse').some((m) => m.class === 'farmland')).toBe(true);
    const water = byLayer('water');
    expect(water.some((m) => m.geometry.type === 'MultiPolygon' && m.name === 'Rutland Water')).toBe(true);
    for (const m of water) {
      if (m.geometry.type === 'Polygon') {
        const ring = m.geometry.coordinates[0];
        expect(ring[0]).toEqual(ring[ring.length - 1]);
      }
    }
    expect(stats.mapFeatures).toBe(map.length);
  });

  it('reports the one broken multipolygon (no outer way) instead of failing', () => {
    expect(rejects).toEqual([
      { featureId: 'r12716137', reason: 'map feature skipped: multipolygon has no outer member ways' },
    ]);
  });

  it('reports progress in bytes up to the file size, then in elements', () => {
    const inBytes = progress.filter((p) => p.unit === 'bytes');
    expect(inBytes.at(-1)).toEqual({ done: bytes.length, total: bytes.length, unit: 'bytes' });
    expect(inBytes.map((p) => p.done)).toEqual([...inBytes.map((p) => p.done)].sort((a, b) => a - b));
    expect(progress.at(-1)?.unit).toBe('elements');
  });
});

describe('OSM PBF: damaged files', () => {
  const parseAll = async (data: Uint8Array) => {
    const got: unknown[] = [];
    try {
      for await (const f of parseOsmWithStats('pbf', data, { fileName: 'cut.osm.pbf' }, emptyStats()))
        got.push(f);
    } catch (e) {
      return { got, error: e };
    }
    return { got, error: null };
  };

  it.each([10, 200, 100_000, 900_000, bytes.length - 1])(
    'fails with the byte offset when cut after %i bytes, before yielding anything',
    async (cut) => {
      const { got, error } = await parseAll(bytes.slice(0, cut));
      expect(got).toEqual([]);
      expect(error).toBeInstanceOf(DataError);
      const e = error as DataError;
      expect(e.type).toBe('truncated-file');
      expect(e.file).toBe('cut.osm.pbf');
      expect(e.message).toMatch(/^cut\.osm\.pbf: truncated or corrupt PBF at byte \d+: /);
      const at = Number(/at byte (\d+)/.exec(e.message)![1]);
      expect(at).toBeLessThan(cut);
    },
  );

  it('fails on a damaged compressed blob, naming where that blob starts', async () => {
    const data = bytes.slice();
    // The second blob (the first OSMData) starts where the header blob ends; damage its compressed data.
    const secondBlob = readOsmPbf(bytes, new OsmData(), 'x').next().value as number;
    for (let i = 0; i < 64; i++) data[secondBlob + 2000 + i] ^= 0x5a;
    const { got, error } = await parseAll(data);
    expect(got).toEqual([]);
    expect((error as DataError).type).toBe('truncated-file');
    expect((error as DataError).message).toContain(`truncated or corrupt PBF at byte ${secondBlob}: `);
  });

  it('rejects an empty file', async () => {
    const { error } = await parseAll(new Uint8Array(0));
    expect((error as DataError).message).toMatch(/at byte 0: the file is empty/);
  });
});
