import { readFileSync } from 'node:fs';
import {
  type BuildingFeature,
  type DataError,
  fromBng,
  pointInRing,
  registerOstn15Grid,
  signedRingArea,
  transformer,
} from '@placetwin/geo';
import { beforeAll, describe, expect, it } from 'vitest';
import { sample } from '../../../test/support/paths';
import { cityGmlImporter } from './citygml';
import { osmPbfImporter } from './osm/importer';
import { importerFor } from './registry';
import type { ImportOptions, ImportReject } from './types';

const INGOLSTADT = sample('citygml/de-ingolstadt-savenow-lod3-building-4018133.gml');
const ingolstadt = new Uint8Array(readFileSync(INGOLSTADT));
const OAKHAM = new URL('../fixtures/citygml-oakham-lod2-27700.gml', import.meta.url);
const oakham = new Uint8Array(readFileSync(OAKHAM));

async function run(bytes: Uint8Array, options: Partial<ImportOptions> = {}) {
  const rejects: ImportReject[] = [];
  const features: BuildingFeature[] = [];
  for await (const f of cityGmlImporter.parse(bytes, {
    fileName: 'test.gml',
    onReject: (r) => rejects.push(r),
    ...options,
  })) {
    if (f.kind !== 'map') features.push(f);
  }
  return { features, byId: new Map(features.map((f) => [f.sourceId, f])), rejects };
}
const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as DataError,
  );
const semantics = (f: BuildingFeature) => {
  const count: Record<string, number> = {};
  for (const s of f.surfaces ?? []) count[s.semantic] = (count[s.semantic] ?? 0) + 1;
  return count;
};

describe('CityGML: the Ingolstadt LoD3 sample (EPSG:32632)', () => {
  it('is detected and gives its CRS', () => {
    expect(importerFor(ingolstadt, INGOLSTADT).name).toBe('citygml');
    expect(cityGmlImporter.meta(INGOLSTADT, ingolstadt)).toEqual({ crs: 'EPSG:32632' });
  });

  it('imports the building with the height its vertices span, which the file also states', async () => {
    const { features, rejects } = await run(ingolstadt);
    expect(rejects).toEqual([]);
    expect(features).toHaveLength(1);
    const [b] = features;
    expect(b).toMatchObject({
      kind: 'building',
      sourceId: '4018133',
      name: 'building',
      heightSource: 'measured',
    });
    // Envelope: z 413.907 … 426.587; bldg:measuredHeight 12.68.
    expect(b.groundElevationM).toBeCloseTo(413.907, 3);
    expect(b.heightM).toBeCloseTo(12.68, 3);
    expect(b.attributes).toMatchObject({ measuredHeight: 12.68, creationDate: '2020-04-28', lod: '3' });
  });

  it('keeps thematic surfaces and openings, skips installations and degenerate polygons', async () => {
    const [b] = (await run(ingolstadt)).features;
    // Counted in the file: 31 WallSurfaces hold 12 polygons of their own and 58 in their openings (54 in 16
    // windows, 4 in 3 doors); 4 RoofSurface and 2 GroundSurface polygons; 6 polygons without a thematic
    // surface, of which 4 are degenerate (repeated points) and 2 face up (→ roof). The 48 polygons of the
    // 7 BuildingInstallations are left out.
    expect(semantics(b)).toEqual({ wall: 12, other: 58, roof: 6, ground: 2 });
  });

  it('takes the footprint from the two ground surfaces, inside the file envelope', async () => {
    const [b] = (await run(ingolstadt)).features;
    expect(b.attributes.footprintFrom).toBe('ground surfaces');
    const toUtm = transformer('EPSG:4326', 'EPSG:32632');
    for (const polygon of b.footprint) {
      expect(signedRingArea(polygon[0])).toBeGreaterThan(0);
      for (let i = 0; i < polygon[0].length; i += 2) {
        const [e, n] = toUtm(polygon[0][i], polygon[0][i + 1]);
        expect(e).toBeGreaterThan(678103.66 - 0.01);
        expect(e).toBeLessThan(678116.26 + 0.01);
        expect(n).toBeGreaterThan(5403806.09 - 0.01);
        expect(n).toBeLessThan(5403819.03 + 0.01);
      }
    }
  });
});

