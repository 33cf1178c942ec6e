import { createHash } from 'node:crypto';
import { DataError } from '@placetwin/geo';
import { describe, expect, it } from 'vitest';
import { glbBinOffset, glbJson, metadataBufferViews } from './glb';
import { readTileContent } from './read';
import {
  contentProblems,
  decompressedGlb,
  reportSummary,
  structureProblems,
  validateGlb,
  walkTiles,
  windingProblems,
} from './testing';
import { buildTileset } from './tileset';
import type { TileableBuilding } from './types';

/**
 * Constructed fixtures for edge cases the real samples lack or have too few of: courtyards (holes),
 * multi-part footprints, elevated parts (floors), nullable and mixed-type properties, schema-unsafe property
 * names, identical stacked footprints, and bad input. Placed in Oakham, Rutland, in metres east/north of a
 * corner so shapes are exact.
 */
const LON0 = -0.7306;
const LAT0 = 52.6697;
const M_PER_DEG_LAT = 111_250;
const M_PER_DEG_LON = M_PER_DEG_LAT * Math.cos((LAT0 * Math.PI) / 180);

/** A ring from metre offsets (x east, y north) to lon/lat degrees. */
const ring = (...xy: number[]): Float64Array =>
  new Float64Array(xy.map((v, i) => (i % 2 === 0 ? LON0 + v / M_PER_DEG_LON : LAT0 + v / M_PER_DEG_LAT)));

const rect = (x: number, y: number, w: number, h: number) => ring(x, y, x + w, y, x + w, y + h, x, y + h);

function edgeCaseTown(): TileableBuilding[] {
  const out: TileableBuilding[] = [];
  for (let i = 0; i < 60; i++) {
    const x = (i % 10) * 40;
    const y = Math.floor(i / 10) * 40;
    const kind = i % 5;
    const footprint =
      kind === 0
        ? [[rect(x, y, 30, 30), ring(x + 10, y + 10, x + 10, y + 20, x + 20, y + 20, x + 20, y + 10)]] // courtyard
        : kind === 1
          ? [[rect(x, y, 10, 10)], [rect(x + 15, y, 10, 20)]] // two parts
          : kind === 2
            ? [[ring(x, y, x + 25, y, x + 25, y + 8, x + 8, y + 8, x + 8, y + 25, x, y + 25)]] // L-shape
            : [[rect(x, y, 12 + i / 10, 9)]];
    out.push({
      id: `edge:${String(i).padStart(3, '0')}`,
      footprint,
      minHeightM: kind === 3 ? 4 : 0, // elevated: gets a floor
      heightM: 6 + (i % 7) * 3.5,
      properties: {
        name: i % 4 === 0 ? null : `Building ${i}`,
        storeys: i % 6 === 0 ? null : 1 + (i % 4),
        'building:levels': i % 4,
        listed: i % 9 === 0 ? null : i % 2 === 0,
        heated: i % 3 === 0,
        areaM2: Math.round(i * 13.7 * 10) / 10,
        '3d': i % 2 === 0 ? 'yes' : 7, // mixed types → string
        ...(i % 10 === 0 ? { note: 'only some buildings have this key' } : {}),
      },
    });
  }
  return out;
}

