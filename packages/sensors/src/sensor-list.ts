import { DataError } from '@placetwin/geo';
import { csvRecords } from './csv-stream';
import type { DatastreamDefinition, SensorDefinition, Threshold } from './model';
import { validateSensorDefinition } from './validate';

/**
 * Sensor lists a council already has: a CSV (one row per sensor) or a GeoJSON FeatureCollection of points.
 * Columns/properties are matched case-insensitively by the names below; anything else is kept in the sensor's
 * `properties`. Values missing from the file come from the options (an AURN site list, for instance, has
 * coordinates but says nothing about owner or licence).
 */
export interface SensorListOptions {
  fileName: string;
  /** Defaults for fields the file does not give. */
  defaults?: Partial<{
    area: string;
    owner: string;
    licence: string;
    attribution: string;
    /** Observed property keys, e.g. ['no2', 'pm10']. */
    observedProperties: string[];
    accuracyM: number;
    locationMethod: string;
  }>;
}

/** One format of sensor list, after loaders.gl's loader objects. */
export interface SensorListFormat {
  name: string;
  extensions: string[];
  mimeTypes: string[];
  detect(head: string, fileName: string): boolean;
  parse(text: string, options: SensorListOptions): Promise<SensorDefinition[]>;
}

/** Accepted spellings of each field, lower case. */
const FIELDS = {
  id: ['id', 'sensor_id', 'sensorid', 'site_code', 'code'],
  name: ['name', 'site', 'site_name', 'sitename'],
  description: ['description'],
  area: ['area'],
  lat: ['lat', 'latitude'],
  lon: ['lon', 'lng', 'long', 'longitude'],
  accuracyM: ['accuracy_m', 'location_accuracy_m', 'accuracym'],
  locationMethod: ['location_method', 'locationmethod'],
  observedProperties: ['observed_property', 'observed_properties', 'property', 'properties_observed'],
  units: ['unit', 'units'],
  owner: ['owner'],
  licence: ['licence', 'license'],
  attribution: ['attribution'],
  warningAbove: ['warning_above'],
  warningBelow: ['warning_below'],
  criticalAbove: ['critical_above'],
  criticalBelow: ['critical_below'],
} as const;
type Field = keyof typeof FIELDS;
const KNOWN = new Set<string>(Object.values(FIELDS).flat());

const slug = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);

/** Builds a definition from a flat record (CSV row or GeoJSON properties); `at` names it in errors. */
function fromRecord(
  rec: Record<string, unknown>,
  coords: { lon: unknown; lat: unknown } | null,
  options: SensorListOptions,
  at: string,
): SensorDefinition {
  const lower = new Map(Object.entries(rec).map(([k, v]) => [k.trim().toLowerCase(), v]));
  const get = (f: Field): unknown => {
    for (const k of FIELDS[f]) {
      const v = lower.get(k);
      if (v !== undefined && v !== null && String(v).trim() !== '') return v;
    }
    return undefined;
  };
  const str = (f: Field) => {
    const v = get(f);
    return v === undefined ? undefined : String(v).trim();
  };
  const num = (f: Field, v: unknown = get(f)) => {
    if (v === undefined) return undefined;
    const n = typeof v === 'number' ? v : Number(String(v).trim());
    if (!Number.isFinite(n)) {
      throw new DataError('invalid-number', `${at}: ${f} "${String(v)}" is not a number`, {
        file: options.fileName,
      });
    }
    return n;
  };
  const d = options.defaults ?? {};
  const name = str('name');
  const id = str('id') ?? (name ? slug(name) : undefined);
  const listed = str('observedProperties')
    ?.split(/[;|]/)
    .map((s) => s.trim())
    .filter(Boolean);
  const units = str('units')
    ?.split(/[;|]/)
    .map((s) => s.trim());
  const thresholds: Threshold[] = [];
  const warningAbove = num('warningAbove');
  const warningBelow = num('warningBelow');
  const criticalAbove = num('criticalAbove');
  const criticalBelow = num('criticalBelow');
  if (warningAbove !== undefined || warningBelow !== undefined) {
    thresholds.push({ level: 'warning', above: warningAbove, below: warningBelow });
  }
  if (criticalAbove !== undefined || criticalBelow !== undefined) {
    thresholds.push({ level: 'critical', above: criticalAbove, below: criticalBelow });
  }
  const properties = Object.fromEntries(
    Object.entries(rec).filter(([k, v]) => !KNOWN.has(k.trim().toLowerCase()) && v !== '' && v !== null),
  );
  const observed = listed ?? d.observedProperties ?? [];
  const datastreams: DatastreamDefinition[] = observed.map((property, i) => ({
    property,
    unit: units?.[i] || undefined,
    // Threshold columns describe the sensor's first (usually only) property.
    thresholds: i === 0 ? thresholds : [],
  }));
  const def: SensorDefinition = {
    id: id as string,
    area: str('area') ?? d.area ?? 'default',
    name: name as string,
    description: str('description') ?? '',
    location: {
      lon: num('lon', coords ? coords.lon : get('lon')) as number,
      lat: num('lat', coords ? coords.lat : get('lat')) as number,
      accuracyM: (num('accuracyM') ?? d.accuracyM) as number,
      method: str('locationMethod') ?? d.locationMethod ?? '',
    },
    owner: (str('owner') ?? d.owner) as string,
    licence: (str('licence') ?? d.licence) as string,
    attribution: str('attribution') ?? d.attribution,
    properties,
    datastreams,
  };
  return validateSensorDefinition(def, options.fileName);
}