describe('CityGML: constructed UK LoD1/LoD2 file in British National Grid', () => {
  beforeAll(() => {
    const gsb = readFileSync(sample('ostn15/derived/OSTN15_NTv2_OSGBtoETRS.gsb'));
    registerOstn15Grid(gsb.buffer.slice(gsb.byteOffset, gsb.byteOffset + gsb.byteLength));
  });

  it('reads the compound srsName (BNG + ODN) as EPSG:27700', () => {
    expect(cityGmlImporter.meta('oakham.gml', oakham)).toEqual({ crs: 'EPSG:27700' });
  });

  it('puts the hall within 1 m of where OSTN15 puts its BNG corners, inside OSM’s Oakham Castle outline', async () => {
    const { byId } = await run(oakham);
    const hall = byId.get('oakham-hall')!;
    const ring = hall.footprint[0][0];
    const corners = [
      [486140, 308895],
      [486160, 308895],
      [486160, 308905],
      [486140, 308905],
    ].map(([e, n]) => fromBng(e, n));
    const mPerDegLat = 111_320;
    const mPerDegLon = 111_320 * Math.cos((52.67 * Math.PI) / 180);
    expect(ring.length / 2).toBe(4);
    for (let i = 0; i < ring.length; i += 2) {
      const metres = Math.min(
        ...corners.map(([lon, lat]) =>
          Math.hypot((lon - ring[i]) * mPerDegLon, (lat - ring[i + 1]) * mPerDegLat),
        ),
      );
      expect(metres).toBeLessThan(1);
    }
    let castle: BuildingFeature | undefined;
    const rutland = new Uint8Array(readFileSync(sample('rutland/rutland-2022-11.osm.pbf')));
    for await (const f of osmPbfImporter.parse(rutland, { fileName: 'rutland.osm.pbf' })) {
      if (f.sourceId === 'w417617998' && f.kind === 'building') castle = f;
    }
    expect(castle?.name).toBe('Oakham Castle');
    const [cx, cy] = [(ring[0] + ring[4]) / 2, (ring[1] + ring[5]) / 2];
    expect(pointInRing(cx, cy, castle!.footprint[0][0])).toBe(true);
  });

  it('reads the LoD2 hall once (not again through the xlinks of its solid), with its attributes', async () => {
    const hall = (await run(oakham)).byId.get('oakham-hall')!;
    expect(semantics(hall)).toEqual({ ground: 1, wall: 4, roof: 2 });
    expect(hall).toMatchObject({
      name: 'Great Hall (constructed box)',
      heightM: 9,
      groundElevationM: 110,
      storeys: 1,
      heightSource: 'measured',
      heightMethod: 'CityGML LoD2 geometry: highest − lowest vertex = 9 m',
    });
    expect(hall.attributes).toMatchObject({
      note: 'constructed fixture',
      'addr:street': 'Market Place',
      'addr:city': 'Oakham',
    });
    const zs = hall.surfaces!.flatMap((s) => Array.from(s.rings[0].filter((_, i) => i % 3 === 2)));
    expect(Math.min(...zs)).toBe(0);
    expect(Math.max(...zs)).toBe(9);
  });

  it('draws a building without geometry from its LoD1 parts and links the parts to it', async () => {
    const { byId, features } = await run(oakham);
    expect(features.map((f) => f.sourceId)).toEqual([
      'oakham-hall',
      'oakham-annex',
      'oakham-annex-a',
      'oakham-annex-b',
    ]);
    const annex = byId.get('oakham-annex')!;
    expect(annex).toMatchObject({ kind: 'building', heightM: 6 });
    expect(annex.heightMethod).toBe('CityGML LoD1 geometry of its 2 parts: highest − lowest vertex = 6 m');
    // The union of a 10 × 10 m and an adjoining 6 × 6 m box: one outline of 8 corners.
    expect(annex.footprint).toHaveLength(1);
    expect(annex.footprint[0][0].length / 2).toBe(8);
    expect(byId.get('oakham-annex-b')).toMatchObject({
      kind: 'part',
      parentSourceId: 'oakham-annex',
      heightM: 3,
    });
    // No semantics in the LoD1 solids: inferred from which way each face looks.
    expect(semantics(byId.get('oakham-annex-a')!)).toEqual({ ground: 1, roof: 1, wall: 4 });
  });
});

describe('CityGML: bad files', () => {
  // Constructed minimal documents for failure cases.
  const doc = (body: string, srs = ' srsName="EPSG:27700"') =>
    new TextEncoder().encode(
      `<core:CityModel xmlns:core="http://www.opengis.net/citygml/2.0" xmlns:bldg="http://www.opengis.net/citygml/building/2.0" xmlns:gml="http://www.opengis.net/gml"><core:cityObjectMember><bldg:Building gml:id="b1"><bldg:lod1MultiSurface><gml:MultiSurface${srs}><gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing>${body}</gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember></gml:MultiSurface></bldg:lod1MultiSurface></bldg:Building></core:cityObjectMember></core:CityModel>`,
    );
  const flatSquare =
    '<gml:posList srsDimension="3">486140 308895 0 486150 308895 0 486150 308905 0 486140 308895 0</gml:posList>';

  it('rejects a posList that is not whole positions, naming the building', async () => {
    const e = await failure(run(doc('<gml:posList srsDimension="3">486140 308895 0 486150</gml:posList>')));
    expect(e).toMatchObject({ type: 'invalid-geometry', featureId: 'b1', file: 'test.gml' });
  });

  it('asks for a CRS when the file names none, and accepts one given', async () => {
    const e = await failure(run(doc(flatSquare, '')));
    expect(e).toMatchObject({ type: 'unsupported-crs' });
    expect(e!.reason).toMatch(/--crs/);
    const { features } = await run(doc(flatSquare, ''), { crs: 'EPSG:27700' });
    // A flat footprint with no stated height falls back to the type default.
    expect(features[0]).toMatchObject({ sourceId: 'b1', heightSource: 'type-default' });
  });

  it('rejects XML that is cut off', async () => {
    const cut = oakham.slice(0, 3000);
    expect(await failure(run(cut))).toMatchObject({ type: 'invalid-xml' });
  });
});
