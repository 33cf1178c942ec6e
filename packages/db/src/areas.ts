/**
 * Areas: one install serves several councils. An area is a council: its boundary (an ONS 2017 local authority
 * district, by `lad17cd`), the camera the viewer opens at, branding, languages and privacy settings. Every
 * top-level record (dataset, scenario, story, consultation, user, …) carries its area's id, and every query that
 * lists or reads those records for a request takes the area id (no cross-area query on a hot path).
 *
 * The boundary comes from the ONS "Local Authority Districts (December 2017) UK" GeoJSON (OGL v3): `ladBoundary`
 * picks one district's geometry from the parsed file; the database stores it as a MultiPolygon in EPSG:4326.
 */
import { readFile } from 'node:fs/promises';
import { DataError, type GeoJsonGeometry } from '@placetwin/geo';
import type { Db } from './db';

export const AREA_LANGUAGES = ['en', 'cy'] as const;
export type AreaLanguage = (typeof AREA_LANGUAGES)[number];
/** The area rows made before areas existed belong to; the install's home area for URLs that name none. */
export const DEFAULT_AREA = 'default';

export interface AreaCamera {
  lon: number;
  lat: number;
  /** Metres above the ellipsoid. */
  height: number;
  /** Degrees. */
  heading: number;
  /** Degrees (negative looks down). */
  pitch: number;
}

export interface AreaColours {
  primary?: string;
  secondary?: string;
}

export interface Area {
  id: string;
  lad17cd: string | null;
  name: string;
  nameCy: string | null;
  camera: AreaCamera | null;
  logoUrl: string | null;
  colours: AreaColours;
  languages: AreaLanguage[];
  privacyContact: string | null;
  retentionDays: number;
  /** [west, south, east, north] of the boundary, or null without one. */
  bbox: [number, number, number, number] | null;
}

export interface AreaSettings {
  name?: string;
  nameCy?: string | null;
  camera?: AreaCamera | null;
  logoUrl?: string | null;
  colours?: AreaColours;
  languages?: AreaLanguage[];
  privacyContact?: string | null;
  retentionDays?: number;
}

export interface NewArea extends AreaSettings {
  id: string;
  lad17cd?: string | null;
  /** The district's geometry (Polygon or MultiPolygon, EPSG:4326), e.g. from `ladBoundary`. */
  boundary?: GeoJsonGeometry | null;
}

export const AREA_ID = /^[a-z][a-z0-9-]{1,39}$/;
export const LAD17CD = /^[EWSN][0-9]{8}$/;
const CSS_COLOUR = /^#[0-9a-fA-F]{6}$/;

export const isAreaId = (v: unknown): v is string => typeof v === 'string' && AREA_ID.test(v);

export function checkAreaId(id: unknown): string {
  if (!isAreaId(id)) {
    throw new DataError(
      'invalid-area',
      `area id must be 2–40 lower-case letters, digits or hyphens, starting with a letter, not "${String(id).slice(0, 60)}"`,
    );
  }
  return id;
}

/** Parses `en,cy` into languages (the first is the default), refusing unknown ones. */
export function parseLanguages(v: string | readonly string[]): AreaLanguage[] {
  const list = (typeof v === 'string' ? v.split(',') : [...v]).map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) throw new DataError('invalid-languages', 'give at least one language (en, cy)');
  for (const l of list) {
    if (!(AREA_LANGUAGES as readonly string[]).includes(l)) {
      throw new DataError('invalid-languages', `language "${l}" is not one of ${AREA_LANGUAGES.join(', ')}`);
    }
  }
  return [...new Set(list)] as AreaLanguage[];
}

/** Parses `lon,lat,height[,heading,pitch]` (degrees, metres) into a camera. */
export function parseCamera(v: string): AreaCamera {
  const n = v.split(',').map((s) => Number(s.trim()));
  if ((n.length !== 3 && n.length !== 5) || n.some((x) => !Number.isFinite(x))) {
    throw new DataError('invalid-camera', `camera must be "lon,lat,height[,heading,pitch]", not "${v}"`);
  }
  return checkCamera({ lon: n[0], lat: n[1], height: n[2], heading: n[3] ?? 0, pitch: n[4] ?? -45 });
}

