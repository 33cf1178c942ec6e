/**
 * Building use classes from OSM-style tags, as one table (descriptors as data).
 *
 * A building's function tags (`amenity`, `shop`, `office`, `healthcare`, `craft`) say more about its use
 * than its `building` value (a `building=house` with `shop=bakery` is a shop), so they are read first;
 * then `building`. Anything unmatched is `unknown`.
 */

export const USE_CLASSES = [
  'residential',
  'commercial',
  'retail',
  'industrial',
  'education',
  'healthcare',
  'religious',
  'civic',
  'agricultural',
  'outbuilding',
  'unknown',
] as const;
export type UseClass = (typeof USE_CLASSES)[number];

interface UseDescriptor {
  use: UseClass;
  /** `building=` values. */
  building?: string[];
  /** `amenity=` values. */
  amenity?: string[];
  /** Tags whose presence (any value) decides: `shop`, `office`, ... */
  anyOf?: string[];
}

export const USE_TABLE: readonly UseDescriptor[] = [
  {
    use: 'residential',
    building: [
      'house',
      'detached',
      'semidetached_house',
      'terrace',
      'residential',
      'apartments',
      'flats',
      'bungalow',
      'farm',
      'dormitory',
      'static_caravan',
      'houseboat',
      'cabin',
    ],
  },
  {
    use: 'commercial',
    building: ['commercial', 'office', 'hotel', 'kiosk', 'pub'],
    amenity: [
      'pub',
      'bar',
      'restaurant',
      'cafe',
      'fast_food',
      'bank',
      'cinema',
      'nightclub',
      'fuel',
      'car_wash',
    ],
    anyOf: ['office'],
  },
  { use: 'retail', building: ['retail', 'supermarket', 'shop'], amenity: ['marketplace'], anyOf: ['shop'] },
  {
    use: 'industrial',
    building: [
      'industrial',
      'warehouse',
      'manufacture',
      'factory',
      'service',
      'transformer_tower',
      'storage_tank',
    ],
    anyOf: ['craft', 'industrial'],
  },
  {
    use: 'education',
    building: ['school', 'college', 'university', 'kindergarten', 'training_centre'],
    amenity: ['school', 'college', 'university', 'kindergarten', 'childcare', 'library', 'language_school'],
  },
  {
    use: 'healthcare',
    building: ['hospital'],
    amenity: ['hospital', 'clinic', 'doctors', 'dentist', 'pharmacy', 'nursing_home', 'social_facility'],
    anyOf: ['healthcare'],
  },
  {
    use: 'religious',
    building: ['church', 'chapel', 'cathedral', 'mosque', 'temple', 'synagogue', 'shrine', 'religious'],
    amenity: ['place_of_worship', 'monastery'],
  },
  {
    use: 'civic',
    building: [
      'civic',
      'public',
      'government',
      'townhall',
      'hall',
      'fire_station',
      'train_station',
      'transportation',
      'signal_box',
      'bunker',
    ],
    amenity: [
      'townhall',
      'police',
      'fire_station',
      'community_centre',
      'courthouse',
      'post_office',
      'village_hall',
      'toilets',
      'prison',
      'public_building',
    ],
  },
  {
    use: 'agricultural',
    building: [
      'farm_auxiliary',
      'barn',
      'cowshed',
      'stable',
      'greenhouse',
      'glasshouse',
      'silo',
      'sty',
      'slurry_tank',
    ],
  },
  {
    use: 'outbuilding',
    building: ['garage', 'garages', 'shed', 'carport', 'hut', 'roof', 'outbuilding', 'bandstand'],
  },
];

const byBuilding = new Map<string, UseClass>();
const byAmenity = new Map<string, UseClass>();
const byPresence: [string, UseClass][] = [];
for (const d of USE_TABLE) {
  for (const b of d.building ?? []) byBuilding.set(b, d.use);
  for (const a of d.amenity ?? []) byAmenity.set(a, d.use);
  for (const k of d.anyOf ?? []) byPresence.push([k, d.use]);
}

const text = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() !== '' ? v.trim().toLowerCase() : null;

/** The use class of a building from its tags (see the module comment for the order). */
export function useClass(tags: Readonly<Record<string, unknown>>): UseClass {
  const amenity = text(tags.amenity);
  if (amenity && byAmenity.has(amenity)) return byAmenity.get(amenity)!;
  for (const [key, use] of byPresence) {
    const v = text(tags[key]);
    if (v && v !== 'no') return use;
  }
  const building = text(tags.building) ?? text(tags['building:part']);
  if (building && byBuilding.has(building)) return byBuilding.get(building)!;
  if (building && (USE_CLASSES as readonly string[]).includes(building)) return building as UseClass;
  return 'unknown';
}

/** A GeoJSON `use` property: a use class as is, else read like a `building` value. */
export function useFromProperty(value: unknown): UseClass | null {
  const v = text(value);
  if (!v) return null;
  if ((USE_CLASSES as readonly string[]).includes(v)) return v as UseClass;
  return byBuilding.get(v) ?? 'unknown';
}
