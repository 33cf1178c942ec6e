import { readFileSync } from 'node:fs';
import { DataError } from '@placetwin/geo';
import { describe, expect, it } from 'vitest';
import { sample } from '../../../../test/support/paths';
import { assertCompleteSeries, sampleSeries } from '../series';
import { GB_INTENSITY, gbIntensity2023, LEEDS_WEATHER, leedsWeather2023 } from '../test-support';
import { carbonIntensityCsvImporter } from './carbon-intensity';
import { thermalRecordCsvImporter } from './thermal-record';
import { epwImporter, stationCsvImporter, weatherImporterFor } from './weather';

const fails = (fn: () => unknown, pattern: RegExp) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    expect((e as DataError).message).toMatch(pattern);
    return;
  }
  throw new Error('expected a DataError');
};

describe('weather-station CSV (real Leeds City Council 2019 file)', () => {
  const text = readFileSync(sample(LEEDS_WEATHER), 'utf8');

  it('reads 8,760 hour-ending GMT rows, blank night irradiance as 0', () => {
    expect(weatherImporterFor(text, LEEDS_WEATHER)).toBe(stationCsvImporter);
    const w = stationCsvImporter.parse(text, { fileName: LEEDS_WEATHER });
    expect(w.temperatureC.values).toHaveLength(8760);
    expect(new Date(w.temperatureC.startMs).toISOString()).toBe('2019-01-01T00:00:00.000Z');
    expect(w.temperatureC.values[0]).toBeCloseTo(9.63999, 5); // 01/01/2019 01:00, Temp 2m
    expect(w.meta.notes.join(' ')).toContain('3377 blank irradiance values');
    expect(Math.max(...w.ghiWm2.values)).toBe(1015);
    assertCompleteSeries(w.temperatureC, { name: 'temperature' });
  });

  it('names the line of a bad value or a skipped hour', () => {
    const lines = text.split('\n');
    const bad = [...lines];
    bad[5] = bad[5].replace(/^([^,]*,[^,]*,[^,]*,[^,]*,)[^,]*/, '$1warm');
    fails(() => stationCsvImporter.parse(bad.join('\n'), { fileName: 'bad.csv' }), /line 6: Temp 2m "warm"/);
    const gap = [...lines.slice(0, 4), ...lines.slice(5)];
    fails(
      () => stationCsvImporter.parse(gap.join('\n'), { fileName: 'gap.csv' }),
      /line 5: .* not one hour after/,
    );
    fails(() => stationCsvImporter.parse(lines[0], { fileName: 'empty.csv' }), /no rows/);
  });
});

// A constructed EPW snippet: the shared data has no EPW file (the Leeds weather is a station CSV). Header lines as
// EnergyPlus writes them; two days of hourly rows for a made-up station at UTC+0.
function epwSnippet(rows = 48, edit?: (fields: string[], i: number) => void): string {
  const header = [
    'LOCATION,Testville,ENG,GBR,Constructed,000000,53.80,-1.55,0.0,50.0',
    'DESIGN CONDITIONS,0',
    'TYPICAL/EXTREME PERIODS,0',
    'GROUND TEMPERATURES,0',
    'HOLIDAYS/DAYLIGHT SAVINGS,No,0,0,0',
    'COMMENTS 1,Constructed for the Placetwin importer test',
    'COMMENTS 2,',
    'DATA PERIODS,1,1,Data,Sunday, 1/ 1,1/ 2',
  ];
  const data: string[] = [];
  for (let i = 0; i < rows; i++) {
    const day = 1 + Math.floor(i / 24);
    const hour = (i % 24) + 1;
    const f = new Array(35).fill('0');
    Object.assign(f, { 0: '1999', 1: '1', 2: String(day), 3: String(hour), 4: '60', 5: 'A7A7' });
    f[6] = (2 + 0.5 * i).toFixed(1);
    f[13] = String(hour >= 9 && hour <= 16 ? 100 * (hour - 8) : 0);
    edit?.(f, i);
    data.push(f.join(','));
  }
  return [...header, ...data].join('\r\n');
}