export function checkCamera(c: AreaCamera): AreaCamera {
  const ok =
    Math.abs(c.lon) <= 180 &&
    Math.abs(c.lat) <= 90 &&
    c.height > 0 &&
    c.height <= 1e7 &&
    Math.abs(c.heading) <= 360 &&
    c.pitch >= -90 &&
    c.pitch <= 0;
  if (!ok) {
    throw new DataError(
      'invalid-camera',
      'camera: lon -180..180, lat -90..90, height 0..10 000 km, heading -360..360, pitch -90..0',
    );
  }
  return c;
}

function checkSettings(s: AreaSettings): void {
  if (
    s.name !== undefined &&
    (typeof s.name !== 'string' || s.name.trim().length < 1 || s.name.length > 150)
  ) {
    throw new DataError('invalid-area', 'name must be 1–150 characters');
  }
  if (s.nameCy && s.nameCy.length > 150)
    throw new DataError('invalid-area', 'Welsh name must be 1–150 characters');
  if (s.languages) parseLanguages(s.languages);
  if (s.camera) checkCamera(s.camera);
  if (s.privacyContact != null && (s.privacyContact.trim().length < 3 || s.privacyContact.length > 500)) {
    throw new DataError('invalid-area', 'privacy contact must be 3–500 characters');
  }
  if (
    s.retentionDays !== undefined &&
    (!Number.isInteger(s.retentionDays) || s.retentionDays < 1 || s.retentionDays > 3650)
  ) {
    throw new DataError('invalid-area', 'retention days must be a whole number from 1 to 3650');
  }
  for (const [k, c] of Object.entries(s.colours ?? {})) {
    if (c !== undefined && (typeof c !== 'string' || !CSS_COLOUR.test(c))) {
      throw new DataError('invalid-area', `colour ${k} must be #rrggbb, not "${String(c).slice(0, 20)}"`);
    }
  }
  if (s.logoUrl != null && !/^(https:\/\/|\/)[^\s"<>]{1,500}$/.test(s.logoUrl)) {
    throw new DataError('invalid-area', 'logo URL must be an https:// URL or a path on this site');
  }
}

interface LadFeature {
  properties?: { lad17cd?: string; lad17nm?: string; lad17nmw?: string };
  geometry?: GeoJsonGeometry;
}

/**
 * One district of the ONS Local Authority Districts GeoJSON (a parsed FeatureCollection): its name, Welsh name
 * (when it has one) and geometry. A DataError names the code when the file has no such district.
 */
export function ladBoundary(
  collection: unknown,
  lad17cd: string,
): { name: string; nameCy: string | null; geometry: GeoJsonGeometry } {
  if (!LAD17CD.test(lad17cd)) {
    throw new DataError('invalid-lad17cd', `"${lad17cd}" is not an ONS district code like E06000017`);
  }
  const features = (collection as { features?: LadFeature[] })?.features;
  if (!Array.isArray(features))
    throw new DataError('invalid-boundaries', 'the boundaries file is not a FeatureCollection');
  const f = features.find((x) => x?.properties?.lad17cd === lad17cd);
  if (!f) throw new DataError('unknown-lad17cd', `no district ${lad17cd} in the boundaries file`);
  const type = f.geometry?.type;
  if (type !== 'Polygon' && type !== 'MultiPolygon') {
    throw new DataError(
      'invalid-boundaries',
      `district ${lad17cd} has a ${String(type)} geometry, not a polygon`,
    );
  }
  const welsh = f.properties?.lad17nmw?.trim();
  return { name: f.properties?.lad17nm ?? lad17cd, nameCy: welsh ? welsh : null, geometry: f.geometry! };
}

/** Reads the ONS boundaries file and returns one district (see `ladBoundary`). */
export async function readLadBoundary(path: string, lad17cd: string) {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new DataError('invalid-boundaries', `${path}: ${(e as Error).message}`);
  }
  return ladBoundary(parsed, lad17cd);
}

const AREA_COLUMNS = `a.id, a.lad17cd, a.name, a.name_cy AS "nameCy", a.camera, a.logo_url AS "logoUrl", a.colours,
  a.languages, a.privacy_contact AS "privacyContact", a.retention_days AS "retentionDays",
  CASE WHEN a.boundary IS NULL THEN NULL ELSE
    json_build_array(ST_XMin(a.boundary), ST_YMin(a.boundary), ST_XMax(a.boundary), ST_YMax(a.boundary)) END AS bbox`;

