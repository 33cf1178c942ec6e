import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import { DataError } from '@placetwin/geo';
import {
  type AcceptedReading,
  type AlertState,
  breachedThreshold,
  type DatastreamRule,
  evaluateAlerts,
  NO_ALERT,
  OBSERVED_PROPERTIES,
  observedProperty,
  type Quality,
  type SensorDefinition,
  type SensorTarget,
  type StoreResult,
  type Threshold,
  validateSensorDefinition,
} from '@placetwin/sensors';
import type { Db } from './db';

/* ---------------------------------------------------------------- registry */

export interface RegisterResult {
  created: string[];
  updated: string[];
  /** Device keys issued for newly created sensors (plain text: shown once, only their hash is stored). */
  keys: { sensorId: string; deviceKey: string }[];
}

async function upsertObservedProperties(tx: Db): Promise<Map<string, number>> {
  const r = await tx.query<{ id: number; key: string }>(
    `INSERT INTO observed_properties (key, name, definition, description)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
     ON CONFLICT (key) DO UPDATE SET name = excluded.name, definition = excluded.definition,
       description = excluded.description
     RETURNING id, key`,
    [
      OBSERVED_PROPERTIES.map((p) => p.key),
      OBSERVED_PROPERTIES.map((p) => p.name),
      OBSERVED_PROPERTIES.map((p) => p.definition),
      OBSERVED_PROPERTIES.map((p) => p.description),
    ],
  );
  return new Map(r.rows.map((x) => [x.key, x.id]));
}

/**
 * Registers sensors (upsert by sensor id) with their datastreams (upsert by sensor and property), all in one
 * transaction: a bad definition anywhere writes nothing. Datastreams a re-registration no longer lists are
 * kept, with their observations. Issues a device key for each new sensor when `issueKeys`.
 */
export async function registerSensors(
  db: Db,
  definitions: SensorDefinition[],
  options: {
    issueKeys?: boolean;
    file?: string;
    /** The council area the sensors belong to (default `default`); another area's sensor id is refused. */
    areaId?: string;
  } = {},
): Promise<RegisterResult> {
  const defs = definitions.map((d) => validateSensorDefinition(d, options.file));
  const areaId = options.areaId ?? 'default';
  return db.transaction(async (tx) => {
    const propertyIds = await upsertObservedProperties(tx);
    const result: RegisterResult = { created: [], updated: [], keys: [] };
    for (const d of defs) {
      const t = await tx.query<{ id: number; created: boolean }>(
        `INSERT INTO sensor_things AS t (sensor_id, area, name, description, properties, location, location_accuracy_m,
           location_method, owner, licence, attribution, area_id)
         VALUES ($1, $2, $3, $4, $5::jsonb, ST_SetSRID(ST_MakePoint($6, $7), 4326), $8, $9, $10, $11, $12, $13)
         ON CONFLICT (sensor_id) DO UPDATE SET area = excluded.area, name = excluded.name,
           description = excluded.description, properties = excluded.properties, location = excluded.location,
           location_accuracy_m = excluded.location_accuracy_m, location_method = excluded.location_method,
           owner = excluded.owner, licence = excluded.licence, attribution = excluded.attribution, updated_at = now()
         WHERE t.area_id = excluded.area_id
         RETURNING t.id, (t.xmax = 0) AS created`,
        [
          d.id,
          d.area,
          d.name,
          d.description,
          JSON.stringify(d.properties ?? {}),
          d.location.lon,
          d.location.lat,
          d.location.accuracyM,
          d.location.method,
          d.owner,
          d.licence,
          d.attribution ?? null,
          areaId,
        ],
      );
      if (!t.rows[0]) {
        throw new DataError('sensor-in-other-area', `sensor id "${d.id}" is taken (by another area)`, {
          file: options.file,
          featureId: d.id,
        });
      }
      const thingId = t.rows[0].id;
      for (const s of d.datastreams) {
        const p = observedProperty(s.property);
        await tx.query(
          `INSERT INTO datastreams (thing_id, observed_property_id, name, description, unit_name, unit_symbol,
             unit_definition, min_value, max_value, thresholds, owner, licence, area_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13)
           ON CONFLICT (thing_id, observed_property_id) DO UPDATE SET name = excluded.name,
             description = excluded.description, unit_name = excluded.unit_name, unit_symbol = excluded.unit_symbol,
             unit_definition = excluded.unit_definition, min_value = excluded.min_value,
             max_value = excluded.max_value, thresholds = excluded.thresholds, owner = excluded.owner,
             licence = excluded.licence`,
          [
            thingId,
            propertyIds.get(p.key),
            s.name ?? `${d.name}: ${p.name}`,
            s.description ?? p.description,
            p.unit.name,
            p.unit.symbol,
            p.unit.definition,
            s.minValue,
            s.maxValue,
            JSON.stringify(s.thresholds ?? []),
            s.owner ?? d.owner,
            s.licence ?? d.licence,
            areaId,
          ],
        );
      }
      if (t.rows[0].created) {
        result.created.push(d.id);
        if (options.issueKeys) result.keys.push({ sensorId: d.id, deviceKey: await issueKey(tx, thingId) });
      } else result.updated.push(d.id);
    }
    return result;
  });
}

