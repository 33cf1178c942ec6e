import { describe, expect, it } from 'vitest';
import { backoffDelayMs, CachedSensorDirectory, IngestCounters, type LiveEvent, LiveFeed } from './ingest';
import type { SensorTarget } from './model';
import { observationTopic, observationTopicFilter, parseObservationTopic } from './topics';

const target: SensorTarget = { sensorId: 'leeds-briggate', area: 'leeds', datastreams: [] };

describe('topics', () => {
  it('builds and parses the documented scheme, and refuses other topics', () => {
    const topic = observationTopic('leeds', 'leeds-briggate');
    expect(topic).toBe('placetwin/leeds/sensors/leeds-briggate/observations');
    expect(parseObservationTopic(topic)).toEqual({ area: 'leeds', sensorId: 'leeds-briggate' });
    expect(observationTopicFilter()).toBe('placetwin/+/sensors/+/observations');
    expect(
      parseObservationTopic('council/x/y/placetwin/leeds/sensors/a/observations', 'council/x/y/placetwin'),
    ).toEqual({
      area: 'leeds',
      sensorId: 'a',
    });
    for (const bad of [
      'placetwin/leeds/sensors/a',
      'placetwin/leeds/sensor/a/observations',
      'other/leeds/sensors/a/observations',
      'placetwin//sensors/a/observations',
      'placetwin/leeds/sensors/a/observations/extra',
    ])
      expect(parseObservationTopic(bad)).toBeNull();
  });
});

describe('CachedSensorDirectory', () => {
  it('caches found sensors for ttl and unknown ones for the shorter negative ttl; one query per burst', async () => {
    let now = 0;
    const calls: string[] = [];
    const dir = new CachedSensorDirectory(
      async (id) => {
        calls.push(id);
        return id === 'leeds-briggate' ? target : null;
      },
      { ttlMs: 1000, negativeTtlMs: 100, now: () => now },
    );
    await Promise.all([dir.lookup('leeds-briggate'), dir.lookup('leeds-briggate'), dir.lookup('nope')]);
    expect(calls).toEqual(['leeds-briggate', 'nope']);
    now = 500;
    expect(await dir.lookup('leeds-briggate')).toBe(target);
    expect(await dir.lookup('nope')).toBeNull();
    expect(calls).toEqual(['leeds-briggate', 'nope', 'nope']);
    now = 1600;
    await dir.lookup('leeds-briggate');
    dir.invalidate('leeds-briggate');
    await dir.lookup('leeds-briggate');
    expect(calls.filter((c) => c === 'leeds-briggate')).toHaveLength(3);
  });

  it('does not cache a failed lookup', async () => {
    let fail = true;
    const dir = new CachedSensorDirectory(async () => {
      if (fail) throw new Error('database down');
      return target;
    });
    await expect(dir.lookup('x')).rejects.toThrow('database down');
    fail = false;
    expect(await dir.lookup('x')).toBe(target);
  });
});

describe('backoff', () => {
  it('doubles from initialMs to maxMs with half of each wait random', () => {
    const o = { initialMs: 500, maxMs: 30_000 };
    expect(backoffDelayMs(0, o, () => 0)).toBe(250);
    expect(backoffDelayMs(0, o, () => 1)).toBe(500);
    expect(backoffDelayMs(3, o, () => 1)).toBe(4000);
    expect(backoffDelayMs(20, o, () => 0)).toBe(15_000);
    expect(backoffDelayMs(1000, o, () => 1)).toBe(30_000);
  });
});

describe('LiveFeed and counters', () => {
  it('publishes stored readings and alerts, dropping a listener that throws', () => {
    const feed = new LiveFeed();
    const got: LiveEvent[] = [];
    feed.subscribe((e) => got.push(e));
    feed.subscribe(() => {
      throw new Error('broken client');
    });
    expect(feed.size).toBe(2);
    feed.publishStored({
      inserted: [
        {
          sensorId: 'MY1',
          property: 'no2',
          observation: { datastreamId: 3, phenomenonTimeMs: Date.UTC(2015, 0, 1), value: 250, quality: null },
        },
      ],
      duplicates: 0,
      orphaned: 0,
      alerts: [
        {
          kind: 'raised',
          datastreamId: 3,
          level: 'warning',
          threshold: { level: 'warning', above: 200 },
          value: 250,
          timeMs: Date.UTC(2015, 0, 1),
        },
      ],
    });
    expect(feed.size).toBe(1);
    expect(got).toEqual([
      {
        type: 'observation',
        sensorId: 'MY1',
        property: 'no2',
        datastreamId: 3,
        time: '2015-01-01T00:00:00.000Z',
        value: 250,
        quality: null,
      },
      {
        type: 'alert',
        sensorId: 'MY1',
        property: 'no2',
        datastreamId: 3,
        kind: 'raised',
        level: 'warning',
        value: 250,
        time: '2015-01-01T00:00:00.000Z',
      },
    ]);
  });

  it("gives each event its stored reading's area (the live stream sends an area only its own)", () => {
    const feed = new LiveFeed();
    const got: LiveEvent[] = [];
    feed.subscribe((e) => got.push(e));
    const reading = (sensorId: string, areaId: string, datastreamId: number) => ({
      sensorId,
      areaId,
      property: 'footfall',
      observation: { datastreamId, phenomenonTimeMs: Date.UTC(2009, 0, 1), value: 700, quality: null },
    });
    feed.publishStored({
      inserted: [reading('leeds-briggate', 'leeds', 1), reading('oakham-high-st', 'default', 2)],
      duplicates: 0,
      orphaned: 0,
      alerts: [
        {
          kind: 'raised',
          datastreamId: 1,
          level: 'warning',
          threshold: { level: 'warning', above: 500 },
          value: 700,
          timeMs: Date.UTC(2009, 0, 1),
        },
      ],
    });
    expect(got.map((e) => [e.type, e.sensorId, e.areaId])).toEqual([
      ['observation', 'leeds-briggate', 'leeds'],
      ['observation', 'oakham-high-st', 'default'],
      ['alert', 'leeds-briggate', 'leeds'],
    ]);
  });

  it('counts rejections by reason', () => {
    const c = new IngestCounters();
    c.reject('bad-json');
    c.reject('wrong-unit', 3);
    expect(c.rejectedTotal).toBe(4);
    expect(c.snapshot().rejected).toMatchObject({ 'bad-json': 1, 'wrong-unit': 3, 'not-a-number': 0 });
  });
});