export async function getArea(db: Db, id: string): Promise<Area | null> {
  if (!isAreaId(id)) return null;
  return (await db.query<Area>(`SELECT ${AREA_COLUMNS} FROM areas a WHERE a.id = $1`, [id])).rows[0] ?? null;
}

export async function listAreas(db: Db): Promise<Area[]> {
  return (await db.query<Area>(`SELECT ${AREA_COLUMNS} FROM areas a ORDER BY a.created_at, a.id`)).rows;
}

/** The area's boundary as GeoJSON (MultiPolygon, EPSG:4326), or null. */
export async function areaBoundary(db: Db, id: string): Promise<GeoJsonGeometry | null> {
  const r = await db.query<{ g: GeoJsonGeometry | null }>(
    'SELECT ST_AsGeoJSON(boundary, 7)::json AS g FROM areas WHERE id = $1',
    [id],
  );
  return r.rows[0]?.g ?? null;
}

/** The district's centroid when it lies inside the district, else a point surely inside (even a concave one). */
const INNER_POINT = `(CASE WHEN ST_Contains(ST_GeomFromGeoJSON($B), ST_Centroid(ST_GeomFromGeoJSON($B)))
  THEN ST_Centroid(ST_GeomFromGeoJSON($B)) ELSE ST_PointOnSurface(ST_GeomFromGeoJSON($B)) END)`;

/** The camera's height over a district: grows with its north–south extent (about 9.4 km for Rutland). */
const CAMERA_HEIGHT = `greatest(1500, 40000 * (ST_YMax(ST_Envelope(ST_GeomFromGeoJSON($B))) - ST_YMin(ST_Envelope(ST_GeomFromGeoJSON($B)))))`;

/**
 * A camera looking north across the district (used when the council gives none), so the first view shows the
 * council's own land and its outline: looking down at 45°, its view's centre lies one height north of it, so it
 * stands that far south of the district's middle (INNER_POINT; 111,320 m to a degree of latitude).
 */
const CAMERA_FROM_BOUNDARY = `CASE WHEN $B::text IS NULL THEN NULL ELSE jsonb_build_object(
  'lon', ST_X(${INNER_POINT}),
  'lat', ST_Y(${INNER_POINT}) - ${CAMERA_HEIGHT} / 111320.0,
  'height', ${CAMERA_HEIGHT},
  'heading', 0, 'pitch', -45) END`;

/**
 * Adds an area, or (for `default` and areas without a district yet) gives an existing one its district: the
 * boundary becomes a MultiPolygon in EPSG:4326. A DataError `duplicate-area` when the id or district is taken.
 */
export async function addArea(db: Db, a: NewArea): Promise<Area> {
  checkAreaId(a.id);
  if (a.lad17cd != null && !LAD17CD.test(a.lad17cd)) {
    throw new DataError('invalid-lad17cd', `"${a.lad17cd}" is not an ONS district code like E06000017`);
  }
  const name = a.name ?? a.id;
  checkSettings({ ...a, name });
  const boundary = a.boundary ? JSON.stringify(a.boundary) : null;
  try {
    await db.query(
      `INSERT INTO areas (id, lad17cd, name, name_cy, boundary, camera, logo_url, colours, languages, privacy_contact,
         retention_days)
       VALUES ($1, $2, $3, $4, CASE WHEN $5::text IS NULL THEN NULL ELSE ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($5), 4326)) END,
         coalesce($6::jsonb, ${CAMERA_FROM_BOUNDARY.replaceAll('$B', '$5')}), $7, $8::jsonb, $9::text[], $10, $11)`,
      [
        a.id,
        a.lad17cd ?? null,
        name.trim(),
        a.nameCy ?? null,
        boundary,
        a.camera ? JSON.stringify(a.camera) : null,
        a.logoUrl ?? null,
        JSON.stringify(a.colours ?? {}),
        a.languages ?? ['en'],
        a.privacyContact ?? null,
        a.retentionDays ?? 365,
      ],
    );
  } catch (e) {
    if ((e as { code?: string }).code === '23505') {
      throw new DataError(
        'duplicate-area',
        `an area with id "${a.id}" or district ${a.lad17cd} already exists`,
      );
    }
    throw e;
  }
  return (await getArea(db, a.id))!;
}

