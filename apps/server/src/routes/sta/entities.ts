/**
 * SensorThings 1.1 JSON for rows read by `staRead` (@placetwin/db): entity properties as OGC 18-088 section 8.2
 * lists them, plus `@iot.id`, `@iot.selfLink` and a `<Navigation>@iot.navigationLink` for each supported
 * relation. Sensors, HistoricalLocations and FeaturesOfInterest are not served, so they get no links.
 */
import type { StaEntitySet } from '@placetwin/db';
import { STA_NAVIGATION } from './request';

export type StaJson = Record<string, unknown>;

/** `suffix`: the query every link keeps (`?council=<area>` when the request named one), else ''. */
const links = (base: string, set: StaEntitySet, id: unknown, suffix: string): StaJson => {
  const self = `${base}/${set}(${id})`;
  const out: StaJson = { '@iot.id': id, '@iot.selfLink': `${self}${suffix}` };
  for (const nav of Object.keys(STA_NAVIGATION[set]))
    out[`${nav}@iot.navigationLink`] = `${self}/${nav}${suffix}`;
  return out;
};

const FORMAT: Record<StaEntitySet, (row: StaJson) => StaJson> = {
  Things: (r) => ({ name: r.name, description: r.description, properties: r.properties }),
  Locations: (r) => ({
    name: r.name,
    description: r.description,
    encodingType: 'application/geo+json',
    location: r.location,
    properties: r.properties,
  }),
  Datastreams: (r) => ({
    name: r.name,
    description: r.description,
    unitOfMeasurement: r.unitOfMeasurement,
    observationType: r.observationType,
    // TM_Period as an ISO 8601 interval; absent while the datastream has no observations.
    ...(r.phenomenonStart ? { phenomenonTime: `${r.phenomenonStart}/${r.phenomenonEnd}` } : {}),
    properties: r.properties,
  }),
  ObservedProperties: (r) => ({
    name: r.name,
    definition: r.definition,
    description: r.description,
    properties: r.properties,
  }),
  Observations: (r) => ({
    phenomenonTime: r.phenomenonTime,
    // When the sensor generated the result is not known (devices send phenomenonTime only); 18-088 allows null.
    resultTime: null,
    result: r.result,
    ...(r.quality ? { resultQuality: r.quality } : {}),
    parameters: { receivedAt: r.receivedAt },
  }),
};

/** One entity as SensorThings JSON (its links end with `suffix`, e.g. `?council=leeds`). */
export const staEntity = (base: string, set: StaEntitySet, row: StaJson, suffix = ''): StaJson => ({
  ...links(base, set, row.id, suffix),
  ...FORMAT[set](row),
});
