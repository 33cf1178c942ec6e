import { readFileSync } from 'node:fs';
import { type BuildingFeature, DataError, type ImportedFeature, type MapFeature } from '@placetwin/geo';
import tinyosmpbf from 'tiny-osmpbf';
import { describe, expect, it } from 'vitest';
import { sample } from '../../../../test/support/paths';
import { importerFor } from '../registry';
import type { ImportOptions, ImportReject } from '../types';
import { joinWaysIntoRings, mapRuleFor } from './assemble';
import { osmPbfImporter, osmXmlImporter } from './importer';

const FIXTURE = new URL('../../fixtures/osm-edge-cases.osm', import.meta.url);
const fixture = new Uint8Array(readFileSync(FIXTURE));

async function run(bytes: Uint8Array, options: Partial<ImportOptions> = {}) {
  const rejects: ImportReject[] = [];
  const features: ImportedFeature[] = [];
  for await (const f of osmXmlImporter.parse(bytes, {
    fileName: 'edge.osm',
    onReject: (r) => rejects.push(r),
    ...options,
  })) {
    features.push(f);
  }
  const byId = new Map(features.map((f) => [f.sourceId, f]));
  return { features, rejects, byId };
}

describe('joinWaysIntoRings', () => {
  const w = (...ids: number[]) => Float64Array.from(ids);
  it('joins ways split anywhere and running either way round', () => {
    expect(joinWaysIntoRings([w(1, 2, 3), w(5, 4, 3), w(5, 6, 1)])).toEqual({
      rings: [[5, 6, 1, 2, 3, 4, 5]],
    });
  });
  it('keeps closed ways as they are and builds several rings', () => {
    const r = joinWaysIntoRings([w(1, 2, 3, 1), w(7, 8), w(8, 9, 7)]);
    expect('rings' in r && r.rings.length).toBe(2);
  });
  it('says which node a ring stops at when it does not close', () => {
    expect(joinWaysIntoRings([w(1, 2, 3), w(3, 4)])).toEqual({
      error: 'ring does not close: no member way continues from node n4',
    });
  });
});

describe('mapRuleFor', () => {
  it('classifies water before land use, and areas only when closed', () => {
    expect(mapRuleFor({ natural: 'water' }, true)?.layer).toBe('water');
    expect(mapRuleFor({ landuse: 'reservoir' }, true)?.layer).toBe('water');
    expect(mapRuleFor({ landuse: 'farmland' }, true)?.layer).toBe('landuse');
    expect(mapRuleFor({ landuse: 'farmland' }, false)).toBeNull();
    expect(mapRuleFor({ waterway: 'stream' }, false)?.layer).toBe('water');
    expect(mapRuleFor({ highway: 'primary' }, false)).toMatchObject({ layer: 'road', shape: 'line' });
    expect(mapRuleFor({ highway: 'proposed' }, false)).toBeNull();
    expect(mapRuleFor({ railway: 'rail' }, false)?.layer).toBe('rail');
  });
});

