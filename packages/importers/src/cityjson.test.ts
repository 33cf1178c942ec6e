import { readFileSync } from 'node:fs';
import { type BuildingFeature, DataError, type ImportedFeature, transformer } from '@placetwin/geo';
import { describe, expect, it } from 'vitest';
import { sample } from '../../../test/support/paths';
import { cityJsonImporter } from './cityjson';
import { importerFor } from './registry';
import type { ImportOptions, ImportReject } from './types';

const DELFT = sample('cityjson/nl-delft-3dbag-2buildings.city.json');
const delftBytes = new Uint8Array(readFileSync(DELFT));
const delft = JSON.parse(new TextDecoder().decode(delftBytes));
const BAD = new URL('../fixtures/cityjson-bad-vertex-index.city.json', import.meta.url);
const badBytes = new Uint8Array(readFileSync(BAD));

async function run(bytes: Uint8Array, options: Partial<ImportOptions> = {}) {
  const rejects: ImportReject[] = [];
  const features: BuildingFeature[] = [];
  for await (const f of cityJsonImporter.parse(bytes, {
    fileName: 'test.city.json',
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
const encode = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

/** Real-world vertex i of the Delft file, computed here from its transform (not by the importer). */
const realVertex = (i: number): [number, number, number] => {
  const { scale, translate } = delft.transform;
  const v = delft.vertices[i];
  return [v[0] * scale[0] + translate[0], v[1] * scale[1] + translate[1], v[2] * scale[2] + translate[2]];
};

describe('CityJSON: 3DBAG Delft sample', () => {
  it('is detected and gives its CRS but no attribution (the file states none)', () => {
    expect(importerFor(delftBytes, DELFT).name).toBe('cityjson');
    expect(cityJsonImporter.meta(DELFT, delftBytes)).toEqual({ crs: 'EPSG:28992' });
  });

  it('imports both buildings and their parts, each building drawn from its part', async () => {
    const { features, rejects } = await run(delftBytes);
    expect(rejects).toEqual([]);
    expect(features.map((f) => `${f.kind}:${f.sourceId}:${f.parentSourceId}`).sort()).toEqual([
      'building:NL.IMBAG.Pand.0503100000028341:null',
      'building:NL.IMBAG.Pand.0503100000031927:null',
      'part:NL.IMBAG.Pand.0503100000028341-0:NL.IMBAG.Pand.0503100000028341',
      'part:NL.IMBAG.Pand.0503100000031927-0:NL.IMBAG.Pand.0503100000031927',
    ]);
  });

  it('measures height and ground from the vertices, and keeps the semantics and attributes', async () => {
    const { byId } = await run(delftBytes);
    for (const partId of Object.keys(delft.CityObjects).filter(
      (id) => delft.CityObjects[id].type === 'BuildingPart',
    )) {
      const part = delft.CityObjects[partId];
      const solid = part.geometry[0];
      const indices: number[] = solid.boundaries.flat(3);
      const zs = indices.map((i) => realVertex(i)[2]);
      const f = byId.get(partId)!;
      expect(f.heightM).toBeCloseTo(Math.max(...zs) - Math.min(...zs), 3);
      expect(f.groundElevationM).toBeCloseTo(Math.min(...zs), 3);
      expect(f.heightSource).toBe('measured');
      expect(f.heightMethod).toMatch(/^CityJSON LoD2\.2 geometry: highest − lowest vertex = /);
      // One output surface per input surface, with the file's semantic types.
      const types: string[] = solid.semantics.values[0].map((v: number) => solid.semantics.surfaces[v].type);
      const expected = types.map(
        (t) => ({ RoofSurface: 'roof', WallSurface: 'wall', GroundSurface: 'ground' })[t],
      );
      expect(f.surfaces!.map((s) => s.semantic)).toEqual(expected);
      for (const s of f.surfaces!)
        for (let i = 2; i < s.rings[0].length; i += 3) expect(s.rings[0][i]).toBeGreaterThanOrEqual(0);
      const parent = byId.get(part.parents[0])!;
      expect(parent.heightM).toBe(f.heightM);
      expect(parent.attributes.oorspronkelijkbouwjaar).toBe(
        delft.CityObjects[part.parents[0]].attributes.oorspronkelijkbouwjaar,
      );
    }
  });

  it('puts the footprint on the ground surface, transformed from RD New', async () => {
    const { byId } = await run(delftBytes);
    const toLonLat = transformer('EPSG:28992', 'EPSG:4326');
    const partId = 'NL.IMBAG.Pand.0503100000031927-0';
    const solid = delft.CityObjects[partId].geometry[0];
    const groundIndex = solid.semantics.values[0].findIndex(
      (v: number) => solid.semantics.surfaces[v].type === 'GroundSurface',
    );
    const ground: number[] = solid.boundaries[0][groundIndex][0];
    const expected = ground.map((i) => toLonLat(realVertex(i)[0], realVertex(i)[1]));
    const ring = byId.get(partId)!.footprint[0][0];
    expect(ring.length / 2).toBe(new Set(ground).size);
    for (let i = 0; i < ring.length; i += 2) {
      const d = Math.min(...expected.map(([lon, lat]) => Math.hypot(lon - ring[i], lat - ring[i + 1])));
      expect(d).toBeLessThan(1e-12);
    }
    // Delft, by the RD New → WGS84 transform.
    expect(ring[0]).toBeCloseTo(4.3678, 3);
    expect(ring[1]).toBeCloseTo(52.0029, 3);
  });

  it('reads the same buildings from a CityJSON text sequence (.city.jsonl) made from the file', async () => {
    // CityJSONSeq: a header line, then one CityJSONFeature per building with its own vertex list.
    const lines = [
      JSON.stringify({
        type: 'CityJSON',
        version: delft.version,
        transform: delft.transform,
        metadata: delft.metadata,
        CityObjects: {},
        vertices: [],
      }),
    ];
    for (const [id, obj] of Object.entries<{ type: string; children?: string[] }>(delft.CityObjects)) {
      if (obj.type !== 'Building') continue;
      const ids = [id, ...(obj.children ?? [])];
      const remap = new Map<number, number>();
      const vertices: number[][] = [];
      const objects = JSON.parse(
        JSON.stringify(Object.fromEntries(ids.map((k) => [k, delft.CityObjects[k]]))),
      );
      const reindex = (x: unknown): unknown => {
        if (Array.isArray(x)) return x.map(reindex);
        if (typeof x !== 'number') return x;
        if (!remap.has(x)) remap.set(x, vertices.push(delft.vertices[x]) - 1);
        return remap.get(x);
      };
      for (const k of ids) for (const g of objects[k].geometry ?? []) g.boundaries = reindex(g.boundaries);
      lines.push(JSON.stringify({ type: 'CityJSONFeature', id, CityObjects: objects, vertices }));
    }
    const seq = new TextEncoder().encode(`${lines.join('\n')}\n`);
    expect(importerFor(seq, 'delft.city.jsonl').name).toBe('cityjson');
    const fromSeq = await run(seq, { fileName: 'delft.city.jsonl' });
    const fromFile = await run(delftBytes);
    const sorted = (fs: ImportedFeature[]) => [...fs].sort((a, b) => a.sourceId.localeCompare(b.sourceId));
    expect(sorted(fromSeq.features)).toEqual(sorted(fromFile.features));
  });
});

describe('CityJSON: bad files', () => {
  it('throws a DataError naming the object with an out-of-range vertex index', async () => {
    const e = await failure(run(badBytes));
    expect(e).toBeInstanceOf(DataError);
    expect(e).toMatchObject({ featureId: 'box-bad-index', file: 'test.city.json' });
    expect(e!.reason).toBe('vertex index 99 is out of range (the file has 8 vertices)');
  });

  it('with skipInvalid imports the good box, with semantics inferred from its faces', async () => {
    const { features, rejects } = await run(badBytes, { skipInvalid: true });
    expect(rejects.map((r) => r.featureId)).toEqual(['box-bad-index']);
    expect(features).toHaveLength(1);
    const [box] = features;
    expect(box).toMatchObject({
      sourceId: 'box-good',
      heightM: 6,
      groundElevationM: 0,
      storeys: 2,
      heightSource: 'measured',
    });
    expect(box.surfaces!.map((s) => s.semantic)).toEqual(['ground', 'roof', 'wall', 'wall', 'wall', 'wall']);
    expect(box.footprint[0][0].length / 2).toBe(4);
  });

  it('reads title, date and point of contact from metadata', () => {
    expect(cityJsonImporter.meta('bad.city.json', badBytes)).toEqual({
      crs: 'EPSG:28992',
      title: 'Constructed test boxes',
      vintage: '2024-01-01',
      attribution: '© Placetwin tests',
    });
  });

  it('rejects integer vertices without a transform, an unknown CRS and a missing CRS', async () => {
    const doc = JSON.parse(new TextDecoder().decode(badBytes));
    const { transform: _, ...noTransform } = doc;
    expect((await failure(run(encode(noTransform))))!.reason).toMatch(
      /vertices are integers but the file has no "transform"/,
    );
    const unknown = {
      ...doc,
      metadata: { referenceSystem: 'https://www.opengis.net/def/crs/EPSG/0/999999' },
    };
    expect(await failure(run(encode(unknown)))).toMatchObject({ type: 'unsupported-crs' });
    const none = { ...doc, metadata: {} };
    expect((await failure(run(encode(none))))!.reason).toMatch(/names no CRS .* --crs/);
    expect((await run(encode(none), { crs: 'EPSG:7415', skipInvalid: true })).features).toHaveLength(1);
  });
});
