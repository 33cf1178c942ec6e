import { join } from 'node:path';
import { repoRoot } from '@placetwin/cli';
import { DataError } from '@placetwin/geo';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

const cwd = '/srv/placetwin';

describe('loadConfig', () => {
  it('defaults to 127.0.0.1:8080, ./.placetwin, ./tilesets and the built viewer', () => {
    expect(loadConfig({}, cwd)).toEqual({
      port: 8080,
      host: '127.0.0.1',
      logLevel: 'info',
      databaseUrl: undefined,
      dataDir: '/srv/placetwin/.placetwin',
      tilesetsDir: '/srv/placetwin/tilesets',
      viewerDir: join(repoRoot, 'apps/viewer/dist'),
      sampleDataDir: join(repoRoot, '../shared/data'),
      rateLimitPerMinute: 6000,
      sensorClockSkewMs: 300_000,
      secureCookies: true,
      councilName: undefined,
      mqtt: undefined,
      adminToken: undefined,
      // The retention job every 6 hours (README, Privacy).
      retentionEveryMs: 6 * 3600_000,
      redisPrefix: 'placetwin-rate-limit:',
    });
  });

  it('turns the retention job off with PLACETWIN_RETENTION_HOURS=0 and refuses a negative period', () => {
    expect(loadConfig({ PLACETWIN_RETENTION_HOURS: '0' }, cwd).retentionEveryMs).toBe(0);
    expect(loadConfig({ PLACETWIN_RETENTION_HOURS: '24' }, cwd).retentionEveryMs).toBe(86_400_000);
    expect(() => loadConfig({ PLACETWIN_RETENTION_HOURS: '-1' }, cwd)).toThrow(/PLACETWIN_RETENTION_HOURS/);
  });

  it('reads the environment, with numbers converted and paths resolved against the working directory', () => {
    const config = loadConfig(
      {
        PORT: '9090',
        HOST: '0.0.0.0',
        LOG_LEVEL: 'debug',
        DATABASE_URL: 'postgres://twin@db:5432/placetwin',
        PLACETWIN_DATA_DIR: 'var',
        PLACETWIN_VIEWER_DIR: 'viewer-build',
        PLACETWIN_RATE_LIMIT: '100',
      },
      cwd,
    );
    expect(config).toMatchObject({
      port: 9090,
      host: '0.0.0.0',
      logLevel: 'debug',
      databaseUrl: 'postgres://twin@db:5432/placetwin',
      dataDir: '/srv/placetwin/var',
      tilesetsDir: '/srv/placetwin/var/tilesets',
      viewerDir: '/srv/placetwin/viewer-build',
      rateLimitPerMinute: 100,
    });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', HOST: ' ', LOG_LEVEL: '' }, cwd)).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
    });
  });

  it('rejects bad values with one DataError naming every one of them', () => {
    let error: unknown;
    try {
      loadConfig(
        { PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x', PLACETWIN_RATE_LIMIT: '0' },
        cwd,
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataError);
    const { type, message } = error as DataError;
    expect(type).toBe('invalid-config');
    for (const name of ['PORT', 'LOG_LEVEL', 'DATABASE_URL', 'PLACETWIN_RATE_LIMIT'])
      expect(message).toContain(name);
    expect(() => loadConfig({ PORT: '70000' }, cwd)).toThrow(/PORT/);
  });

  it('starts no MQTT ingester unless MQTT_URL is set, and checks the sensor settings', () => {
    expect(loadConfig({}, cwd).mqtt).toBeUndefined();
    const config = loadConfig(
      {
        MQTT_URL: 'mqtt://broker.council.local:1883',
        MQTT_CLIENT_ID: 'twin-1',
        PLACETWIN_ADMIN_TOKEN: 'a-long-enough-token',
        SENSOR_CLOCK_SKEW_S: '60',
      },
      cwd,
    );
    expect(config).toMatchObject({
      mqtt: { url: 'mqtt://broker.council.local:1883', clientId: 'twin-1' },
      adminToken: 'a-long-enough-token',
      sensorClockSkewMs: 60_000,
    });
    expect(() => loadConfig({ MQTT_URL: 'http://broker' }, cwd)).toThrow(/MQTT_URL/);
    expect(() => loadConfig({ PLACETWIN_ADMIN_TOKEN: 'short' }, cwd)).toThrow(/PLACETWIN_ADMIN_TOKEN/);
  });
});

describe('loadConfig: scale-out', () => {
  it('reads REDIS_URL and its key prefix, and rejects a URL that is not redis://', () => {
    expect(
      loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', PLACETWIN_REDIS_PREFIX: 'twin-a:' }, cwd),
    ).toMatchObject({ redisUrl: 'redis://127.0.0.1:6379', redisPrefix: 'twin-a:' });
    expect(() => loadConfig({ REDIS_URL: 'http://127.0.0.1:6379' }, cwd)).toThrow(/REDIS_URL/);
  });
});
