import { DataError } from '@placetwin/geo';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TOP, parseQueryOptions, parseResourcePath, parseTimeFilter } from './request';

describe('SensorThings resource paths', () => {
  it('reads collections, entities and navigation (to one entity or to a collection)', () => {
    expect(parseResourcePath('Things')).toEqual({ set: 'Things', id: undefined, single: false });
    expect(parseResourcePath('Things(7)')).toEqual({ set: 'Things', id: 7, single: true });
    expect(parseResourcePath('Things(7)/Datastreams')).toEqual({
      set: 'Datastreams',
      via: { set: 'Things', id: 7 },
      single: false,
    });
    expect(parseResourcePath('Datastreams(3)/Thing')).toEqual({
      set: 'Things',
      via: { set: 'Datastreams', id: 3 },
      single: true,
    });
    expect(parseResourcePath('Observations(9)/Datastream/')).toMatchObject({
      set: 'Datastreams',
      single: true,
    });
  });

  it.each([
    'Sensors',
    'Things(x)',
    'Things/Datastreams',
    'Things(1)/Observations',
    'Things(1)/Datastreams(2)/Observations',
    '',
  ])('refuses %j', (path) => {
    expect(() => parseResourcePath(path)).toThrow(DataError);
  });
});

describe('SensorThings query options', () => {
  const things = parseResourcePath('Things');
  const observations = parseResourcePath('Observations');

  it('has defaults and reads $top, $skip, $count, $orderby and $expand', () => {
    expect(parseQueryOptions({}, things)).toMatchObject({
      top: DEFAULT_TOP,
      skip: 0,
      count: false,
      orderBy: [],
      phenomenonTime: [],
      expandDatastreams: false,
    });
    expect(
      parseQueryOptions(
        { $top: '5', $skip: '10', $count: 'true', $orderby: 'name desc, @iot.id', $expand: 'Datastreams' },
        things,
      ),
    ).toMatchObject({
      top: 5,
      skip: 10,
      count: true,
      orderBy: [
        { property: 'name', desc: true },
        { property: 'id', desc: false },
      ],
      expandDatastreams: true,
    });
  });

  it('reads time filters joined by and, with offsets and in parentheses', () => {
    expect(
      parseTimeFilter(
        'phenomenonTime ge 2015-01-01T00:00:00Z and (phenomenonTime lt 2015-01-01T13:00:00+01:00)',
      ),
    ).toEqual([
      { op: 'ge', ms: Date.UTC(2015, 0, 1) },
      { op: 'lt', ms: Date.UTC(2015, 0, 1, 12) },
    ]);
  });

  it.each([
    [{ $select: 'name' }, 'sta-unsupported'],
    [{ $top: '10001' }, 'sta-bad-request'],
    [{ $top: 'ten' }, 'sta-bad-request'],
    [{ $count: 'yes' }, 'sta-bad-request'],
    [
      { $filter: 'phenomenonTime ge 2015-01-01T00:00:00Z or phenomenonTime lt 2014-01-01T00:00:00Z' },
      'sta-unsupported',
    ],
    [{ $filter: 'phenomenonTime gte 2015-01-01T00:00:00Z' }, 'sta-unsupported'],
    [{ $filter: 'phenomenonTime ge 2015-01-01' }, 'sta-bad-request'],
    [{ $expand: 'Datastreams' }, 'sta-unsupported'],
    [{ $orderby: 'phenomenonTime sideways' }, 'sta-bad-request'],
  ])('refuses %j', (query, type) => {
    expect(() => parseQueryOptions(query, observations)).toThrow(expect.objectContaining({ type }));
  });
});