/** What ingest needs about a sensor: its area and datastreams with units, ranges and thresholds. */
export async function loadSensorTarget(db: Db, sensorId: string): Promise<SensorTarget | null> {
  const r = await db.query<{
    area: string;
    datastreams: {
      id: number;
      property: string;
      unitSymbol: string;
      minValue: number;
      maxValue: number;
      thresholds: Threshold[];
    }[];
  }>(
    `SELECT t.area, json_agg(json_build_object('id', d.id, 'property', p.key, 'unitSymbol', d.unit_symbol,
       'minValue', d.min_value, 'maxValue', d.max_value, 'thresholds', d.thresholds) ORDER BY p.key) AS datastreams
     FROM sensor_things t JOIN datastreams d ON d.thing_id = t.id JOIN observed_properties p ON p.id = d.observed_property_id
     WHERE t.sensor_id = $1 GROUP BY t.id`,
    [sensorId],
  );
  const row = r.rows[0];
  if (!row) return null;
  return { sensorId, area: row.area, datastreams: row.datastreams.map((d): DatastreamRule => ({ ...d })) };
}

/* ------------------------------------------------------------- device keys */

/** scrypt (RFC 7914) cost: N = 2^14, r = 8, p = 1 (16 MiB, tens of ms); keys carry 256 random bits. */
const SCRYPT: ScryptOptions = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_RE = /^ptk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

const scryptHash = (secret: string, salt: Buffer) =>
  new Promise<Buffer>((resolve, reject) =>
    scrypt(secret, salt, 32, SCRYPT, (err, key) => (err ? reject(err) : resolve(key))),
  );

async function issueKey(tx: Db, thingId: number): Promise<string> {
  const keyId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const salt = randomBytes(16);
  const hash = await scryptHash(secret, salt);
  const stored = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
  await tx.query('INSERT INTO device_keys (thing_id, key_id, key_hash) VALUES ($1, $2, $3)', [
    thingId,
    keyId,
    stored,
  ]);
  return `ptk_${keyId}_${secret}`;
}

/**
 * Issues a new device key for a sensor (returned once, in plain text; only its scrypt hash is stored),
 * revoking its earlier keys when `revokeOthers`. Null when there is no such sensor.
 */
export async function createDeviceKey(
  db: Db,
  sensorId: string,
  options: { revokeOthers?: boolean } = {},
): Promise<string | null> {
  return db.transaction(async (tx) => {
    const t = await tx.query<{ id: number }>('SELECT id FROM sensor_things WHERE sensor_id = $1', [sensorId]);
    if (!t.rows[0]) return null;
    if (options.revokeOthers) {
      await tx.query('UPDATE device_keys SET revoked_at = now() WHERE thing_id = $1 AND revoked_at IS NULL', [
        t.rows[0].id,
      ]);
    }
    return issueKey(tx, t.rows[0].id);
  });
}

/** Revokes every key of a sensor; returns how many were live. */
export async function revokeDeviceKeys(db: Db, sensorId: string): Promise<number> {
  const r = await db.query<{ n: number }>(
    `WITH r AS (UPDATE device_keys k SET revoked_at = now() FROM sensor_things t
       WHERE k.thing_id = t.id AND t.sensor_id = $1 AND k.revoked_at IS NULL RETURNING 1)
     SELECT count(*)::int AS n FROM r`,
    [sensorId],
  );
  return r.rows[0].n;
}