describe('EPW importer (constructed snippet)', () => {
  it('reads hour-ending records, dry-bulb and global horizontal radiation, at the LOCATION offset', () => {
    const text = epwSnippet();
    expect(weatherImporterFor(text, 'x.epw')).toBe(epwImporter);
    const w = epwImporter.parse(text, { fileName: 'x.epw' });
    expect(new Date(w.temperatureC.startMs).toISOString()).toBe('1999-01-01T00:00:00.000Z');
    expect(w.temperatureC.values).toHaveLength(48);
    expect(w.temperatureC.values[3]).toBeCloseTo(3.5, 9);
    expect(w.ghiWm2.values[9]).toBe(200); // hour 10 (09:00–10:00)
    expect(w.meta).toMatchObject({ place: 'Testville, GBR', latDeg: 53.8, lonDeg: -1.55 });
    // The half-hour 09:30–10:00 takes the hour ending 10:00.
    expect(sampleSeries(w.ghiWm2, Date.UTC(1999, 0, 1, 9, 30), 1, 1_800_000, { name: 'g' })[0]).toBe(200);
  });

  it('rejects missing markers, gaps, short lines and sub-hourly files with the line named', () => {
    fails(
      () =>
        epwImporter.parse(
          epwSnippet(48, (f, i) => {
            if (i === 5) f[6] = '99.9';
          }),
          { fileName: 'm.epw' },
        ),
      /line 14: dry-bulb temperature is missing/,
    );
    fails(
      () =>
        epwImporter.parse(
          epwSnippet(48, (f, i) => {
            if (i === 7) f[3] = '9';
          }),
          { fileName: 'g.epw' },
        ),
      /line 16: .*does not follow/,
    );
    fails(
      () =>
        epwImporter.parse(epwSnippet(48).replace(/,0\r\n1999,1,1,3,/, '\r\n1999,1,1,3,'), {
          fileName: 's.epw',
        }),
      /fields/,
    );
    fails(
      () =>
        epwImporter.parse(epwSnippet(2).replace('DATA PERIODS,1,1,', 'DATA PERIODS,1,4,'), {
          fileName: 'q.epw',
        }),
      /only hourly/,
    );
    fails(() => weatherImporterFor('hello', 'x.txt'), /not a weather file/);
  });
});