/**
 * Gives an existing area (e.g. `default`) a district: its boundary, and its name and camera unless it has its
 * own. Used by the sample-city start to turn `default` into Rutland.
 */
export async function setAreaDistrict(
  db: Db,
  id: string,
  d: {
    lad17cd: string;
    name: string;
    nameCy?: string | null;
    boundary: GeoJsonGeometry;
    camera?: AreaCamera;
  },
): Promise<Area | null> {
  const b = JSON.stringify(d.boundary);
  const r = await db.query(
    `UPDATE areas SET lad17cd = $2, name = $3, name_cy = coalesce(name_cy, $4),
       boundary = ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($5), 4326)),
       camera = coalesce($6::jsonb, camera, ${CAMERA_FROM_BOUNDARY.replaceAll('$B', '$5')}), updated_at = now()
     WHERE id = $1 RETURNING id`,
    [id, d.lad17cd, d.name, d.nameCy ?? null, b, d.camera ? JSON.stringify(d.camera) : null],
  );
  return r.rows.length ? getArea(db, id) : null;
}

/** Changes an area's settings (only the fields given); null when there is no such area. */
export async function updateArea(db: Db, id: string, s: AreaSettings): Promise<Area | null> {
  checkSettings(s);
  const r = await db.query(
    `UPDATE areas SET name = coalesce($2, name),
       name_cy = CASE WHEN $3::boolean THEN $4 ELSE name_cy END,
       camera = CASE WHEN $5::boolean THEN $6::jsonb ELSE camera END,
       logo_url = CASE WHEN $7::boolean THEN $8 ELSE logo_url END,
       colours = coalesce($9::jsonb, colours),
       languages = coalesce($10::text[], languages),
       privacy_contact = CASE WHEN $11::boolean THEN $12 ELSE privacy_contact END,
       retention_days = coalesce($13, retention_days),
       updated_at = now()
     WHERE id = $1 RETURNING id`,
    [
      id,
      s.name?.trim() ?? null,
      s.nameCy !== undefined,
      s.nameCy || null,
      s.camera !== undefined,
      s.camera ? JSON.stringify(s.camera) : null,
      s.logoUrl !== undefined,
      s.logoUrl || null,
      s.colours ? JSON.stringify(s.colours) : null,
      s.languages ?? null,
      s.privacyContact !== undefined,
      s.privacyContact?.trim() || null,
      s.retentionDays ?? null,
    ],
  );
  return r.rows.length ? getArea(db, id) : null;
}

/** Which area a record belongs to (null: no such record). The servers' guard checks this against the request's. */
export type AreaOwned =
  | 'scenario'
  | 'story'
  | 'consultation'
  | 'comment'
  | 'dataset'
  | 'user'
  | 'building'
  | 'sensor'
  | 'feed';

const OWNER_SQL: Record<AreaOwned, string> = {
  scenario: 'SELECT area_id AS a FROM scenarios WHERE id = $1::bigint',
  story: 'SELECT area_id AS a FROM stories WHERE id = $1::bigint',
  consultation: 'SELECT area_id AS a FROM consultations WHERE id = $1::bigint',
  comment:
    'SELECT c.area_id AS a FROM comments m JOIN consultations c ON c.id = m.consultation_id WHERE m.id = $1::bigint',
  dataset: 'SELECT area_id AS a FROM datasets WHERE name = $1',
  user: 'SELECT area_id AS a FROM users WHERE id = $1::bigint',
  building: 'SELECT area_id AS a FROM buildings WHERE id = $1',
  sensor: 'SELECT area_id AS a FROM sensor_things WHERE sensor_id = $1',
  feed: 'SELECT area_id AS a FROM gtfs_feeds WHERE name = $1',
};
const NUMERIC_KEYS = new Set<AreaOwned>(['scenario', 'story', 'consultation', 'comment', 'user']);

export async function recordArea(db: Db, kind: AreaOwned, key: string | number): Promise<string | null> {
  if (NUMERIC_KEYS.has(kind) && !/^[0-9]{1,15}$/.test(String(key))) return null;
  return (await db.query<{ a: string }>(OWNER_SQL[kind], [String(key)])).rows[0]?.a ?? null;
}