/** The sensor a device key belongs to, or null when the key is malformed, unknown, revoked or wrong. */
export async function verifyDeviceKey(db: Db, key: string): Promise<{ sensorId: string } | null> {
  const m = KEY_RE.exec(key);
  if (!m) return null;
  const r = await db.query<{ sensorId: string; keyHash: string }>(
    `SELECT t.sensor_id AS "sensorId", k.key_hash AS "keyHash" FROM device_keys k
     JOIN sensor_things t ON t.id = k.thing_id WHERE k.key_id = $1 AND k.revoked_at IS NULL`,
    [m[1]],
  );
  const row = r.rows[0];
  if (!row) return null;
  const [scheme, n, rr, p, salt, hash] = row.keyHash.split('$');
  if (scheme !== 'scrypt') return null;
  const expected = Buffer.from(hash, 'base64');
  const got = await new Promise<Buffer>((resolve, reject) =>
    scrypt(
      m[2],
      Buffer.from(salt, 'base64'),
      expected.length,
      { N: Number(n), r: Number(rr), p: Number(p), maxmem: SCRYPT.maxmem },
      (err, k) => (err ? reject(err) : resolve(k)),
    ),
  );
  return timingSafeEqual(got, expected) ? { sensorId: row.sensorId } : null;
}

/* -------------------------------------------------------------- observations */

const EPOCH_MS = (col: string) => `(extract(epoch FROM ${col}) * 1000)::float8`;
const INSERT_OBSERVATIONS = `
  INSERT INTO observations (datastream_id, area_id, phenomenon_time, result, quality)
  SELECT u.ds, u.a, timestamptz 'epoch' + u.t * interval '1 millisecond', u.v, u.q
  FROM unnest($1::bigint[], $2::float8[], $3::float8[], $4::text[], $5::text[]) AS u (ds, t, v, q, a)
  ON CONFLICT (datastream_id, phenomenon_time, area_id) DO NOTHING
  RETURNING datastream_id AS ds, ${EPOCH_MS('phenomenon_time')} AS t`;

/**
 * Stores readings in one transaction with one multi-row INSERT … ON CONFLICT DO NOTHING (arrays unnested
 * server-side: four parameters whatever the batch size). Readings already stored for the same datastream and
 * time are duplicates and change nothing (the first reading wins). New readings then run through their
 * datastream's thresholds (`evaluateAlerts` from @placetwin/sensors), and alert changes are written in the same
 * transaction. Readings for a datastream that no longer exists are counted as orphaned, not stored.
 */
export async function storeObservations(
  db: Db,
  readings: AcceptedReading[],
  options: { evaluateAlerts?: boolean } = {},
): Promise<StoreResult> {
  if (readings.length === 0) return { inserted: [], duplicates: 0, orphaned: 0, alerts: [] };
  return db.transaction(async (tx) => {
    const ids = [...new Set(readings.map((r) => r.observation.datastreamId))];
    const known = await tx.query<{ id: number; thresholds: Threshold[]; areaId: string }>(
      'SELECT id, thresholds, area_id AS "areaId" FROM datastreams WHERE id = ANY($1::bigint[])',
      [ids],
    );
    const thresholds = new Map(known.rows.map((r) => [r.id, r.thresholds]));
    // Each reading is stored with its datastream's area (the key every read of it carries).
    const areaOf = new Map(known.rows.map((r) => [r.id, r.areaId]));
    const live = readings.filter((r) => thresholds.has(r.observation.datastreamId));
    const ins = await tx.query<{ ds: number; t: number }>(INSERT_OBSERVATIONS, [
      live.map((r) => r.observation.datastreamId),
      live.map((r) => r.observation.phenomenonTimeMs),
      live.map((r) => r.observation.value),
      live.map((r) => r.observation.quality),
      live.map((r) => areaOf.get(r.observation.datastreamId)),
    ]);
    const isNew = new Set(ins.rows.map((r) => `${r.ds}@${r.t}`));
    const inserted: AcceptedReading[] = [];
    for (const r of live) {
      const key = `${r.observation.datastreamId}@${r.observation.phenomenonTimeMs}`;
      // A key twice in one batch inserts once: the first occurrence is the new one, the rest are duplicates.
      if (isNew.delete(key)) inserted.push({ ...r, areaId: areaOf.get(r.observation.datastreamId) });
    }
    const result: StoreResult = {
      inserted,
      duplicates: live.length - inserted.length,
      orphaned: readings.length - live.length,
      alerts: [],
    };
    if (options.evaluateAlerts !== false) result.alerts = await updateAlerts(tx, inserted, thresholds);
    return result;
  });
}

