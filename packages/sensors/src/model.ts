/**
 * The observation model, after OGC SensorThings (18-088): a Thing (here "sensor": a device or counting site) at
 * a Location has Datastreams, one per ObservedProperty, each a time series of Observations in one unit.
 */

/** A device's own verdict on a reading (optional in payloads). */
export type Quality = 'good' | 'suspect' | 'bad';
export const QUALITIES: readonly Quality[] = ['good', 'suspect', 'bad'];

/** One stored reading: the value of a datastream at an instant (epoch ms, UTC; millisecond resolution). */
export interface Observation {
  datastreamId: number;
  phenomenonTimeMs: number;
  value: number;
  quality: Quality | null;
}

export type AlertLevel = 'warning' | 'critical';

/**
 * A threshold band: breached when the value is above `above` or below `below` (strictly). A datastream may have
 * several; the most severe breached one sets its alert level.
 */
export interface Threshold {
  level: AlertLevel;
  above?: number;
  below?: number;
}

/** What ingest must know about one datastream to accept a reading for it. */
export interface DatastreamRule {
  id: number;
  /** Observed property key (`footfall`, `no2`…). */
  property: string;
  /** UCUM symbol of the datastream's unit. */
  unitSymbol: string;
  minValue: number;
  maxValue: number;
  thresholds: Threshold[];
}

/** A registered sensor as ingest sees it. */
export interface SensorTarget {
  sensorId: string;
  area: string;
  datastreams: DatastreamRule[];
}

/** A datastream in a registration (sensor list row, API body). */
export interface DatastreamDefinition {
  /** Observed property key. */
  property: string;
  /** Optional: must name the property's unit (it is checked, never converted). */
  unit?: string;
  name?: string;
  description?: string;
  /** Narrower valid range than the property's; readings outside are rejected. */
  minValue?: number;
  maxValue?: number;
  thresholds?: Threshold[];
  /** Defaults to the sensor's owner and licence. */
  owner?: string;
  licence?: string;
}

/** A sensor to register: where it is (and how well that is known), what it observes, whose data it is. */
export interface SensorDefinition {
  /** Stable id used in MQTT topics and URLs: letters, digits, `.`, `_`, `-` (1–64). */
  id: string;
  /** Council or area slug: the `<area>` level of the MQTT topic. */
  area: string;
  name: string;
  description: string;
  location: {
    lon: number;
    lat: number;
    /** Radius (metres) within which the true position lies, as far as the registrant knows. */
    accuracyM: number;
    /** How the position was obtained, in plain words (surveyed, GPS, estimated from the street name…). */
    method: string;
  };
  owner: string;
  licence: string;
  attribution?: string;
  /** Anything else the source says about the sensor (site type, source name…). */
  properties?: Record<string, unknown>;
  datastreams: DatastreamDefinition[];
}

/** Why a reading (or a whole message) was not stored: stable keys for counters and problem types. */
export const REJECT_REASONS = [
  'bad-topic',
  'bad-json',
  'bad-payload',
  'too-many-readings',
  'unknown-sensor',
  'unknown-property',
  'wrong-unit',
  'not-a-number',
  'out-of-range',
  'bad-time',
  'future-time',
  'bad-quality',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];
