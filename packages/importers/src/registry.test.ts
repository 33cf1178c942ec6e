import { readFileSync } from 'node:fs';
import { DataError } from '@placetwin/geo';
import { describe, expect, it } from 'vitest';
import { sample } from '../../../test/support/paths';
import { importerFor, importers } from './registry';

const head = (path: string | URL) => new Uint8Array(readFileSync(path)).subarray(0, 65536);

describe('importerFor', () => {
  it.each([
    ['rutland/rutland-2022-11.osm.pbf', 'osm-pbf'],
    ['cityjson/nl-delft-3dbag-2buildings.city.json', 'cityjson'],
    ['citygml/de-ingolstadt-savenow-lod3-building-4018133.gml', 'citygml'],
    ['boundaries/local-authority-districts-2017-uk.geojson', 'geojson'],
  ])('picks the importer for %s by content, whatever the file is called', (file, name) => {
    expect(importerFor(head(sample(file)), file).name).toBe(name);
    expect(importerFor(head(sample(file)), 'renamed.dat').name).toBe(name);
  });

  it('picks OSM XML by content', () => {
    expect(importerFor(head(new URL('../fixtures/osm-edge-cases.osm', import.meta.url)), 'x').name).toBe(
      'osm-xml',
    );
  });

  it('throws a DataError listing the formats for content it does not know', () => {
    const csv = new TextEncoder().encode('id,height\n1,12\n');
    expect(() => importerFor(csv, 'buildings.csv')).toThrow(DataError);
    expect(() => importerFor(csv, 'buildings.csv')).toThrow(
      /content matches no known format \(supported: osm-pbf/,
    );
    expect(() => importerFor(csv, 'buildings.geojson')).toThrow(
      /its name says geojson but its content does not look like it/,
    );
  });

  it('registers one importer per format, each with extensions and meta defaults', () => {
    expect(importers.map((i) => i.name)).toEqual(['osm-pbf', 'osm-xml', 'cityjson', 'citygml', 'geojson']);
    for (const i of importers) {
      expect(i.extensions.length).toBeGreaterThan(0);
      expect(typeof i.meta('file')).toBe('object');
    }
    expect(importers[0].meta('rutland-2022-11.osm.pbf')).toMatchObject({
      vintage: '2022-11',
      licence: 'ODbL-1.0',
    });
  });
});