async function updateAlerts(tx: Db, inserted: AcceptedReading[], thresholds: Map<number, Threshold[]>) {
  const byDatastream = new Map<number, { phenomenonTimeMs: number; value: number }[]>();
  for (const r of inserted) {
    const id = r.observation.datastreamId;
    if (!thresholds.get(id)?.length) continue;
    const list = byDatastream.get(id) ?? [];
    list.push(r.observation);
    byDatastream.set(id, list);
  }
  if (byDatastream.size === 0) return [];
  const ids = [...byDatastream.keys()];
  // Serialise evaluation per datastream (HTTP and MQTT ingest may write one at once). NO KEY UPDATE does not
  // block the foreign-key checks of concurrent inserts.
  await tx.query('SELECT id FROM datastreams WHERE id = ANY($1::bigint[]) ORDER BY id FOR NO KEY UPDATE', [
    ids,
  ]);
  const states = await tx.query<{
    id: number;
    level: AlertState['level'];
    threshold: Threshold | null;
    last: number | null;
  }>(
    `SELECT datastream_id AS id, level, threshold, ${EPOCH_MS('last_time')} AS last
     FROM alert_states WHERE datastream_id = ANY($1::bigint[])`,
    [ids],
  );
  const stateOf = new Map(
    states.rows.map((s) => [s.id, { level: s.level, threshold: s.threshold, lastTimeMs: s.last }]),
  );
  const events = [];
  for (const [id, list] of byDatastream) {
    const before = stateOf.get(id) ?? NO_ALERT;
    const { state, events: ev } = evaluateAlerts(id, thresholds.get(id) ?? [], before, list);
    if (state.lastTimeMs === before.lastTimeMs) continue;
    await tx.query(
      `INSERT INTO alert_states (datastream_id, level, threshold, last_time)
       VALUES ($1, $2, $3::jsonb, timestamptz 'epoch' + $4::float8 * interval '1 millisecond')
       ON CONFLICT (datastream_id) DO UPDATE SET level = excluded.level, threshold = excluded.threshold,
         last_time = excluded.last_time`,
      [id, state.level, state.threshold ? JSON.stringify(state.threshold) : null, state.lastTimeMs],
    );
    for (const e of ev) {
      const at = [e.value, e.timeMs];
      if (e.kind === 'cleared') {
        await tx.query(
          `UPDATE alerts SET cleared_value = $2, cleared_time = timestamptz 'epoch' + $3::float8 * interval '1 millisecond',
             cleared_at = now()
           WHERE datastream_id = $1 AND cleared_time IS NULL`,
          [id, ...at],
        );
      } else {
        await tx.query(
          `INSERT INTO alerts (datastream_id, level, threshold, value, phenomenon_time)
           VALUES ($1, $2, $3::jsonb, $4, timestamptz 'epoch' + $5::float8 * interval '1 millisecond')`,
          [id, e.level, JSON.stringify(e.threshold), ...at],
        );
      }
    }
    events.push(...ev);
  }
  return events;
}

export interface HistoryReading {
  sensorId: string;
  /** Needed when the sensor observes several properties. */
  property?: string;
  phenomenonTimeMs: number;
  value: number;
  quality?: Quality | null;
}

export interface HistoryImportCounts {
  read: number;
  inserted: number;
  duplicates: number;
  /** Readings for sensors or properties that are not registered, by sensor id. */
  unknown: Record<string, number>;
  /** Readings outside their datastream's valid range. */
  outOfRange: number;
}

/**
 * Imports a history (a council's archive, the Leeds footfall file) in ONE transaction: all of it or, if the
 * stream throws, none. Idempotent: importing the same history again inserts nothing. Alerts are not raised
 * for history.
 */
export async function importObservationHistory(
  db: Db,
  readings: AsyncIterable<HistoryReading> | Iterable<HistoryReading>,
  options: { batchSize?: number; onProgress?: (c: HistoryImportCounts) => void } = {},
): Promise<HistoryImportCounts> {
  const batchSize = options.batchSize ?? 5000;
  return db.transaction(async (tx) => {
    const counts: HistoryImportCounts = { read: 0, inserted: 0, duplicates: 0, unknown: {}, outOfRange: 0 };
    const targets = new Map<string, SensorTarget | null>();
    let batch: AcceptedReading[] = [];
    const flush = async () => {
      const r = await storeObservations(tx, batch, { evaluateAlerts: false });
      counts.inserted += r.inserted.length;
      counts.duplicates += r.duplicates;
      batch = [];
      options.onProgress?.(counts);
    };
    for await (const h of readings) {
      counts.read++;
      if (!targets.has(h.sensorId)) targets.set(h.sensorId, await loadSensorTarget(tx, h.sensorId));
      const target = targets.get(h.sensorId);
      const ds = h.property
        ? target?.datastreams.find((d) => d.property === h.property)
        : target?.datastreams.length === 1
          ? target.datastreams[0]
          : undefined;
      if (!ds) {
        counts.unknown[h.sensorId] = (counts.unknown[h.sensorId] ?? 0) + 1;
        continue;
      }
      if (!(h.value >= ds.minValue && h.value <= ds.maxValue)) {
        counts.outOfRange++;
        continue;
      }
      batch.push({
        sensorId: h.sensorId,
        property: ds.property,
        observation: {
          datastreamId: ds.id,
          phenomenonTimeMs: h.phenomenonTimeMs,
          value: h.value,
          quality: h.quality ?? null,
        },
      });
      if (batch.length >= batchSize) await flush();
    }
    if (batch.length) await flush();
    return counts;
  });
}

