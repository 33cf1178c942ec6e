import { readFileSync } from 'node:fs';
import { Document, NodeIO } from '@gltf-transform/core';
import { DataError } from '@placetwin/geo';
import { describe, expect, it } from 'vitest';
import { glbMassing, groundHull } from './glb-massing';

const FIXTURE = new URL('../../../test/fixtures/massing-two-blocks.glb', import.meta.url);
const shoelace = (r: [number, number][]) =>
  r.reduce((s, [x1, y1], i) => {
    const [x2, y2] = r[(i + 1) % r.length];
    return s + (x1 * y2 - x2 * y1) / 2;
  }, 0);
const bbox = (r: [number, number][]) => [
  Math.min(...r.map((p) => p[0])),
  Math.min(...r.map((p) => p[1])),
  Math.max(...r.map((p) => p[0])),
  Math.max(...r.map((p) => p[1])),
];

async function glbOf(build: (doc: Document) => void): Promise<Uint8Array> {
  const doc = new Document();
  build(doc);
  return new NodeIO().writeBinary(doc);
}

describe('groundHull', () => {
  it('is the convex hull, counter-clockwise: an L shape is covered whole', () => {
    // L: 10 × 10 square missing its 5 × 5 north-east quarter; the hull cuts the notch diagonally.
    const l: [number, number][] = [
      [0, 0],
      [10, 0],
      [10, 5],
      [5, 5],
      [5, 10],
      [0, 10],
    ];
    const hull = groundHull(l)!;
    expect(shoelace(hull)).toBeCloseTo(100 - 12.5, 9); // the square less the triangle outside the diagonal
    expect(hull).not.toContainEqual([5, 5]);
  });
  it('orders a clockwise set counter-clockwise and drops duplicates and inner points', () => {
    const hull = groundHull([
      [0, 0],
      [0, 4],
      [4, 4],
      [4, 0],
      [2, 2],
      [0, 0],
    ])!;
    expect(hull).toHaveLength(4);
    expect(shoelace(hull)).toBeCloseTo(16, 9);
  });
  it('is null for points in a line or too few points', () => {
    expect(
      groundHull([
        [0, 0],
        [1, 1],
        [2, 2],
        [3, 3],
      ]),
    ).toBeNull();
    expect(
      groundHull([
        [0, 0],
        [1, 0],
      ]),
    ).toBeNull();
  });
});

describe('glbMassing', () => {
  it('reads each node under the wrapper as a building: footprint on the ground (−Z is north), height', async () => {
    const blocks = await glbMassing(new Uint8Array(readFileSync(FIXTURE)), 'massing-two-blocks.glb');
    expect(blocks.map((b) => b.name)).toEqual(['Block A', 'Block B']);
    const [a, b] = blocks;
    // Block A: x 0..20, z −12..0 → east 0..20, north 0..12; 15 m high (see test/fixtures/README.md).
    expect(bbox(a.ring)).toEqual([0, 0, 20, 12]);
    expect(shoelace(a.ring)).toBeCloseTo(240, 6);
    expect(a.heightM).toBeCloseTo(15, 6);
    expect(a.baseM).toBe(0);
    // Block B: its node translation (30, 0, 0) moves it 30 m east.
    expect(bbox(b.ring)).toEqual([30, 0, 40, 10]);
    expect(b.heightM).toBeCloseTo(9, 6);
  });

  it('applies node rotation: a 20 × 12 block turned 90° about Y is 12 east × 20 north', async () => {
    const bytes = await glbOf((doc) => {
      const buf = doc.createBuffer();
      const pos = doc
        .createAccessor()
        .setType('VEC3')
        .setBuffer(buf)
        .setArray(new Float32Array([0, 0, 0, 20, 0, 0, 20, 0, -12, 0, 0, -12, 0, 7, 0, 20, 7, -12]));
      const mesh = doc.createMesh().addPrimitive(doc.createPrimitive().setAttribute('POSITION', pos));
      const s = Math.SQRT1_2;
      doc.createScene().addChild(doc.createNode('Turned').setMesh(mesh).setRotation([0, s, 0, s]));
    });
    const [t] = await glbMassing(bytes, 'turned.glb');
    const [w, s, e, n] = bbox(t.ring);
    expect(e - w).toBeCloseTo(12, 5);
    expect(n - s).toBeCloseTo(20, 5);
    expect(t.heightM).toBeCloseTo(7, 5);
  });

  it('names the file and the node for a flat node, and the file for no meshes or not glTF', async () => {
    const flat = await glbOf((doc) => {
      const pos = doc
        .createAccessor()
        .setType('VEC3')
        .setBuffer(doc.createBuffer())
        .setArray(new Float32Array([0, 0, 0, 5, 0, 0, 5, 0, -5]));
      doc
        .createScene()
        .addChild(
          doc
            .createNode('Car park')
            .setMesh(doc.createMesh().addPrimitive(doc.createPrimitive().setAttribute('POSITION', pos))),
        );
    });
    const e1 = await glbMassing(flat, 'site.glb').catch((e) => e);
    expect(e1).toBeInstanceOf(DataError);
    expect(e1.message).toBe('site.glb, feature Car park: is flat: its vertices have no height');
    const empty = await glbOf((doc) => void doc.createScene().addChild(doc.createNode('Empty')));
    expect((await glbMassing(empty, 'empty.glb').catch((e) => e)).message).toMatch(
      /^empty\.glb: has no meshes/,
    );
    const notGlb = new TextEncoder().encode('{"type":"FeatureCollection","features":[]}');
    expect((await glbMassing(notGlb, 'x.glb').catch((e) => e)).message).toMatch(
      /^x\.glb: is not a binary glTF/,
    );
  });
});

