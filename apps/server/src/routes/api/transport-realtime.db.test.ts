import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Db, importGtfs, openTestDb } from '@placetwin/db';
import { decodeVehiclePositions, gtfsFilesFromZip } from '@placetwin/transport';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sample } from '../../../../../test/support/paths';
import { buildApp } from '../../app';
import { loadConfig } from '../../config';

// Real: Metro Transit route 2 (Minneapolis) GTFS and its recorded GTFS-Realtime VehiclePositions message
// (2019-05-01T19:51:52Z), served by a local HTTP server standing in for the operator's feed.

const DIR = sample('transport', 'gtfs-rt', 'minneapolis-metrotransit-route2-20190501');
const pb = readFileSync(join(DIR, 'vehicle_positions.pb'));
const recorded = decodeVehiclePositions(new Uint8Array(pb), 'vehicle_positions.pb');

let db: Db;
let drop: () => Promise<void>;
let root: string;
let app: FastifyInstance;
let feedServer: Server;
let requests = 0;
let answer: 'pb' | 'junk' = 'pb';

beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  root = await mkdtemp(join(tmpdir(), 'placetwin-gtfs-rt-'));
  await importGtfs(
    db,
    'minneapolis-route-2',
    gtfsFilesFromZip(new Uint8Array(readFileSync(join(DIR, 'gtfs.zip'))), 'gtfs.zip'),
  );
  feedServer = createServer((_req, res) => {
    requests++;
    res.writeHead(200, { 'content-type': 'application/x-protobuf' });
    res.end(answer === 'pb' ? pb : Buffer.from('not a protobuf message'));
  });
  await new Promise<void>((r) => feedServer.listen(0, '127.0.0.1', r));
  const { port } = feedServer.address() as AddressInfo;
  app = buildApp({
    db,
    tilesetsDir: join(root, 'tilesets'),
    dataDir: join(root, 'data'),
    gtfsRealtime: {
      url: `http://127.0.0.1:${port}/vehiclePositions`,
      feed: 'minneapolis-route-2',
      pollMs: 1000,
    },
  });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await new Promise((r) => feedServer?.close(r));
  await drop?.();
  if (root) await rm(root, { recursive: true, force: true });
});

const vehiclesAt = async (t: string) =>
  (await app.inject(`/api/transport/feeds/minneapolis-route-2/vehicles?t=${encodeURIComponent(t)}`)).json();

describe('GTFS-Realtime vehicle positions (recorded Metro Transit message over local HTTP)', () => {
  it('polls the configured URL and serves the observed positions near the message time, marked live', async () => {
    await expect
      .poll(async () => (await app.inject('/api/transport/realtime')).json().messageAt, { timeout: 20_000 })
      .toBe('2019-05-01T19:51:52.000Z');
    expect(requests).toBeGreaterThanOrEqual(1); // it really went over HTTP
    const status = (await app.inject('/api/transport/realtime')).json();
    expect(status).toMatchObject({
      configured: true,
      feed: 'minneapolis-route-2',
      vehicles: 11,
      lastError: null,
    });
    expect(status.host).toMatch(/^127\.0\.0\.1:\d+$/);

    const live = await vehiclesAt('2019-05-01T19:52:10Z');
    expect(live).toMatchObject({ source: 'live', liveAt: '2019-05-01T19:51:52.000Z', count: 11, stride: 3 });
    for (let i = 0; i < recorded.vehicles.length; i++) {
      const v = recorded.vehicles[i];
      expect(live.runIds[i]).toBe(`live:${v.vehicleId}`);
      expect(live.routeIds[i]).toBe(v.routeId);
      expect(live.positions[3 * i]).toBeCloseTo(v.lon, 5);
      expect(live.positions[3 * i + 1]).toBeCloseTo(v.lat, 5);
    }
  });

  it('keeps the timetable for other instants and for other feeds', async () => {
    const later = await vehiclesAt('2019-05-01T21:00:00Z');
    expect(later.source).toBe('scheduled');
    expect(later.liveAt).toBeNull();
    expect(later.count).toBeGreaterThan(0);
    expect(later.runIds.every((id: string) => !id.startsWith('live:'))).toBe(true);
    // Two minutes is the least window: 3 minutes after the message is the timetable again.
    expect((await vehiclesAt('2019-05-01T19:54:53Z')).source).toBe('scheduled');
  });

  it('records a message that does not decode and keeps serving the last good one', async () => {
    answer = 'junk';
    await expect
      .poll(async () => (await app.inject('/api/transport/realtime')).json().lastError, { timeout: 20_000 })
      .toMatch(/not a GTFS-Realtime FeedMessage/);
    const status = (await app.inject('/api/transport/realtime')).json();
    expect(status.vehicles).toBe(11);
    expect((await vehiclesAt('2019-05-01T19:52:10Z')).source).toBe('live');
    answer = 'pb';
  });
});

describe('GTFS-Realtime configuration', () => {
  it('is off by default and needs the feed name with the URL', () => {
    expect(loadConfig({}).gtfsRealtime).toBeUndefined();
    expect(() => loadConfig({ PLACETWIN_GTFS_RT_URL: 'http://127.0.0.1:9/vp' })).toThrow(
      /PLACETWIN_GTFS_RT_FEED/,
    );
    expect(
      loadConfig({
        PLACETWIN_GTFS_RT_URL: 'http://127.0.0.1:9/vp',
        PLACETWIN_GTFS_RT_FEED: 'newport',
        PLACETWIN_GTFS_RT_POLL_S: '15',
      }).gtfsRealtime,
    ).toEqual({ url: 'http://127.0.0.1:9/vp', feed: 'newport', pollMs: 15_000 });
    expect(() => loadConfig({ PLACETWIN_GTFS_RT_URL: 'ftp://x', PLACETWIN_GTFS_RT_FEED: 'a' })).toThrow(
      /GTFS_RT_URL/,
    );
  });
});