/* ----------------------------------------------------------------- queries */

export interface LatestValue {
  time: string;
  value: number;
  quality: Quality | null;
}

export interface SensorDatastreamSummary {
  datastreamId: number;
  property: string;
  name: string;
  unit: { name: string; symbol: string };
  validRange: [number, number];
  thresholds: Threshold[];
  owner: string;
  licence: string;
  latest: LatestValue | null;
  /** Level of the latest value against the thresholds (what a map colours by). */
  level: Threshold['level'] | null;
  /** The alert open now (live state; null when none). */
  openAlert: Threshold['level'] | null;
}

export interface SensorFeature {
  type: 'Feature';
  id: string;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: {
    sensorId: string;
    area: string;
    name: string;
    description: string;
    locationAccuracyM: number;
    locationMethod: string;
    owner: string;
    licence: string;
    attribution: string | null;
    properties: Record<string, unknown>;
    datastreams: SensorDatastreamSummary[];
  };
}

const SENSOR_SELECT = `
  SELECT t.sensor_id AS "sensorId", t.area, t.name, t.description, ST_X(t.location) AS lon, ST_Y(t.location) AS lat,
    t.location_accuracy_m AS "locationAccuracyM", t.location_method AS "locationMethod", t.owner, t.licence,
    t.attribution, t.properties,
    json_agg(json_build_object('datastreamId', d.id, 'property', p.key, 'name', d.name,
      'unit', json_build_object('name', d.unit_name, 'symbol', d.unit_symbol),
      'validRange', json_build_array(d.min_value, d.max_value), 'thresholds', d.thresholds, 'owner', d.owner,
      'licence', d.licence, 'openAlert', s.level,
      'latest', CASE WHEN l.t IS NULL THEN NULL ELSE json_build_object('time', l.t, 'value', l.result, 'quality', l.quality) END)
      ORDER BY p.key) AS datastreams
  FROM sensor_things t
  JOIN datastreams d ON d.thing_id = t.id AND d.area_id = t.area_id
  JOIN observed_properties p ON p.id = d.observed_property_id
  LEFT JOIN alert_states s ON s.datastream_id = d.id
  LEFT JOIN LATERAL (
    SELECT to_char(o.phenomenon_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS t, o.result, o.quality
    FROM observations o
    WHERE o.datastream_id = d.id AND o.area_id = d.area_id AND ($2::timestamptz IS NULL OR o.phenomenon_time <= $2::timestamptz)
    ORDER BY o.phenomenon_time DESC LIMIT 1
  ) l ON true`;

type SensorRow = Omit<SensorFeature['properties'], 'datastreams'> & {
  lon: number;
  lat: number;
  datastreams: Omit<SensorDatastreamSummary, 'level'>[];
};

const toFeature = (r: SensorRow): SensorFeature => {
  const { lon, lat, datastreams, ...p } = r;
  return {
    type: 'Feature',
    id: r.sensorId,
    geometry: { type: 'Point', coordinates: [lon, lat] },
    properties: {
      ...p,
      datastreams: datastreams.map((d) => ({
        ...d,
        level: d.latest ? (breachedThreshold(d.thresholds, d.latest.value)?.level ?? null) : null,
      })),
    },
  };
};

/**
 * Every sensor (optionally of one area) with its datastreams and each one's latest reading; with `atMs`, the
 * latest reading at or before that instant (replay on the twin's clock). One index probe per datastream.
 */
export async function listSensors(
  db: Db,
  options: { area?: string; atMs?: number; areaId?: string } = {},
): Promise<SensorFeature[]> {
  const r = await db.query<SensorRow>(
    `${SENSOR_SELECT} WHERE ($1::text IS NULL OR t.area = $1) AND ($3::text IS NULL OR t.area_id = $3)
     GROUP BY t.id ORDER BY t.sensor_id`,
    [
      options.area ?? null,
      options.atMs === undefined ? null : new Date(options.atMs).toISOString(),
      options.areaId ?? null,
    ],
  );
  return r.rows.map(toFeature);
}

