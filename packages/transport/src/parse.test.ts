import { DataError } from '@placetwin/geo';
import { describe, expect, it } from 'vitest';
import { GtfsDataError } from './errors';
import { parseGtfs } from './parse';
import { gtfsFilesFromZip } from './read';
import { fileText, fixtureFeed, newportFeedFiles, withFile } from './test-fixtures';
import { formatGtfsTime } from './time';

const edge = fixtureFeed('edge-feed');

/** Parses and returns the GtfsDataError thrown (fails the test if none is). */
function errorOf(files: ReturnType<typeof fixtureFeed>): GtfsDataError {
  try {
    parseGtfs(files);
  } catch (e) {
    expect(e).toBeInstanceOf(GtfsDataError);
    expect(e).toBeInstanceOf(DataError);
    return e as GtfsDataError;
  }
  throw new Error('expected a GtfsDataError');
}

/** The fixture file with one line replaced (1-based, header = 1) or appended. */
function editLine(file: string, line: number, text: string) {
  const lines = fileText(edge, file).trimEnd().split('\n');
  lines[line - 1] = text;
  return withFile(edge, file, `${lines.join('\n')}\n`);
}

describe('parseGtfs on the real Newport feed (BODS, 2023-06-13)', () => {
  const feed = parseGtfs(newportFeedFiles());

  it('reads every table with the counts in PROVENANCE.md', () => {
    expect(feed.timeZone).toBe('Europe/London');
    expect(feed.agencies).toHaveLength(4);
    expect(feed.routes).toHaveLength(16);
    expect(feed.trips).toHaveLength(176);
    expect(feed.stopTimes).toHaveLength(7765);
    expect(feed.stops).toHaveLength(2686);
    expect(new Set(feed.stopTimes.map((s) => s.stop_id)).size).toBe(655);
    expect(feed.calendar).toHaveLength(22);
    expect(feed.calendarDates).toHaveLength(0);
    expect(feed.shapes.reduce((n, s) => n + s.lonLat.length / 2, 0)).toBe(29_919);
    expect(feed.trips.filter((t) => t.shape_id).length).toBe(106);
    expect(feed.feedInfo?.feed_version).toBe('20230612_115702');
    expect(feed.warnings).toEqual([]);
  });

  it('keeps times past midnight as GTFS seconds (departures 02:40 to 31:30)', () => {
    const deps = feed.stopTimes.map((s) => s.departureS);
    expect(formatGtfsTime(Math.min(...deps))).toBe('02:40:00');
    expect(formatGtfsTime(Math.max(...deps))).toBe('31:30:00');
  });

  it('orders each trip by stop_sequence with non-decreasing times', () => {
    for (let i = 1; i < feed.stopTimes.length; i++) {
      const a = feed.stopTimes[i - 1];
      const b = feed.stopTimes[i];
      if (a.trip_id !== b.trip_id) continue;
      expect(b.stop_sequence).toBeGreaterThan(a.stop_sequence);
      expect(b.arrivalS).toBeGreaterThanOrEqual(a.departureS);
    }
  });
});

describe('parseGtfs on the constructed edge feed', () => {
  const feed = parseGtfs(edge);

  it('interpolates a blank stop time along shape_dist_traveled', () => {
    const c = feed.stopTimes.find((s) => s.trip_id === 'W0800' && s.stop_id === 'C')!;
    expect(c.timed).toBe(false);
    // B departs 08:11 at 1.11195 km, D arrives 08:31 at 3.33585 km; C at 2.2239 km is half-way: 08:21.
    expect(formatGtfsTime(c.arrivalS)).toBe('08:21:00');
    expect(c.departureS).toBe(c.arrivalS);
  });

  it('reads frequencies and shapes', () => {
    expect(feed.frequencies).toEqual([
      { trip_id: 'FREQ', startS: 7 * 3600, endS: 8 * 3600, headwayS: 1200, exactTimes: true },
    ]);
    expect(Array.from(feed.shapes[0].distTraveled!)).toEqual([0, 0.555975, 1.11195, 2.2239, 3.33585]);
  });
});