describe('buildTileset on constructed edge cases', () => {
  const town = edgeCaseTown();
  const max = 8;

  it('builds a valid hierarchy: every building once, ≤ max per tile, nested regions, errors shrinking with depth', async () => {
    const r = await buildTileset(town, { maxFeaturesPerTile: max });
    expect(structureProblems(r)).toEqual([]);
    expect(await contentProblems(r, town, max)).toEqual([]);
    expect(r.stats.buildings).toBe(town.length);
    expect(r.stats.contentTiles).toBe(r.files.size);
    expect(r.stats.maxDepth).toBeGreaterThanOrEqual(2);
  });

  it('writes glbs that pass the Khronos glTF-Validator with 0 errors, compressed and not', async () => {
    for (const compress of [true, false]) {
      const r = await buildTileset(town, { maxFeaturesPerTile: max, compress });
      for (const [name, glb] of r.files) {
        const report = await validateGlb(glb, name);
        const checked = compress ? await validateGlb(await decompressedGlb(glb), name) : report;
        if (name === [...r.files.keys()][0]) {
          console.log(`gltf-validator (compress ${compress}) ${name}: ${reportSummary(report)}`);
          if (compress) console.log(`  decoded for validation: ${reportSummary(checked)}`);
        }
        expect(report.issues.numErrors, `${name}: ${reportSummary(report)}`).toBe(0);
        expect(report.issues.numWarnings, `${name}: ${reportSummary(report)}`).toBe(0);
        expect(checked.issues.numErrors, `${name} decoded: ${reportSummary(checked)}`).toBe(0);
      }
    }
  });

  it('keeps property tables 8-byte aligned (EXT_structural_metadata binary rules)', async () => {
    for (const compress of [true, false]) {
      const r = await buildTileset(town, { maxFeaturesPerTile: max, compress });
      for (const glb of r.files.values()) {
        const json = glbJson(glb);
        expect(glbBinOffset(glb) % 8).toBe(0);
        const views = metadataBufferViews(json);
        expect(views.length).toBeGreaterThan(0);
        for (const i of views) expect((json.bufferViews?.[i].byteOffset ?? 0) % 8).toBe(0);
      }
    }
  });

  it('sizes every property view to exactly the table count (CesiumJS rejects a column with count+1 values)', async () => {
    // Odd tile sizes make 4-byte INT32 columns and UINT32 string offsets miss an 8-byte boundary.
    const r = await buildTileset(town.slice(0, 7), { maxFeaturesPerTile: 7 });
    for (const glb of r.files.values()) {
      const json = glbJson(glb) as unknown as {
        bufferViews: { byteLength: number }[];
        extensions: {
          EXT_structural_metadata: {
            schema: {
              classes: Record<
                string,
                { properties: Record<string, { type: string; componentType?: string }> }
              >;
            };
            propertyTables: {
              class: string;
              count: number;
              properties: Record<string, { values: number; stringOffsets?: number }>;
            }[];
          };
        };
      };
      const meta = json.extensions.EXT_structural_metadata;
      for (const table of meta.propertyTables) {
        const n = table.count;
        expect(n % 2).toBe(1);
        for (const [id, p] of Object.entries(table.properties)) {
          const def = meta.schema.classes[table.class].properties[id];
          const length = json.bufferViews[p.values].byteLength;
          if (def.type === 'BOOLEAN') expect(length, id).toBe(Math.ceil(n / 8));
          else if (def.componentType === 'INT32') expect(length, id).toBe(4 * n);
          else if (def.componentType === 'FLOAT64') expect(length, id).toBe(8 * n);
          if (p.stringOffsets !== undefined)
            expect(json.bufferViews[p.stringOffsets].byteLength, id).toBe(4 * (n + 1));
        }
      }
    }
  });

  it('round-trips feature ids and typed properties, nulls as noData', async () => {
    const r = await buildTileset(town, { maxFeaturesPerTile: max });
    const byId = new Map(town.map((b) => [b.id, b]));
    let rows = 0;
    for (const glb of r.files.values()) {
      const tile = await readTileContent(glb);
      for (const row of tile.properties) {
        const b = byId.get(String(row.id))!;
        rows++;
        expect(row.name).toBe(b.properties.name);
        expect(row.storeys).toBe(b.properties.storeys);
        expect(row.building_levels).toBe(b.properties['building:levels']);
        expect(row.heated).toBe(b.properties.heated);
        expect(row.areaM2).toBe(b.properties.areaM2);
        // A boolean column with nulls has no noData in the spec: stored as strings.
        expect(row.listed).toBe(b.properties.listed === null ? null : String(b.properties.listed));
        expect(row._3d).toBe(String(b.properties['3d']));
        expect(row.note).toBe(b.properties.note ?? null);
      }
      // Feature ids are exactly 0..count-1, each used by some vertex (every building here has geometry).
      expect(new Set(tile.featureIds)).toEqual(new Set(tile.properties.map((_, k) => k)));
    }
    expect(rows).toBe(town.length);
    const schema = glbJson([...r.files.values()][0]) as {
      extensions?: {
        EXT_structural_metadata?: { schema?: { classes?: Record<string, { properties: object }> } };
      };
    };
    const props = schema.extensions?.EXT_structural_metadata?.schema?.classes?.building.properties ?? {};
    expect(props).toMatchObject({
      id: { type: 'STRING', required: true },
      heightM: { type: 'SCALAR', componentType: 'FLOAT64' },
      storeys: { type: 'SCALAR', componentType: 'INT32', noData: -2147483648 },
      heated: { type: 'BOOLEAN' },
      name: { type: 'STRING', noData: '' },
      areaM2: { type: 'SCALAR', componentType: 'FLOAT64' },
    });
  });

  it('winds every triangle counter-clockwise from outside, matching its normal; roofs face up at roof height', async () => {
    const r = await buildTileset(town, { maxFeaturesPerTile: max });
    const byId = new Map(town.map((b) => [b.id, b]));
    for (const [name, glb] of r.files) {
      expect(await windingProblems(glb, name)).toEqual([]);
      const tile = await readTileContent(glb);
      let roofs = 0;
      for (let i = 0; i < tile.featureIds.length; i++) {
        if (tile.normalsEnu[i * 3 + 2] < 0.99) continue;
        roofs++;
        const b = byId.get(String(tile.properties[tile.featureIds[i]].id))!;
        // Within a quantisation step and the Earth's curvature over a few hundred metres.
        expect(Math.abs(tile.positionsEnu[i * 3 + 2] - b.heightM)).toBeLessThan(0.05);
      }
      expect(roofs).toBeGreaterThan(0);
    }
  });

  it('names content by the first 16 hex digits of its sha256', async () => {
    const r = await buildTileset(town, { maxFeaturesPerTile: max });
    for (const [name, glb] of r.files) {
      expect(name).toBe(`${createHash('sha256').update(glb).digest('hex').slice(0, 16)}.glb`);
    }
  });

  it('is deterministic: same input, or the same buildings in another order → byte-identical output', async () => {
    const a = await buildTileset(town, { maxFeaturesPerTile: max });
    const b = await buildTileset(town, { maxFeaturesPerTile: max });
    const shuffled = [...town].sort(
      (x, y) => ((x.heightM * 7919) % 13) - ((y.heightM * 7919) % 13) || (x.id < y.id ? 1 : -1),
    );
    const c = await buildTileset(shuffled, { maxFeaturesPerTile: max });
    for (const other of [b, c]) {
      expect(JSON.stringify(other.tileset)).toBe(JSON.stringify(a.tileset));
      expect([...other.files.keys()]).toEqual([...a.files.keys()]);
      for (const [name, glb] of a.files) expect(Buffer.compare(other.files.get(name)!, glb)).toBe(0);
    }
  });

  it('gives floors only to elevated buildings by default, and to all with floors: "all"', async () => {
    const faces = async (floors: 'elevated' | 'all' | 'none') => {
      const r = await buildTileset(town, { maxFeaturesPerTile: 1000, floors, compress: false });
      const tile = await readTileContent([...r.files.values()][0]);
      const down = new Set<string>();
      for (let i = 0; i < tile.featureIds.length; i++) {
        if (tile.normalsEnu[i * 3 + 2] < -0.99) down.add(String(tile.properties[tile.featureIds[i]].id));
      }
      return down;
    };
    const elevated = new Set(town.filter((b) => b.minHeightM > 0).map((b) => b.id));
    expect(await faces('elevated')).toEqual(elevated);
    expect((await faces('all')).size).toBe(town.length);
    expect((await faces('none')).size).toBe(0);
  });

  it('splits stacked identical footprints that no quadtree cell can separate into sibling tiles', async () => {
    const stacked = Array.from({ length: 5 }, (_, i) => ({
      id: `stack:${i}`,
      footprint: [[rect(0, 0, 10, 10)]],
      minHeightM: 0,
      heightM: 3 + i,
      properties: {},
    }));
    const r = await buildTileset(stacked, { maxFeaturesPerTile: 2 });
    expect(structureProblems(r)).toEqual([]);
    expect(await contentProblems(r, stacked, 2)).toEqual([]);
    expect(walkTiles(r.tileset).filter((v) => v.tile.content)).toHaveLength(3);
  });

  it('puts a single small building in one root content tile with a positive tileset error', async () => {
    const one = [town[3]];
    const r = await buildTileset(one);
    expect(r.tileset.root.content).toBeDefined();
    expect(r.tileset.root.geometricError).toBe(0);
    expect(r.tileset.geometricError).toBeGreaterThan(0);
    expect(await contentProblems(r, one, 1)).toEqual([]);
  });
});