export async function getSensor(
  db: Db,
  sensorId: string,
  options: { atMs?: number } = {},
): Promise<SensorFeature | null> {
  const r = await db.query<SensorRow>(`${SENSOR_SELECT} WHERE t.sensor_id = $1 GROUP BY t.id`, [
    sensorId,
    options.atMs === undefined ? null : new Date(options.atMs).toISOString(),
  ]);
  return r.rows[0] ? toFeature(r.rows[0]) : null;
}

export type SeriesBucket = 'raw' | 'hour' | 'day';

export interface SeriesQuery {
  datastreamId: number;
  fromMs: number;
  /** Exclusive. */
  toMs: number;
  bucket: SeriesBucket;
  /** IANA zone whose hours and days bound the buckets. */
  timeZone?: string;
  /** Most points returned (raw readings or buckets). */
  limit?: number;
}

/** A chart series as columns: raw readings (`value`), or per bucket `min`, `mean`, `max` and `count`. */
export interface Series {
  bucket: SeriesBucket;
  t: number[];
  value?: number[];
  min?: number[];
  mean?: number[];
  max?: number[];
  count?: number[];
  /** True when `limit` cut the series short. */
  truncated: boolean;
}

/**
 * One datastream over [from, to): raw, or aggregated in the database per hour or local day
 * (`date_trunc(unit, time, zone)`), so a year of hourly data leaves the database as 365 rows.
 */
export async function observationSeries(db: Db, q: SeriesQuery): Promise<Series> {
  const limit = q.limit ?? 100_000;
  const range = [q.datastreamId, new Date(q.fromMs).toISOString(), new Date(q.toMs).toISOString()];
  if (q.bucket === 'raw') {
    const r = await db.query<{ t: number; v: number }>(
      `SELECT ${EPOCH_MS('phenomenon_time')} AS t, result AS v FROM observations
       WHERE datastream_id = $1 AND phenomenon_time >= $2::timestamptz AND phenomenon_time < $3::timestamptz
       ORDER BY phenomenon_time LIMIT $4`,
      [...range, limit + 1],
    );
    const rows = r.rows.slice(0, limit);
    return {
      bucket: 'raw',
      t: rows.map((x) => x.t),
      value: rows.map((x) => x.v),
      truncated: r.rows.length > limit,
    };
  }
  const r = await db.query<{ t: number; min: number; mean: number; max: number; n: number }>(
    `SELECT ${EPOCH_MS('b')} AS t, min(result) AS min, avg(result) AS mean, max(result) AS max, count(*)::int AS n
     FROM (SELECT date_trunc($4, phenomenon_time, $5) AS b, result FROM observations
           WHERE datastream_id = $1 AND phenomenon_time >= $2::timestamptz AND phenomenon_time < $3::timestamptz) x
     GROUP BY b ORDER BY b LIMIT $6`,
    [...range, q.bucket, q.timeZone ?? 'UTC', limit + 1],
  );
  const rows = r.rows.slice(0, limit);
  return {
    bucket: q.bucket,
    t: rows.map((x) => x.t),
    min: rows.map((x) => x.min),
    mean: rows.map((x) => x.mean),
    max: rows.map((x) => x.max),
    count: rows.map((x) => x.n),
    truncated: r.rows.length > limit,
  };
}

export interface AlertRecord {
  id: number;
  sensorId: string;
  property: string;
  level: Threshold['level'];
  threshold: Threshold;
  value: number;
  time: string;
  raisedAt: string;
  cleared: { value: number; time: string } | null;
}

const ISO = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export async function listAlerts(
  db: Db,
  options: { active?: boolean; sensorId?: string; limit?: number; areaId?: string } = {},
): Promise<AlertRecord[]> {
  const r = await db.query<AlertRecord>(
    `SELECT a.id, t.sensor_id AS "sensorId", p.key AS property, a.level, a.threshold, a.value,
       ${ISO('a.phenomenon_time')} AS time, ${ISO('a.raised_at')} AS "raisedAt",
       CASE WHEN a.cleared_time IS NULL THEN NULL
         ELSE json_build_object('value', a.cleared_value, 'time', ${ISO('a.cleared_time')}) END AS cleared
     FROM alerts a JOIN datastreams d ON d.id = a.datastream_id JOIN sensor_things t ON t.id = d.thing_id
     JOIN observed_properties p ON p.id = d.observed_property_id
     WHERE ($1::boolean IS NOT TRUE OR a.cleared_time IS NULL) AND ($2::text IS NULL OR t.sensor_id = $2)
       AND ($4::text IS NULL OR t.area_id = $4)
     ORDER BY a.phenomenon_time DESC, a.id DESC LIMIT $3`,
    [options.active ?? false, options.sensorId ?? null, options.limit ?? 500, options.areaId ?? null],
  );
  return r.rows;
}

