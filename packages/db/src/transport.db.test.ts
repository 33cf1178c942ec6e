import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildTimetable,
  compileSchedule,
  earliestArrivals,
  GtfsDataError,
  type GtfsFiles,
  gtfsFilesFromZip,
  parseGtfs,
  straightLineWalking,
  tripsOnDay,
} from '@placetwin/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from './db';
import { openTestDb } from './testing';
import {
  deleteGtfsFeed,
  getGtfsFeed,
  gtfsRoutesGeoJson,
  gtfsStopsGeoJson,
  importGtfs,
  listGtfsFeeds,
  loadGtfsFeed,
} from './transport';

const here = dirname(fileURLToPath(import.meta.url));
const sampleData = process.env.PLACETWIN_SAMPLE_DATA ?? resolve(here, '../../../../shared/data');
const NEWPORT = 'newport-wales-bods-20230613-gtfs.zip';
const newport = (): GtfsFiles =>
  gtfsFilesFromZip(new Uint8Array(readFileSync(join(sampleData, 'transport/gtfs', NEWPORT))), NEWPORT);

/** A constructed fixture of @placetwin/transport (packages/transport/fixtures/<name>, see its README). */
function fixture(name: string): GtfsFiles {
  const dir = resolve(here, '../../transport/fixtures', name);
  const files = new Map<string, Uint8Array>();
  for (const f of readdirSync(dir)) if (f.endsWith('.txt')) files.set(f, readFileSync(join(dir, f)));
  return { source: name, files };
}

function withFile(feed: GtfsFiles, file: string, text: string | null): GtfsFiles {
  const files = new Map(feed.files);
  if (text === null) files.delete(file);
  else files.set(file, new TextEncoder().encode(text));
  return { source: feed.source, files };
}

const text = (feed: GtfsFiles, file: string) => new TextDecoder().decode(feed.files.get(file));

let db: Db;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ db, drop } = await openTestDb());
});
afterAll(async () => drop());

