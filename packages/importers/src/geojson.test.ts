import { readFileSync } from 'node:fs';
import {
  type BuildingFeature,
  DataError,
  fromBng,
  pointInRing,
  registerOstn15Grid,
  signedRingArea,
} from '@placetwin/geo';
import { beforeAll, describe, expect, it } from 'vitest';
import { sample } from '../../../test/support/paths';
import { geoJsonImporter } from './geojson';
import { importerFor } from './registry';
import type { ImportOptions, ImportReject } from './types';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)));
const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

async function run(bytes: Uint8Array, options: Partial<ImportOptions> = {}) {
  const rejects: ImportReject[] = [];
  const buildings: BuildingFeature[] = [];
  for await (const f of geoJsonImporter.parse(bytes, {
    fileName: 'test.geojson',
    onReject: (r) => rejects.push(r),
    ...options,
  })) {
    if (f.kind !== 'map') buildings.push(f);
  }
  return { buildings, rejects };
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as DataError,
  );

// Constructed one-feature collections for edge cases the fixture files do not cover.
const square = [
  [-0.73, 52.67],
  [-0.7299, 52.67],
  [-0.7299, 52.6701],
  [-0.73, 52.6701],
  [-0.73, 52.67],
];
const oneFeature = (coordinates: unknown, extra: Record<string, unknown> = {}) =>
  json({
    type: 'FeatureCollection',
    ...extra,
    features: [{ type: 'Feature', id: 'f1', properties: {}, geometry: { type: 'Polygon', coordinates } }],
  });

describe('GeoJSON: bad geometry fixtures', () => {
  it('throws a DataError naming the self-intersecting feature', async () => {
    const e = await failure(run(fixture('geojson-self-intersecting.geojson')));
    expect(e).toBeInstanceOf(DataError);
    expect(e).toMatchObject({ file: 'test.geojson', featureId: 'bow-tie', type: 'invalid-geometry' });
    expect(e!.reason).toMatch(/^polygon outer ring self-intersects \(crossing of edges 0 and 2/);
  });

  it('with skipInvalid imports the good features and reports the self-intersecting one', async () => {
    const { buildings, rejects } = await run(fixture('geojson-self-intersecting.geojson'), {
      skipInvalid: true,
    });
    expect(buildings.map((b) => b.sourceId)).toEqual(['good-1', 'good-2']);
    expect(rejects).toHaveLength(1);
    expect(rejects[0].featureId).toBe('bow-tie');
  });

  it('throws a DataError naming the unclosed ring, and skips it under skipInvalid', async () => {
    const e = await failure(run(fixture('geojson-unclosed-ring.geojson')));
    expect(e).toMatchObject({ featureId: 'unclosed' });
    expect(e!.reason).toBe(
      'polygon outer ring is not closed (first position (-0.729, 52.67) differs from the last (-0.729, 52.6701))',
    );
    const { buildings, rejects } = await run(fixture('geojson-unclosed-ring.geojson'), { skipInvalid: true });
    expect(buildings.map((b) => b.sourceId)).toEqual(['good-1']);
    expect(rejects.map((r) => r.featureId)).toEqual(['unclosed']);
  });

  it('rejects rings of fewer than 4 positions, non-finite and out-of-range coordinates', async () => {
    const short = await failure(run(oneFeature([square.slice(0, 3)])));
    expect(short!.reason).toBe('polygon outer ring has 3 positions; a closed ring needs at least 4');
    // 1e999 is valid JSON that parses to Infinity.
    const infinite = new TextEncoder().encode(
      new TextDecoder().decode(oneFeature([square])).replace('-0.7299,52.67]', '-0.7299,1e999]'),
    );
    expect((await failure(run(infinite)))!.reason).toMatch(
      /position 1: coordinate \(-0\.7299, Infinity\) is not a finite number/,
    );
    const bng = await failure(
      run(
        oneFeature([
          [
            [486140, 308895],
            [486160, 308895],
            [486160, 308905],
            [486140, 308895],
          ],
        ]),
      ),
    );
    expect(bng!.reason).toMatch(/out of range for EPSG:4326 .* give the CRS, e\.g\. --crs EPSG:27700/);
  });

  it('rejects a geometry that is not a polygon and a repeated feature id', async () => {
    const point = json({
      type: 'Feature',
      id: 7,
      properties: {},
      geometry: { type: 'Point', coordinates: [0, 0] },
    });
    expect(await failure(run(point))).toMatchObject({
      featureId: '7',
      reason: 'geometry type Point is not a Polygon or MultiPolygon',
    });
    const twice = json({
      type: 'FeatureCollection',
      features: [0, 1].map(() => ({
        type: 'Feature',
        id: 'same',
        properties: {},
        geometry: { type: 'Polygon', coordinates: [square] },
      })),
    });
    expect(await failure(run(twice))).toMatchObject({ type: 'duplicate-id', featureId: 'same' });
  });

  it('rejects a file that is not GeoJSON with a DataError about the file', async () => {
    expect(await failure(run(new TextEncoder().encode('{"type":"Topology"}')))).toMatchObject({
      type: 'invalid-geojson',
      featureId: null,
    });
    expect(await failure(run(new TextEncoder().encode('{"type":')))).toMatchObject({ type: 'invalid-json' });
  });
});

describe('GeoJSON: properties and geometry', () => {
  it('maps properties like OSM tags and orients rings', async () => {
    const { buildings } = await run(fixture('geojson-self-intersecting.geojson'), { skipInvalid: true });
    const [house, shop] = buildings;
    expect(house).toMatchObject({
      kind: 'building',
      name: 'Good one',
      heightM: 7,
      heightSource: 'levels',
      storeys: 2,
      use: 'residential',
      attributes: { name: 'Good one', building: 'house', 'building:levels': 2 },
    });
    expect(shop).toMatchObject({
      heightM: 9.5,
      heightSource: 'measured',
      use: 'retail',
      heightMethod: 'GeoJSON height=9.5 m',
    });
    const [outer, hole] = shop.footprint[0];
    expect(signedRingArea(outer)).toBeGreaterThan(0);
    expect(signedRingArea(hole)).toBeLessThan(0);
    expect(outer.length).toBe(8); // 4 vertices, closing position dropped
  });

  it('takes sourceId from id, then a property id, then the index', async () => {
    const bytes = json({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          id: 12,
          properties: { id: 'ignored' },
          geometry: { type: 'Polygon', coordinates: [square] },
        },
        {
          type: 'Feature',
          properties: { id: 'from-prop' },
          geometry: { type: 'Polygon', coordinates: [square] },
        },
        { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [square] } },
      ],
    });
    expect((await run(bytes)).buildings.map((b) => b.sourceId)).toEqual(['12', 'from-prop', '2']);
  });
});