/* ------------------------------------------------------ SensorThings reads */

export type StaEntitySet = 'Things' | 'Locations' | 'Datastreams' | 'ObservedProperties' | 'Observations';

/** Comparison of phenomenonTime with an instant (`$filter=phenomenonTime ge 2015-01-01T00:00:00Z and …`). */
export interface StaTimeCondition {
  op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
  ms: number;
}

export interface StaQuery {
  /**
   * The council area read: only its things, locations, datastreams and observations exist for the query (another
   * area's entity is not found). Observed properties are the install's shared vocabulary, not an area's.
   */
  areaId: string;
  /** One entity by @iot.id. */
  id?: number;
  /** Entities related to another (`Things(1)/Datastreams`): the related set and id. */
  via?: { set: StaEntitySet; id: number };
  top: number;
  skip: number;
  orderBy: { property: string; desc: boolean }[];
  count: boolean;
  phenomenonTime: StaTimeCondition[];
}

/** Which properties each set can be ordered by, and their columns. */
export const STA_ORDERABLE: Record<StaEntitySet, Record<string, string>> = {
  Things: { id: 't.id', name: 't.name' },
  Locations: { id: 't.id', name: 't.name' },
  Datastreams: { id: 'd.id', name: 'd.name' },
  ObservedProperties: { id: 'p.id', name: 'p.name' },
  Observations: { id: 'o.id', phenomenonTime: 'o.phenomenon_time', result: 'o.result' },
};

/**
 * Which navigations each set supports (`<set>(<id>)/<nav>`), as the SQL condition on the target set. `$A` is the
 * area: the entity navigated from must be the area's too (another area's is not found, as a missing one).
 */
const STA_VIA: Record<StaEntitySet, Partial<Record<StaEntitySet, string>>> = {
  Things: {
    Locations: 't.id = $V',
    Datastreams: 't.id = (SELECT thing_id FROM datastreams WHERE id = $V AND area_id = $A)',
  },
  Locations: { Things: 't.id = $V' },
  Datastreams: {
    Things: 'd.thing_id = $V',
    ObservedProperties: 'd.observed_property_id = $V',
    Observations: 'd.id = (SELECT datastream_id FROM observations WHERE id = $V AND area_id = $A)',
  },
  ObservedProperties: {
    Datastreams: 'p.id = (SELECT observed_property_id FROM datastreams WHERE id = $V AND area_id = $A)',
  },
  Observations: { Datastreams: 'o.datastream_id = $V' },
};

/** The area condition on each set (observed properties are shared by every area). */
const STA_AREA: Record<StaEntitySet, string | null> = {
  Things: 't.area_id',
  Locations: 't.area_id',
  Datastreams: 'd.area_id',
  ObservedProperties: null,
  Observations: 'o.area_id',
};

export const staNavigable = (target: StaEntitySet, from: StaEntitySet): boolean =>
  STA_VIA[target][from] !== undefined;

const STA_FROM: Record<StaEntitySet, { select: string; from: string }> = {
  Things: {
    select: `t.id, t.name, t.description, jsonb_build_object('sensorId', t.sensor_id, 'area', t.area,
      'owner', t.owner, 'licence', t.licence, 'attribution', t.attribution) || t.properties AS properties`,
    from: 'sensor_things t',
  },
  Locations: {
    select: `t.id, t.name, t.description, ST_AsGeoJSON(t.location, 7)::json AS location,
      json_build_object('accuracyM', t.location_accuracy_m, 'method', t.location_method) AS properties`,
    from: 'sensor_things t',
  },
  Datastreams: {
    select: `d.id, d.thing_id AS "thingId", d.observed_property_id AS "observedPropertyId", d.name, d.description,
      json_build_object('name', d.unit_name, 'symbol', d.unit_symbol, 'definition', d.unit_definition) AS "unitOfMeasurement",
      d.observation_type AS "observationType",
      json_build_object('owner', d.owner, 'licence', d.licence, 'thresholds', d.thresholds,
        'validRange', json_build_array(d.min_value, d.max_value)) AS properties,
      (SELECT ${ISO('min(phenomenon_time)')} FROM observations
        WHERE datastream_id = d.id AND area_id = d.area_id) AS "phenomenonStart",
      (SELECT ${ISO('max(phenomenon_time)')} FROM observations
        WHERE datastream_id = d.id AND area_id = d.area_id) AS "phenomenonEnd"`,
    from: 'datastreams d',
  },
  ObservedProperties: {
    select: `p.id, p.name, p.definition, p.description, json_build_object('key', p.key) AS properties`,
    from: 'observed_properties p',
  },
  Observations: {
    select: `o.id, o.datastream_id AS "datastreamId", ${ISO('o.phenomenon_time')} AS "phenomenonTime",
      o.result, o.quality, ${ISO('o.received_at')} AS "receivedAt"`,
    from: 'observations o',
  },
};