describe('buildTileset on bad input', () => {
  const good = edgeCaseTown().slice(0, 3);
  const bad: TileableBuilding[] = [
    { ...good[0], id: 'bad:nan', footprint: [[new Float64Array([0, 0, Number.NaN, 1, 1, 1])]] },
    { ...good[0], id: 'bad:flat', heightM: 0, minHeightM: 0 },
    { ...good[0], id: 'bad:empty', footprint: [] },
    { ...good[0], id: 'bad:prop', properties: { x: Number.POSITIVE_INFINITY } },
    { ...good[0], id: good[1].id },
  ];

  it('throws a DataError naming the feature and the reason', async () => {
    for (const b of bad) {
      const err = await buildTileset([...good, b]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DataError);
      expect((err as DataError).featureId).toBe(b.id);
      expect((err as DataError).reason.length).toBeGreaterThan(5);
    }
  });

  it('skips and reports them with skipInvalid', async () => {
    const rejects: string[] = [];
    const r = await buildTileset([...good, ...bad], {
      skipInvalid: true,
      onReject: (x) => rejects.push(`${x.featureId}: ${x.reason}`),
    });
    expect(r.stats.rejected).toBe(bad.length);
    expect(r.stats.buildings).toBe(good.length);
    expect(rejects).toHaveLength(bad.length);
    expect(rejects.find((x) => x.startsWith('bad:flat'))).toMatch(/heightM 0 is not above minHeightM 0/);
  });

  it('rejects an empty dataset and bad options', async () => {
    await expect(buildTileset([])).rejects.toThrow(DataError);
    await expect(buildTileset(good, { maxFeaturesPerTile: 0 })).rejects.toThrow(/maxFeaturesPerTile/);
    await expect(buildTileset(good, { geometricErrorDivisor: -1 })).rejects.toThrow(/geometricErrorDivisor/);
  });
});