describe('malformed GTFS → GtfsDataError naming the file and line', () => {
  it('a missing required file', () => {
    const e = errorOf(withFile(edge, 'stop_times.txt', null));
    expect([e.type, e.gtfsFile, e.line]).toEqual(['missing-file', 'stop_times.txt', null]);
    expect(e.message).toBe('edge-feed/stop_times.txt: required file stop_times.txt is missing from the feed');
  });

  it('neither calendar.txt nor calendar_dates.txt', () => {
    const e = errorOf(withFile(withFile(edge, 'calendar.txt', null), 'calendar_dates.txt', null));
    expect(e.type).toBe('missing-file');
    expect(e.message).toMatch(/neither calendar\.txt nor calendar_dates\.txt/);
  });

  it('a missing required column (line 1)', () => {
    const e = errorOf(
      editLine('trips.txt', 1, 'route_id,service_id,trip_ident,trip_headsign,direction_id,shape_id'),
    );
    expect([e.type, e.gtfsFile, e.line]).toEqual(['missing-column', 'trips.txt', 1]);
    expect(e.message).toMatch(/required column trip_id/);
  });

  it('a bad time', () => {
    const e = errorOf(editLine('stop_times.txt', 3, 'W0800,08:70:00,08:11:00,B,2,1.11195'));
    expect([e.type, e.gtfsFile, e.line]).toEqual(['bad-time', 'stop_times.txt', 3]);
    expect(e.message).toBe(
      'edge-feed/stop_times.txt, line 3: arrival_time "08:70:00" is not a time HH:MM:SS',
    );
  });

  it('times going backwards along a trip', () => {
    const e = errorOf(editLine('stop_times.txt', 5, 'W0800,08:05:00,08:05:00,D,4,3.33585'));
    expect([e.type, e.gtfsFile, e.line, e.featureId]).toEqual(['bad-time', 'stop_times.txt', 5, 'W0800']);
  });

  it('a trip whose first stop has no time', () => {
    const e = errorOf(editLine('stop_times.txt', 2, 'W0800,,,A,1,0'));
    expect([e.type, e.line]).toEqual(['bad-time', 2]);
  });

  it('orphan stop_times: an unknown trip, or an unknown stop', () => {
    const trip = errorOf(editLine('stop_times.txt', 17, 'GHOST,09:00:00,09:00:00,A,1,'));
    expect([trip.type, trip.gtfsFile, trip.line]).toEqual(['orphan-stop-time', 'stop_times.txt', 17]);
    expect(trip.message).toMatch(/trip_id "GHOST" is not in trips\.txt/);
    const stop = errorOf(editLine('stop_times.txt', 4, 'W0800,,,Z,3,2.2239'));
    expect([stop.type, stop.line]).toEqual(['orphan-stop-time', 4]);
    expect(stop.message).toMatch(/stop_id "Z" is not in stops\.txt/);
  });

  it('references to undefined routes, services and shapes', () => {
    expect(errorOf(editLine('trips.txt', 2, 'R9,WEEKDAY,W0800,Delta,0,SH1')).message).toMatch(
      /trips\.txt, line 2, feature W0800: route_id "R9" is not in routes\.txt/,
    );
    expect(errorOf(editLine('trips.txt', 3, 'R1,SUNDAY,X1000,Delta,0,')).message).toMatch(
      /service_id "SUNDAY" is in neither/,
    );
    expect(errorOf(editLine('trips.txt', 2, 'R1,WEEKDAY,W0800,Delta,0,SH9')).type).toBe('unknown-reference');
  });

  it('duplicate ids, bad numbers and bad dates', () => {
    expect(errorOf(editLine('stops.txt', 3, 'A,Again,51.59,-3.0,0,')).type).toBe('duplicate-id');
    const lat = errorOf(editLine('stops.txt', 3, 'B,Bravo,95,-3.0,0,'));
    expect([lat.type, lat.gtfsFile, lat.line]).toEqual(['invalid-value', 'stops.txt', 3]);
    const date = errorOf(editLine('calendar.txt', 2, 'WEEKDAY,1,1,1,1,1,0,0,20240101,20241331'));
    expect([date.type, date.gtfsFile, date.line]).toEqual(['bad-date', 'calendar.txt', 2]);
    const exception = errorOf(editLine('calendar_dates.txt', 2, 'WEEKDAY,20241225,3'));
    expect([exception.type, exception.line]).toEqual(['invalid-value', 2]);
  });

  it('broken CSV (unclosed quote, wrong number of fields)', () => {
    const quote = errorOf(editLine('routes.txt', 3, 'N1,EDGE,"N1,Night bus,3,,'));
    expect([quote.type, quote.gtfsFile]).toEqual(['invalid-csv', 'routes.txt']);
    const fields = errorOf(editLine('routes.txt', 2, 'R1,EDGE,1,Alpha - Delta,3,FF0000,FFFFFF,extra'));
    expect([fields.type, fields.gtfsFile, fields.line]).toEqual(['invalid-csv', 'routes.txt', 2]);
  });

  it('bytes that are not a zip', () => {
    expect(() => gtfsFilesFromZip(new TextEncoder().encode('stop_id\nA\n'), 'feed.zip')).toThrow(
      /feed\.zip\/\(zip\): not a zip file/,
    );
  });
});