const ID_COLUMN: Record<StaEntitySet, string> = {
  Things: 't.id',
  Locations: 't.id',
  Datastreams: 'd.id',
  ObservedProperties: 'p.id',
  Observations: 'o.id',
};

const SQL_OP: Record<StaTimeCondition['op'], string> = {
  eq: '=',
  ne: '<>',
  gt: '>',
  ge: '>=',
  lt: '<',
  le: '<=',
};

/**
 * Reads one SensorThings entity set with the supported query options. Rows are plain records; the server adds
 * the @iot control information. Invalid combinations (ordering by an unknown property, a time filter on a set
 * without phenomenonTime, an unsupported navigation) are DataErrors, never ignored.
 */
export async function staRead(
  db: Db,
  set: StaEntitySet,
  q: StaQuery,
): Promise<{ rows: Record<string, unknown>[]; count?: number }> {
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where: string[] = [];
  // The area parameter, added once and only when the query uses it (an unused parameter has no type).
  let areaParam: string | undefined;
  const area = () => {
    areaParam ??= `${p(q.areaId)}::text`;
    return areaParam;
  };
  if (STA_AREA[set]) where.push(`${STA_AREA[set]} = ${area()}`);
  if (q.id !== undefined) where.push(`${ID_COLUMN[set]} = ${p(q.id)}`);
  if (q.via) {
    const cond = STA_VIA[set][q.via.set];
    if (!cond)
      throw new DataError('sta-unsupported', `${q.via.set}(${q.via.id})/${set} is not a navigation path`);
    where.push(cond.replace('$V', p(q.via.id)).replace('$A', cond.includes('$A') ? area() : ''));
  }
  if (q.phenomenonTime.length) {
    if (set !== 'Observations') {
      throw new DataError('sta-unsupported', `$filter on phenomenonTime is supported for Observations only`);
    }
    for (const c of q.phenomenonTime) {
      where.push(`o.phenomenon_time ${SQL_OP[c.op]} ${p(new Date(c.ms).toISOString())}::timestamptz`);
    }
  }
  const order = q.orderBy.map((o) => {
    const col = STA_ORDERABLE[set][o.property];
    if (!col) {
      throw new DataError(
        'sta-unsupported',
        `$orderby ${o.property} is not supported on ${set} (use ${Object.keys(STA_ORDERABLE[set]).join(', ')})`,
      );
    }
    return `${col} ${o.desc ? 'DESC' : 'ASC'}`;
  });
  const idOrder = `${ID_COLUMN[set]} ${q.orderBy[0]?.desc ? 'DESC' : 'ASC'}`;
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const { select, from } = STA_FROM[set];
  const countParams = [...params];
  const r = await db.query<Record<string, unknown>>(
    `SELECT ${select} FROM ${from} ${whereSql} ORDER BY ${[...order, idOrder].join(', ')} LIMIT ${p(q.top)} OFFSET ${p(q.skip)}`,
    params,
  );
  let count: number | undefined;
  if (q.count) {
    const c = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${from} ${whereSql}`,
      countParams,
    );
    count = c.rows[0].n;
  }
  return { rows: r.rows, count };
}

/** Datastreams of the given things (of one area), for `Things?$expand=Datastreams`. */
export async function staDatastreamsOfThings(
  db: Db,
  thingIds: number[],
  areaId: string,
): Promise<Record<string, unknown>[]> {
  if (thingIds.length === 0) return [];
  const r = await db.query<Record<string, unknown>>(
    `SELECT ${STA_FROM.Datastreams.select} FROM datastreams d
     WHERE d.area_id = $2 AND d.thing_id = ANY($1::bigint[]) ORDER BY d.id`,
    [thingIds, areaId],
  );
  return r.rows;
}
