import type { ConsultationFacts } from '@placetwin/db';
import { describe, expect, it } from 'vitest';
import { describeChanges, factRows, formatHectares, paragraphs, ukDate, ukDateTime, ukTime } from './format';

describe('UK dates and times, GOV.UK style', () => {
  it('writes dates without ordinals and times with am/pm, in UK time across the clock change', () => {
    // 29 March 2026 01:00 UTC is when British Summer Time starts.
    expect(ukDateTime('2026-03-28T23:59:00Z')).toBe('11:59pm on 28 March 2026');
    expect(ukDateTime('2026-03-31T22:59:00Z')).toBe('11:59pm on 31 March 2026');
    expect(ukDate('2026-06-30T23:30:00Z')).toBe('1 July 2026');
    expect(ukTime('2026-01-15T09:00:00Z')).toBe('9am');
    expect(ukTime('2026-07-15T11:00:00Z')).toBe('midday');
    expect(ukTime('2026-01-15T00:00:00Z')).toBe('midnight');
    expect(ukTime('2026-01-15T13:05:00Z')).toBe('1:05pm');
  });
});

describe('paragraphs', () => {
  it('splits on blank lines and joins wrapped lines', () => {
    expect(paragraphs('First line\nwrapped.\n\n\nSecond.\r\n')).toEqual(['First line wrapped.', 'Second.']);
    expect(paragraphs('   ')).toEqual([]);
  });
});

const facts = (over: Partial<ConsultationFacts> = {}): ConsultationFacts => ({
  scenarioId: 1,
  scenarioVersion: 3,
  buildingsAdded: 2,
  buildingsDemolished: 1,
  buildingsChanged: 0,
  studyArea: 'site',
  studyAreaM2: 6300,
  before: { homes: 0, jobs: 12.4, floorAreaM2: 890.2, maxHeightM: 7.5 },
  after: { homes: 38.2, jobs: 12.4, floorAreaM2: 4310.6, maxHeightM: 12.1 },
  ...over,
});

describe('factRows', () => {
  it('says what changes in plain English, with today’s figure beside each', () => {
    const rows = Object.fromEntries(factRows(facts()).map((r) => [r.key, r.value]));
    expect(rows).toEqual({
      'New buildings': '2 new buildings',
      'Buildings changed': 'None',
      'Buildings demolished': '1 building',
      'Homes (estimated)': 'about 38 homes, compared with 0 today',
      'Jobs (estimated)': 'about 12 jobs (no change)',
      'Floor space': '4,310 square metres, compared with 890 today',
      'Tallest building': '12 metres tall, compared with 8 metres today',
      'Area these figures cover': 'The site of the proposal (0.6 hectares)',
    });
  });

  it('covers the whole map when the scenario has no site', () => {
    const area = factRows(facts({ studyArea: 'dataset-extent', studyAreaM2: 4e8 })).at(-1);
    expect(area?.value).toBe('The whole area of the map');
  });

  it('writes hectares with one decimal below ten', () => {
    expect(formatHectares(10_000)).toBe('1.0 hectare');
    expect(formatHectares(123_456)).toBe('12 hectares');
  });
});

describe('describeChanges', () => {
  it('describes each change as a sentence a resident can read, using names people know', () => {
    const square = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [0, 0],
          [0.0001, 0],
          [0.0001, 0.0001],
          [0, 0],
        ],
      ],
    };
    const lines = describeChanges(
      [
        { op: 'demolish', id: 'rutland:w178280261' },
        { op: 'add', id: 'new/block-b', footprint: square, use: 'residential', storeys: 4 },
        { op: 'add', id: 'new/kiosk', footprint: square, use: 'unknown', heightM: 3, name: 'Station kiosk' },
        { op: 'modify', id: 'rutland:w178280140', storeys: 3, use: 'retail' },
        { op: 'set-attribute', id: 'new/block-b', key: 'homes', value: 40 },
      ],
      new Map([
        ['rutland:w178280261', 'Travis Perkins'],
        ['rutland:w178280140', null],
      ]),
    );
    expect(lines).toEqual([
      'Travis Perkins would be demolished.',
      'New building “block-b” would be built for homes (4 storeys).',
      'Station kiosk would be built (3 metres tall).',
      'Building w178280140 would be changed to 3 storeys, to be used for shops.',
    ]);
  });
});
