import { DataError } from '@placetwin/geo';

/** A unit of measurement as SensorThings writes it (`unitOfMeasurement`): UCUM code as the symbol. */
export interface UnitOfMeasurement {
  name: string;
  /** UCUM case-sensitive code (https://ucum.org/ucum), e.g. `ug/m3`, `Cel`, `{count}/h`. */
  symbol: string;
  definition: string;
}

/** What a council sensor measures: one descriptor per observed property, registered in one list. */
export interface ObservedPropertyDescriptor {
  /** Stable short key used in payloads, URLs and sensor lists: `footfall`, `no2`. */
  key: string;
  name: string;
  /** A URI that defines the property (SensorThings `definition`). */
  definition: string;
  description: string;
  unit: UnitOfMeasurement;
  /** Other spellings of the unit a device may send (compared case-sensitively after trimming). */
  unitAliases: string[];
  /** Physically plausible values; a reading outside is rejected as `out-of-range`. A datastream may narrow it. */
  validRange: readonly [min: number, max: number];
}

const UCUM = 'https://ucum.org/ucum';
const MICROGRAMS_PER_M3: UnitOfMeasurement = {
  name: 'microgram per cubic metre',
  symbol: 'ug/m3',
  definition: UCUM,
};
const MICROGRAM_ALIASES = ['µg/m3', 'µg/m³', 'μg/m3', 'μg/m³', 'ug/m^3', 'ugm-3'];
/**
 * AURN ratified data keeps small negative concentrations (instrument zero drift; e.g. PM2.5 −4.3 µg/m³ at
 * Marylebone Road, see shared/data PROVENANCE), so the lower bounds allow them rather than drop real data.
 */
const pollutant = (key: string, name: string, definition: string, max: number) =>
  ({
    key,
    name,
    definition,
    description: `Hourly mean mass concentration of ${name.toLowerCase()} in ambient air`,
    unit: MICROGRAMS_PER_M3,
    unitAliases: MICROGRAM_ALIASES,
    validRange: [-50, max],
  }) satisfies ObservedPropertyDescriptor;

/** Every observed property Placetwin knows. Adding one means adding a descriptor here, nothing else. */
export const OBSERVED_PROPERTIES: readonly ObservedPropertyDescriptor[] = [
  {
    key: 'footfall',
    name: 'Footfall',
    definition: 'https://placetwin.dev/def/observed-property/footfall',
    description:
      'Pedestrians counted passing a camera or counter during the hour that starts at phenomenonTime',
    unit: { name: 'pedestrians per hour', symbol: '{count}/h', definition: UCUM },
    unitAliases: ['count/h', 'pedestrians/h', '/h'],
    validRange: [0, 100_000],
  },
  pollutant('no2', 'Nitrogen dioxide', 'http://dd.eionet.europa.eu/vocabulary/aq/pollutant/8', 2_000),
  pollutant('nox', 'Nitrogen oxides as NO2', 'http://dd.eionet.europa.eu/vocabulary/aq/pollutant/9', 10_000),
  pollutant('o3', 'Ozone', 'http://dd.eionet.europa.eu/vocabulary/aq/pollutant/7', 1_000),
  pollutant('pm10', 'PM10 particulate matter', 'http://dd.eionet.europa.eu/vocabulary/aq/pollutant/5', 5_000),
  pollutant(
    'pm25',
    'PM2.5 particulate matter',
    'http://dd.eionet.europa.eu/vocabulary/aq/pollutant/6001',
    5_000,
  ),
  {
    key: 'air-temperature',
    name: 'Air temperature',
    definition: 'http://vocab.nerc.ac.uk/standard_name/air_temperature/',
    description: 'Temperature of the air',
    unit: { name: 'degree Celsius', symbol: 'Cel', definition: UCUM },
    unitAliases: ['°C', 'degC', 'C'],
    validRange: [-60, 60],
  },
  {
    key: 'relative-humidity',
    name: 'Relative humidity',
    definition: 'http://vocab.nerc.ac.uk/standard_name/relative_humidity/',
    description: 'Relative humidity of the air',
    unit: { name: 'percent', symbol: '%', definition: UCUM },
    unitAliases: ['percent'],
    validRange: [0, 100],
  },
  {
    key: 'water-level',
    name: 'Water level',
    definition: 'http://vocab.nerc.ac.uk/standard_name/water_surface_height_above_reference_datum/',
    description: 'Height of the water surface above the gauge datum',
    unit: { name: 'metre', symbol: 'm', definition: UCUM },
    unitAliases: ['metre', 'meter'],
    validRange: [-50, 500],
  },
  {
    key: 'parking-occupancy',
    name: 'Parking bay occupancy',
    definition: 'https://placetwin.dev/def/observed-property/parking-occupancy',
    description: 'Whether a parking bay is occupied (1) or free (0); means over time give the occupied share',
    unit: { name: 'occupied (1) or free (0)', symbol: '{occupied}', definition: UCUM },
    unitAliases: ['occupied', 'boolean'],
    validRange: [0, 1],
  },
];

const BY_KEY = new Map(OBSERVED_PROPERTIES.map((p) => [p.key, p]));

/** The descriptor for a property key; a DataError naming the known keys when there is none. */
export function observedProperty(key: string, where: { file?: string; featureId?: string } = {}) {
  const p = BY_KEY.get(key);
  if (!p) {
    throw new DataError(
      'unknown-observed-property',
      `unknown observed property "${key}" (known: ${[...BY_KEY.keys()].join(', ')})`,
      where,
    );
  }
  return p;
}

/** True when `unit` names the property's unit: its UCUM symbol, its name, or a listed alias. */
export function isUnitOf(property: ObservedPropertyDescriptor, unit: string): boolean {
  const u = unit.trim();
  return u === property.unit.symbol || u === property.unit.name || property.unitAliases.includes(u);
}