describe('glbMassing of a Draco-compressed model', () => {
  it('reads the same blocks from the fixture compressed with KHR_draco_mesh_compression', async () => {
    // Compressed here from the real fixture with glTF-Transform's draco() (Google's Draco encoder, draco3dgltf):
    // no Draco file is kept in the repository, the test makes it.
    const { KHRONOS_EXTENSIONS } = await import('@gltf-transform/extensions');
    const { draco } = await import('@gltf-transform/functions');
    const { default: draco3d } = await import('draco3dgltf');
    const io = new NodeIO().registerExtensions(KHRONOS_EXTENSIONS).registerDependencies({
      'draco3d.encoder': await draco3d.createEncoderModule(),
      'draco3d.decoder': await draco3d.createDecoderModule(),
    });
    const plain = new Uint8Array(readFileSync(FIXTURE));
    const doc = await io.readBinary(plain);
    await doc.transform(draco({ method: 'edgebreaker' }));
    const packed = await io.writeBinary(doc);
    // It is Draco: the JSON chunk requires the extension, and the raw positions are gone from the binary chunk.
    const jsonLength = new DataView(packed.buffer, packed.byteOffset).getUint32(12, true);
    const json = JSON.parse(new TextDecoder().decode(packed.subarray(20, 20 + jsonLength)));
    expect(json.extensionsRequired).toContain('KHR_draco_mesh_compression');
    expect(
      json.meshes.every((m: { primitives: { extensions?: object }[] }) =>
        m.primitives.every((p) => p.extensions && 'KHR_draco_mesh_compression' in p.extensions),
      ),
    ).toBe(true);

    const want = await glbMassing(plain, 'massing-two-blocks.glb');
    const got = await glbMassing(packed, 'massing-two-blocks-draco.glb');
    expect(got.map((b) => b.name)).toEqual(want.map((b) => b.name));
    expect(want.map((b) => Math.round(b.heightM))).toEqual([15, 9]); // the fixture's boxes (test/fixtures/README.md)
    for (const [i, b] of got.entries()) {
      // Draco quantises positions (14 bits over the model's ~40 m): millimetres.
      expect(b.heightM).toBeCloseTo(want[i].heightM, 2);
      expect(b.baseM).toBeCloseTo(want[i].baseM, 2);
      expect(shoelace(b.ring)).toBeCloseTo(shoelace(want[i].ring), 0);
      bbox(b.ring).forEach((v, k) => {
        expect(v).toBeCloseTo(bbox(want[i].ring)[k], 2);
      });
    }
  });
});