describe('OSM XML: constructed edge cases (fixtures/osm-edge-cases.osm)', () => {
  it('is detected from its content', () => {
    expect(importerFor(fixture, 'anything.txt').name).toBe('osm-xml');
  });

  it('throws a DataError naming the unclosed way, after reporting the way cut at the border', async () => {
    const rejects: ImportReject[] = [];
    const error = await run(fixture, { onReject: (r) => rejects.push(r) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect(error).toMatchObject({ file: 'edge.osm', featureId: 'w40', type: 'invalid-geometry' });
    expect((error as DataError).reason).toBe('building way is not closed (first node n23, last n25)');
    // Incomplete ways are expected in extracts: reported, never fatal.
    expect(rejects).toEqual([
      {
        featureId: 'w39',
        reason: "incomplete: 1 of 4 nodes are not in the file (cut at the extract's border)",
      },
    ]);
  });

  it('with skipInvalid imports the good features and reports each bad one', async () => {
    const { byId, rejects } = await run(fixture, { skipInvalid: true });
    expect(rejects.map((r) => r.featureId)).toEqual(['w39', 'w40', 'w42']);
    expect(rejects[2].reason).toMatch(/^outer ring self-intersects \(crossing of edges 0 and 2/);
    const kinds = [...byId.values()].map((f) => `${f.kind}:${f.sourceId}`).sort();
    expect(kinds).toEqual(
      ['building:r1', 'building:w20', 'building:w30', 'map:w50', 'map:w51', 'part:w21', 'part:w31'].sort(),
    );
  });

  it('joins a multipolygon split into reversed ways and keeps its hole', async () => {
    const { byId } = await run(fixture, { skipInvalid: true });
    const school = byId.get('r1') as BuildingFeature;
    expect(school).toMatchObject({ name: 'Split School', use: 'education', heightSource: 'type-default' });
    expect(school.footprint).toHaveLength(1);
    const [outer, hole] = school.footprint[0];
    expect(outer.length / 2).toBe(4);
    expect(hole.length / 2).toBe(4);
  });

  it('gives parts their building: by a type=building relation, else by containment', async () => {
    const { byId } = await run(fixture, { skipInvalid: true });
    const inside = byId.get('w21') as BuildingFeature;
    expect(inside).toMatchObject({
      kind: 'part',
      parentSourceId: 'w20',
      minHeightM: 3,
      heightM: 10,
      storeys: 3,
    });
    expect(byId.get('w31')).toMatchObject({
      kind: 'part',
      parentSourceId: 'w30',
      heightM: 15,
      heightSource: 'measured',
    });
  });

  it('keeps useful tags and turns roads and water into basemap features', async () => {
    const { byId } = await run(fixture, { skipInvalid: true });
    expect((byId.get('w20') as BuildingFeature).attributes).toEqual({
      'addr:street': 'Test Street',
      building: 'house',
      'building:levels': '2',
      name: 'Host House',
    });
    const lane = byId.get('w50') as MapFeature;
    expect(lane).toMatchObject({ layer: 'road', class: 'residential', name: 'Test Lane' });
    expect(lane.geometry).toEqual({
      type: 'LineString',
      coordinates: [
        [-0.73, 52.67],
        [-0.728, 52.67],
      ],
    });
    const pond = byId.get('w51') as MapFeature;
    expect(pond).toMatchObject({ layer: 'water', class: 'water', geometry: { type: 'Polygon' } });
  });

  it('reads the vintage from the root timestamp', () => {
    expect(osmXmlImporter.meta('edge.osm', fixture)).toMatchObject({
      vintage: '2024-05-01',
      licence: 'ODbL-1.0',
      attribution: '© OpenStreetMap contributors',
    });
  });

  it('fails with a DataError on XML that is cut off', async () => {
    const cut = fixture.slice(0, 2000);
    await expect(run(cut)).rejects.toMatchObject({ type: 'invalid-xml', file: 'edge.osm' });
  });
});

describe('OSM XML and PBF agree on the real Rutland data', () => {
  it('imports the same buildings with the same footprints from XML written from the PBF', async () => {
    const pbf = new Uint8Array(readFileSync(sample('rutland/rutland-2022-11.osm.pbf')));
    // Write OSM XML from a second parser's decoding of the file, then import both.
    const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
    const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="test">'];
    for (const e of tinyosmpbf(pbf).elements ?? []) {
      const tags = Object.entries(e.tags ?? {}).map(([k, v]) => `<tag k="${esc(k)}" v="${esc(v)}"/>`);
      if (e.type === 'node') lines.push(`<node id="${e.id}" lat="${e.lat}" lon="${e.lon}"/>`);
      else if (e.type === 'way') {
        lines.push(
          `<way id="${e.id}">${(e.nodes ?? []).map((n) => `<nd ref="${n}"/>`).join('')}${tags.join('')}</way>`,
        );
      } else {
        const members = (e.members ?? []).map(
          (m) => `<member type="${m.type}" ref="${m.ref}" role="${esc(m.role)}"/>`,
        );
        lines.push(`<relation id="${e.id}">${members.join('')}${tags.join('')}</relation>`);
      }
    }
    lines.push('</osm>');
    const xml = new TextEncoder().encode(lines.join('\n'));

    const collect = async (it: AsyncIterable<ImportedFeature>) => {
      const out = new Map<string, ImportedFeature>();
      for await (const f of it) out.set(`${f.kind}:${f.sourceId}`, f);
      return out;
    };
    const fromPbf = await collect(osmPbfImporter.parse(pbf, { fileName: 'r.osm.pbf' }));
    const fromXml = await collect(osmXmlImporter.parse(xml, { fileName: 'r.osm' }));
    expect([...fromXml.keys()].sort()).toEqual([...fromPbf.keys()].sort());
    let worst = 0;
    for (const [key, a] of fromPbf) {
      const b = fromXml.get(key)!;
      if (a.kind === 'map' || b.kind === 'map') continue;
      expect(b.heightMethod).toBe(a.heightMethod);
      a.footprint.forEach((polygon, p) => {
        polygon.forEach((ring, r) => {
          const other = b.footprint[p][r];
          expect(other.length).toBe(ring.length);
          for (let i = 0; i < ring.length; i++) worst = Math.max(worst, Math.abs(ring[i] - other[i]));
        });
      });
    }
    expect(worst).toBeLessThan(1e-9);
  });
});