function checkUnique(defs: SensorDefinition[], fileName: string): SensorDefinition[] {
  const seen = new Set<string>();
  for (const d of defs) {
    if (seen.has(d.id)) {
      throw new DataError('duplicate-sensor-id', `sensor id ${d.id} occurs twice`, {
        file: fileName,
        featureId: d.id,
      });
    }
    seen.add(d.id);
  }
  return defs;
}

async function* once(text: string) {
  yield Buffer.from(text, 'utf8');
}

export const sensorListCsv: SensorListFormat = {
  name: 'sensor-list-csv',
  extensions: ['.csv'],
  mimeTypes: ['text/csv'],
  detect: (head, fileName) =>
    !/^\s*[{[]/.test(head) && (fileName.toLowerCase().endsWith('.csv') || head.includes(',')),
  async parse(text, options) {
    const defs: SensorDefinition[] = [];
    for await (const { record, line } of csvRecords(once(text), {
      fileName: options.fileName,
      required: [],
    })) {
      defs.push(fromRecord(record, null, options, `line ${line}`));
    }
    if (defs.length === 0)
      throw new DataError('empty-file', 'the sensor list has no rows', { file: options.fileName });
    return checkUnique(defs, options.fileName);
  },
};

export const sensorListGeoJson: SensorListFormat = {
  name: 'sensor-list-geojson',
  extensions: ['.geojson', '.json'],
  mimeTypes: ['application/geo+json', 'application/json'],
  detect: (head) => /^\s*\{/.test(head) && /"FeatureCollection"|"Feature"/.test(head),
  async parse(text, options) {
    let doc: { type?: string; features?: unknown[] };
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new DataError('invalid-json', `not JSON: ${(e as Error).message}`, { file: options.fileName });
    }
    const features = doc.type === 'Feature' ? [doc] : doc.type === 'FeatureCollection' ? doc.features : null;
    if (!Array.isArray(features) || features.length === 0) {
      throw new DataError('invalid-geojson', 'expected a FeatureCollection of Point features', {
        file: options.fileName,
      });
    }
    const defs = features.map((f, i) => {
      const feature = f as {
        id?: unknown;
        geometry?: { type?: string; coordinates?: unknown[] };
        properties?: Record<string, unknown> | null;
      };
      const at = `feature ${feature.id ?? i + 1}`;
      if (feature.geometry?.type !== 'Point' || !Array.isArray(feature.geometry.coordinates)) {
        throw new DataError('invalid-geometry', `${at}: a sensor must be a Point`, {
          file: options.fileName,
        });
      }
      const [lon, lat] = feature.geometry.coordinates;
      const props = { ...(feature.properties ?? {}) } as Record<string, unknown>;
      if (feature.id !== undefined && props.id === undefined) props.id = String(feature.id);
      return fromRecord(props, { lon, lat }, options, at);
    });
    return checkUnique(defs, options.fileName);
  },
};

export const sensorListFormats: SensorListFormat[] = [sensorListGeoJson, sensorListCsv];

/** Picks the format of a sensor list by content (JSON object vs CSV), then name. DataError if neither fits. */
export function sensorListFormatFor(text: string, fileName: string): SensorListFormat {
  const head = text.slice(0, 4096).replace(/^\uFEFF/, '');
  const found = sensorListFormats.find((f) => f.detect(head, fileName));
  if (!found) {
    throw new DataError(
      'unsupported-format',
      `not a sensor list (supported: ${sensorListFormats.map((f) => f.extensions.join('/')).join(', ')})`,
      { file: fileName },
    );
  }
  return found;
}

/** Reads a sensor list of either format into validated definitions. */
export function parseSensorList(text: string, options: SensorListOptions): Promise<SensorDefinition[]> {
  return sensorListFormatFor(text, options.fileName).parse(text, options);
}