describe('carbon intensity CSV', () => {
  const text = readFileSync(sample(GB_INTENSITY), 'utf8');

  it('reads the real NESO 2023 file: actual, forecast where actual is empty or zero, and the October gap', () => {
    const ci = carbonIntensityCsvImporter.parse(text, { fileName: GB_INTENSITY, allowGaps: true });
    expect(ci.meta.column).toBe('actual');
    expect(new Date(ci.intensity.startMs).toISOString()).toBe('2022-12-31T23:30:00.000Z');
    expect(ci.intensity.values).toHaveLength(17_430 + 91);
    expect(ci.intensity.values[0]).toBe(65);
    expect(ci.gaps).toEqual([
      { fromMs: Date.parse('2023-10-20T22:00Z'), toMs: Date.parse('2023-10-22T19:30Z'), steps: 91 },
    ]);
    expect(ci.meta.notes).toContain('10 periods with an empty or zero actual took the forecast');
    // The gap is an error as soon as a horizon needs it.
    fails(
      () =>
        sampleSeries(gbIntensity2023(), Date.parse('2023-10-21T00:00Z'), 48, 1_800_000, {
          name: 'carbon intensity',
        }),
      /carbon intensity: the value for 2023-10-21T00:00:00Z is missing \(a gap/,
    );
  });

  it('refuses gaps unless allowed, and reads the plain from,to,intensity layout', () => {
    fails(
      () => carbonIntensityCsvImporter.parse(text, { fileName: 'ci.csv' }),
      /91 periods missing in 1 gap/,
    );
    const plain =
      'from,to,intensity\n2023-01-01T00:30Z,2023-01-01T01:00Z,120\n2023-01-01T00:00Z,2023-01-01T00:30Z,110\n';
    const ci = carbonIntensityCsvImporter.parse(plain, { fileName: 'plain.csv' });
    expect(Array.from(ci.intensity.values)).toEqual([110, 120]);
  });

  it.each([
    ['', /empty/],
    ['from,to,intensity\n', /no rows/],
    ['from,to,intensity\n2023-01-01 00:00,2023-01-01 00:30,100', /no time zone/],
    ['from,to,intensity\n2023-01-01T00:00Z,2023-01-01T00:30Z,NaN', /"NaN" is not a number/],
    ['from,to,intensity\n2023-01-01T00:00Z,2023-01-01T00:30Z,', /intensity is empty/],
    [
      'from,to,intensity\n2023-01-01T00:00Z,2023-01-01T00:30Z,1\n2023-01-01T00:00Z,2023-01-01T00:30Z,2',
      /twice/,
    ],
    [
      'from,to,intensity\n2023-01-01T00:00Z,2023-01-01T00:30Z,1\n2023-01-01T01:00Z,2023-01-01T01:30Z,2',
      /gap/,
    ],
    ['from,to,co2\n2023-01-01T00:00Z,2023-01-01T00:30Z,1', /expected columns/],
  ])('rejects bad input %#', (csv, pattern) => {
    fails(() => carbonIntensityCsvImporter.parse(csv, { fileName: 'bad.csv' }), pattern);
  });
});

describe('measured building CSV', () => {
  it('reads the real Leprince et al. blg_1 file (15-minute steps, heating signal)', () => {
    const path = 'energy/building-thermal/nl-homes-15min/blg_1.csv';
    const t = thermalRecordCsvImporter.parse(readFileSync(sample(path), 'utf8'), { fileName: path });
    expect(t.record.stepS).toBe(900);
    expect(t.record.indoorC).toHaveLength(4181);
    expect(t.record.indoorC[0]).toBeCloseTo(18.955, 9);
    expect(t.record.ghiWm2[0]).toBeCloseTo(197.2222, 3); // Ps 0.1972 kW/m² → W/m²
    expect(t.heatingUnit).toBe('signal');
  });

  it('reads a BMS export in kW and rejects gaps and empty readings', () => {
    const bms =
      'time,indoor_c,outdoor_c,heating_kw\n2024-01-01T00:00Z,20,5,2\n2024-01-01T00:30Z,20.5,5,1.5\n2024-01-01T01:00Z,20.4,4,0\n';
    const t = thermalRecordCsvImporter.parse(bms, { fileName: 'bms.csv' });
    expect(t.record.stepS).toBe(1800);
    expect(Array.from(t.record.heating)).toEqual([2000, 1500, 0]);
    expect(t.heatingUnit).toBe('W');
    fails(
      () => thermalRecordCsvImporter.parse(bms.replace('T00:30Z', 'T00:45Z'), { fileName: 'g.csv' }),
      /line 4: .*gap/,
    );
    fails(
      () => thermalRecordCsvImporter.parse(bms.replace(',20.5,', ',,'), { fileName: 'e.csv' }),
      /line 3: indoor_c is empty/,
    );
    fails(
      () => thermalRecordCsvImporter.parse('time,outdoor_c\n', { fileName: 'c.csv' }),
      /no indoor temperature/,
    );
  });
});

describe('sampling the real series', () => {
  it('holds hourly weather over both half-hours and stops at the edge of the data', () => {
    const w = leedsWeather2023();
    const t = sampleSeries(w.temperatureC, Date.UTC(2023, 0, 18), 4, 1_800_000, { name: 't' });
    expect(t[0]).toBe(t[1]);
    expect(t[2]).toBe(t[3]);
    fails(
      () => sampleSeries(w.temperatureC, Date.UTC(2024, 0, 1), 1, 1_800_000, { name: 'outdoor temperature' }),
      /no value for 2024-01-01T00:00:00Z/,
    );
  });
});