describe('GeoJSON: CRS', () => {
  beforeAll(() => {
    const gsb = readFileSync(sample('ostn15/derived/OSTN15_NTv2_OSGBtoETRS.gsb'));
    registerOstn15Grid(gsb.buffer.slice(gsb.byteOffset, gsb.byteOffset + gsb.byteLength));
  });

  it('reads British National Grid from an old-style crs member and transforms it with OSTN15', async () => {
    const bytes = fixture('geojson-bng-oldstyle-crs.geojson');
    expect(geoJsonImporter.meta('x.geojson', bytes)).toEqual({ crs: 'EPSG:27700' });
    const { buildings } = await run(bytes);
    const [hall] = buildings;
    expect(hall).toMatchObject({ sourceId: 'castle-hall', heightSource: 'measured' });
    expect(hall.heightM).toBeCloseTo(12.19, 2); // 40 ft
    const ring = hall.footprint[0][0];
    const corners = [
      [486140, 308895],
      [486160, 308895],
      [486160, 308905],
      [486140, 308905],
    ].map(([e, n]) => fromBng(e, n));
    for (let i = 0; i < ring.length; i += 2) {
      const nearest = Math.min(...corners.map(([lon, lat]) => Math.hypot(lon - ring[i], lat - ring[i + 1])));
      expect(nearest).toBeLessThan(1e-9);
    }
  });

  it('lets the crs option override the file, and rejects an unknown CRS', async () => {
    const bytes = fixture('geojson-bng-oldstyle-crs.geojson');
    expect((await failure(run(bytes, { crs: 'EPSG:4326' })))!.reason).toMatch(/out of range for EPSG:4326/);
    expect(
      await failure(
        run(oneFeature([square], { crs: { type: 'name', properties: { name: 'EPSG:999999' } } })),
      ),
    ).toMatchObject({
      type: 'unsupported-crs',
    });
  });
});

describe('GeoJSON: real data (ONS local authority districts, 2017)', () => {
  it('imports all 391 district polygons and puts Rutland around its reference point', async () => {
    const path = sample('boundaries/local-authority-districts-2017-uk.geojson');
    const bytes = new Uint8Array(readFileSync(path));
    expect(importerFor(bytes, path).name).toBe('geojson');
    const { buildings, rejects } = await run(bytes);
    expect(rejects).toEqual([]);
    expect(buildings).toHaveLength(391);
    const rutland = buildings.find((b) => b.attributes.lad17nm === 'Rutland')!;
    const { long, lat } = rutland.attributes as { long: number; lat: number };
    expect(rutland.footprint.some((p) => pointInRing(long, lat, p[0]))).toBe(true);
  });
});