const count = async (table: string) =>
  (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
const TABLES = [
  'gtfs_feeds',
  'gtfs_agencies',
  'gtfs_stops',
  'gtfs_routes',
  'gtfs_calendar',
  'gtfs_calendar_dates',
  'gtfs_shapes',
  'gtfs_trips',
  'gtfs_stop_times',
  'gtfs_frequencies',
];
const snapshot = async () =>
  Object.fromEntries(await Promise.all(TABLES.map(async (t) => [t, await count(t)])));

describe('GTFS import into PostGIS', () => {
  it('imports the real Newport feed with its counts, stops and route lines', async () => {
    const counts = await importGtfs(db, 'newport', newport(), {
      licence: 'OGL-UK-3.0',
      attribution: 'Source: Bus Open Data Service (Department for Transport), © Crown copyright',
    });
    expect(counts).toMatchObject({
      agencies: 4,
      stops: 2686,
      routes: 16,
      trips: 176,
      stopTimes: 7765,
      shapes: counts.shapes,
      services: 22,
      calendarDates: 0,
      frequencies: 0,
    });
    const summary = (await getGtfsFeed(db, 'newport'))!;
    expect(summary).toMatchObject({
      name: 'newport',
      source: NEWPORT,
      licence: 'OGL-UK-3.0',
      timeZone: 'Europe/London',
      startDate: '2023-06-05',
      endDate: '2024-03-01',
      routes: 16,
      trips: 176,
      stops: 2686,
    });
    expect(summary.agencies).toContain('Newport Bus');
    // The envelope of the 655 stops trips call at: Newport, and the far ends of the Megabus coach routes.
    const [w, s, e, n] = summary.bbox!;
    expect(w).toBeLessThan(-2.9977);
    expect(e).toBeGreaterThan(-0.2); // London
    expect(s).toBeLessThan(51.5886);
    expect(n).toBeGreaterThan(51.5886);

    const used = await gtfsStopsGeoJson(db, 'newport', { usedOnly: true });
    expect(used.features).toHaveLength(655);
    const centre = await gtfsStopsGeoJson(db, 'newport', { bbox: [-3.01, 51.58, -2.98, 51.6] });
    expect(centre.features.length).toBeGreaterThan(10);
    expect(centre.features.length).toBeLessThan(655);

    const routes = (await gtfsRoutesGeoJson(db, 'newport')).features as unknown as {
      geometry: { type: string; coordinates: number[][][] };
      properties: { shortName: string; trips: number };
    }[];
    expect(routes).toHaveLength(16);
    for (const r of routes) {
      expect(r.geometry.type).toBe('MultiLineString');
      expect(r.geometry.coordinates.length).toBeGreaterThan(0);
    }
    expect(routes.reduce((sum, r) => sum + r.properties.trips, 0)).toBe(176);
  });

  it('reads a feed back so that routing gives the same answers as the parsed files', async () => {
    await importGtfs(db, 'router-network', fixture('router-network'));
    await importGtfs(db, 'edge-feed', fixture('edge-feed'));
    for (const [name, files, date, from, dep] of [
      ['newport', newport(), '2023-06-14', { lon: -2.9977, lat: 51.5886 }, 8 * 3600],
      ['router-network', fixture('router-network'), '2024-05-15', { lon: -3.1, lat: 51.4982 }, 8 * 3600],
      ['edge-feed', fixture('edge-feed'), '2024-01-09', { lon: -3, lat: 51.59 }, 0],
    ] as const) {
      const loaded = (await loadGtfsFeed(db, name))!;
      const parsed = parseGtfs(files);
      expect(loaded.stopTimes).toHaveLength(parsed.stopTimes.length);
      expect(loaded.frequencies).toEqual(parsed.frequencies);
      const arrivals = (feed: typeof parsed) => {
        const schedule = compileSchedule(feed);
        const tt = buildTimetable(schedule, tripsOnDay(schedule, date));
        const a = earliestArrivals(tt, straightLineWalking(schedule.stopLonLat), from, dep).arrivalS;
        return Object.fromEntries(
          schedule.stopIds.map((id, i) => [id, a[i]]).filter(([, t]) => Number.isFinite(t)),
        );
      };
      const fromDb = arrivals(loaded);
      expect(Object.keys(fromDb).length).toBeGreaterThan(3);
      expect(fromDb).toEqual(arrivals(parsed));
    }
    expect((await listGtfsFeeds(db)).map((f) => f.name)).toEqual(['edge-feed', 'newport', 'router-network']);
  });

  it('re-importing a name replaces the feed', async () => {
    const before = await snapshot();
    await importGtfs(db, 'edge-feed', fixture('edge-feed'));
    expect(await snapshot()).toEqual(before);
  });

  it('rejects malformed GTFS naming the file and line, and writes nothing', async () => {
    const before = await snapshot();
    const edge = fixture('edge-feed');
    const lines = text(edge, 'stop_times.txt').trimEnd().split('\n');
    const badTime = withFile(
      edge,
      'stop_times.txt',
      [...lines.slice(0, 2), 'W0800,08:10:00,8:11,B,2,1.11195', ...lines.slice(3)].join('\n'),
    );
    const orphan = withFile(edge, 'stop_times.txt', `${lines.join('\n')}\nGHOST,09:00:00,09:00:00,A,1,\n`);
    const cases: [GtfsFiles, string, string, number | null][] = [
      [withFile(edge, 'trips.txt', null), 'missing-file', 'trips.txt', null],
      [badTime, 'bad-time', 'stop_times.txt', 3],
      [orphan, 'orphan-stop-time', 'stop_times.txt', lines.length + 1],
    ];
    for (const [files, type, file, line] of cases)
      for (const name of ['edge-feed', 'brand-new']) {
        const e = await importGtfs(db, name, files).catch((x: unknown) => x);
        expect(e).toBeInstanceOf(GtfsDataError);
        expect([(e as GtfsDataError).type, (e as GtfsDataError).gtfsFile, (e as GtfsDataError).line]).toEqual(
          [type, file, line],
        );
        expect((e as Error).message).toContain(`edge-feed/${file}`);
      }
    expect(await snapshot()).toEqual(before);
    expect(await getGtfsFeed(db, 'brand-new')).toBeNull();
  });

  it('rolls back a failure after rows were written, keeping the earlier import', async () => {
    const before = await snapshot();
    const tables: string[] = [];
    const failing = importGtfs(db, 'newport', newport(), {
      onProgress: ({ table }) => {
        tables.push(table);
        if (table === 'stop_times') throw new Error('disk full (simulated)');
      },
    });
    await expect(failing).rejects.toThrow('disk full (simulated)');
    expect(tables).toContain('trips'); // rows had been written before the failure
    expect(await snapshot()).toEqual(before);
    expect((await getGtfsFeed(db, 'newport'))!.trips).toBe(176);
  });

  it('deletes a feed with all its rows', async () => {
    expect(await deleteGtfsFeed(db, 'edge-feed')).toBe(true);
    expect(await deleteGtfsFeed(db, 'edge-feed')).toBe(false);
    expect(
      (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM gtfs_trips WHERE trip_id = 'NIGHT'"))
        .rows[0].n,
    ).toBe(0);
  });

  it('refuses a feed name that is not a slug', async () => {
    await expect(importGtfs(db, 'Newport Buses', fixture('edge-feed'))).rejects.toThrow(/lower-case letters/);
  });
});
