import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '@placetwin/geo';
import { describe, expect, it } from 'vitest';
import { sample } from '../../../test/support/paths';
import { parseSensorList, sensorListFormatFor } from './sensor-list';

const AURN = sample('air-quality', 'london-aurn-sites.csv');
const LEEDS = join(import.meta.dirname, '../fixtures/leeds-footfall-sites.geojson');

const aurnDefaults = {
  area: 'london',
  owner: 'Defra',
  licence: 'OGL-UK-3.0',
  attribution:
    '© Crown copyright 2021 Defra via uk-air.defra.gov.uk, licenced under the Open Government Licence',
  observedProperties: ['no2', 'pm10', 'pm25'],
  accuracyM: 10,
  locationMethod: 'AURN site metadata (openair)',
};

describe('sensor lists', () => {
  it('imports the real AURN site list (CSV) with defaults for what it does not say', async () => {
    const text = readFileSync(AURN, 'utf8');
    expect(sensorListFormatFor(text, 'london-aurn-sites.csv').name).toBe('sensor-list-csv');
    const defs = await parseSensorList(text, { fileName: 'london-aurn-sites.csv', defaults: aurnDefaults });
    expect(defs.map((d) => d.id)).toEqual([
      'london-bloomsbury',
      'london-cromwell-road-2',
      'MY1',
      'london-n-kensington',
    ]);
    const my1 = defs[2];
    expect(my1).toMatchObject({
      name: 'London Marylebone Road',
      area: 'london',
      location: { lon: -0.154611, lat: 51.52253, accuracyM: 10 },
      properties: { site_type: 'Urban Traffic' },
      owner: 'Defra',
    });
    expect(my1.datastreams.map((d) => [d.property, d.unit])).toEqual([
      ['no2', 'ug/m3'],
      ['pm10', 'ug/m3'],
      ['pm25', 'ug/m3'],
    ]);
  });

  it('imports the Leeds footfall sites (GeoJSON), keeping the stated accuracy, method and threshold', async () => {
    const text = readFileSync(LEEDS, 'utf8');
    expect(sensorListFormatFor(text, 'x').name).toBe('sensor-list-geojson');
    const defs = await parseSensorList(text, { fileName: 'leeds-footfall-sites.geojson' });
    expect(defs).toHaveLength(8);
    const briggate = defs.find((d) => d.id === 'leeds-briggate');
    expect(briggate).toMatchObject({
      area: 'leeds',
      licence: 'OGL-UK-3.0',
      location: { accuracyM: 150, method: expect.stringContaining('not surveyed') },
      properties: { sourceName: 'Briggate' },
      datastreams: [
        { property: 'footfall', unit: '{count}/h', thresholds: [{ level: 'warning', above: 8000 }] },
      ],
    });
  });

  // Constructed: edge cases the real lists do not have.
  it.each([
    [
      'wrong-unit',
      'id,name,lat,lon,accuracy_m,observed_property,unit,owner,licence\na,A,51,0,5,no2,ppb,o,l\n',
    ],
    ['invalid-location', 'id,name,lat,lon,accuracy_m,observed_property,owner,licence\na,A,151,0,5,no2,o,l\n'],
    ['invalid-number', 'id,name,lat,lon,accuracy_m,observed_property,owner,licence\na,A,x,0,5,no2,o,l\n'],
    [
      'duplicate-sensor-id',
      'id,name,lat,lon,accuracy_m,observed_property,owner,licence\na,A,51,0,5,no2,o,l\na,B,51,0,5,no2,o,l\n',
    ],
    ['missing-field', 'id,name,lat,lon,accuracy_m,observed_property,licence\na,A,51,0,5,no2,l\n'],
    [
      'invalid-geometry',
      '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"LineString","coordinates":[]},"properties":{}}]}',
    ],
  ])('rejects a list with %s', async (type, text) => {
    const p = parseSensorList(text, { fileName: 'list' });
    await expect(p).rejects.toBeInstanceOf(DataError);
    await expect(p).rejects.toMatchObject({ type, file: 'list' });
  });
});
