/**
 * The offline basemap's cartography as data: one descriptor per OSM class, after the OpenStreetMap Carto palette
 * so that the map reads like the one people know. Widths are pixels at zoom 15 and scale with zoom
 * (`widthAtZoom`). Adding a class means adding one entry here.
 */

export interface AreaStyle {
  fill: string;
  /** Below this zoom the area is not drawn (keeps low-zoom tiles light). */
  minZoom: number;
}

export interface LineStyle {
  stroke: string;
  /** Pixels at zoom 15. */
  widthPx: number;
  minZoom: number;
  /** Darker edge drawn under the line, `casingPx` wider on each side. */
  casing?: string;
  casingPx?: number;
  /** SVG dash pattern in multiples of the line width. */
  dash?: [number, number];
}

/** The land colour behind everything inside a dataset's extent. */
export const LAND_COLOUR = '#f2efe9';

export const LANDUSE_STYLES: Record<string, AreaStyle> = {
  farmland: { fill: '#eef0d5', minZoom: 8 },
  meadow: { fill: '#cdebb0', minZoom: 8 },
  grass: { fill: '#cdebb0', minZoom: 12 },
  grassland: { fill: '#cdebb0', minZoom: 10 },
  heath: { fill: '#d6d99f', minZoom: 10 },
  scrub: { fill: '#c8d7ab', minZoom: 10 },
  forest: { fill: '#add19e', minZoom: 8 },
  wood: { fill: '#add19e', minZoom: 8 },
  orchard: { fill: '#aedfa3', minZoom: 11 },
  farmyard: { fill: '#f5dcba', minZoom: 11 },
  allotments: { fill: '#c9e1bf', minZoom: 12 },
  residential: { fill: '#e0dfdf', minZoom: 9 },
  commercial: { fill: '#f2dad9', minZoom: 10 },
  retail: { fill: '#ffd6d1', minZoom: 10 },
  industrial: { fill: '#ebdbe8', minZoom: 10 },
  railway: { fill: '#ebdbe8', minZoom: 11 },
  construction: { fill: '#c7c7b4', minZoom: 11 },
  brownfield: { fill: '#c7c7b4', minZoom: 11 },
  greenfield: { fill: '#c7c7b4', minZoom: 11 },
  quarry: { fill: '#c5c3c3', minZoom: 10 },
  cemetery: { fill: '#aacbaf', minZoom: 12 },
  grave_yard: { fill: '#aacbaf', minZoom: 12 },
  park: { fill: '#c8facc', minZoom: 11 },
  garden: { fill: '#c8facc', minZoom: 13 },
  recreation_ground: { fill: '#dffce2', minZoom: 11 },
  village_green: { fill: '#cdebb0', minZoom: 12 },
  pitch: { fill: '#aae0cb', minZoom: 13 },
  golf_course: { fill: '#b5e3b5', minZoom: 11 },
  nature_reserve: { fill: '#d6e8c6', minZoom: 9 },
};

/** Any other land use class: a quiet tint rather than nothing, so the map has no holes. */
export const DEFAULT_LANDUSE_STYLE: AreaStyle = { fill: '#e8e6dd', minZoom: 11 };

export const WATER_AREA_STYLE: AreaStyle = { fill: '#aad3df', minZoom: 8 };

export const WATERWAY_STYLES: Record<string, LineStyle> = {
  river: { stroke: '#aad3df', widthPx: 4, minZoom: 9 },
  canal: { stroke: '#aad3df', widthPx: 3, minZoom: 10 },
  stream: { stroke: '#aad3df', widthPx: 1.5, minZoom: 13 },
  brook: { stroke: '#aad3df', widthPx: 1.5, minZoom: 13 },
  drain: { stroke: '#aad3df', widthPx: 1, minZoom: 14 },
  ditch: { stroke: '#aad3df', widthPx: 1, minZoom: 14 },
};
export const DEFAULT_WATERWAY_STYLE: LineStyle = { stroke: '#aad3df', widthPx: 1, minZoom: 14 };

export const BUILDING_OUTLINE_STYLE = { fill: '#d9d0c9', stroke: '#c4b6ab', minZoom: 14 } as const;

/** Roads from the least to the most important: later entries draw on top. `_link` ramps use their road's style. */
export const ROAD_STYLES: Record<string, LineStyle> = {
  path: { stroke: '#fa8072', widthPx: 1, minZoom: 15, dash: [2, 1.5] },
  footway: { stroke: '#fa8072', widthPx: 1, minZoom: 15, dash: [2, 1.5] },
  cycleway: { stroke: '#0000ff', widthPx: 1, minZoom: 15, dash: [2, 1.5] },
  bridleway: { stroke: '#008000', widthPx: 1, minZoom: 15, dash: [2, 1.5] },
  steps: { stroke: '#fa8072', widthPx: 2, minZoom: 16, dash: [0.5, 0.5] },
  track: { stroke: '#996600', widthPx: 1.5, minZoom: 14, dash: [3, 1.5] },
  service: { stroke: '#ffffff', widthPx: 2.5, minZoom: 14, casing: '#bbbbbb', casingPx: 0.5 },
  living_street: { stroke: '#ededed', widthPx: 4, minZoom: 13, casing: '#c6c6c6', casingPx: 0.75 },
  road: { stroke: '#ffffff', widthPx: 4, minZoom: 13, casing: '#c6c6c6', casingPx: 0.75 },
  unclassified: { stroke: '#ffffff', widthPx: 5, minZoom: 12, casing: '#c6c6c6', casingPx: 0.75 },
  residential: { stroke: '#ffffff', widthPx: 5, minZoom: 12, casing: '#c6c6c6', casingPx: 0.75 },
  tertiary: { stroke: '#ffffff', widthPx: 6.5, minZoom: 11, casing: '#8f8f8f', casingPx: 0.75 },
  secondary: { stroke: '#f7fabf', widthPx: 7, minZoom: 9, casing: '#707d05', casingPx: 0.75 },
  primary: { stroke: '#fcd6a4', widthPx: 7.5, minZoom: 8, casing: '#a06b00', casingPx: 0.75 },
  trunk: { stroke: '#f9b29c', widthPx: 8, minZoom: 7, casing: '#c84e2f', casingPx: 0.75 },
  motorway: { stroke: '#e892a2', widthPx: 8, minZoom: 6, casing: '#dc2a67', casingPx: 0.75 },
};

export const RAIL_STYLES: Record<string, LineStyle> = {
  rail: { stroke: '#707070', widthPx: 2.5, minZoom: 9 },
  light_rail: { stroke: '#666666', widthPx: 2, minZoom: 11 },
  narrow_gauge: { stroke: '#666666', widthPx: 2, minZoom: 11 },
  tram: { stroke: '#444444', widthPx: 1.5, minZoom: 12 },
  preserved: { stroke: '#999999', widthPx: 2, minZoom: 11 },
};

/** Rail is drawn as a grey line with white dashes inside it, the usual railway symbol. */
export const RAIL_DASH = { stroke: '#ffffff', widthRatio: 0.45, dash: [3, 3] as [number, number] };

/**
 * Widths grow with zoom, but slower than the ground does (×1.5 per level rather than ×2): minor roads stay
 * visible when zoomed out and streets do not swell into fields when zoomed in. Capped at 8× the zoom-15 width.
 */
export const widthAtZoom = (widthPxAtZ15: number, z: number): number =>
  widthPxAtZ15 * Math.min(8, 2 ** ((z - 15) * 0.6));

/** The style key of an OSM highway class (`primary_link` → `primary`), or null if roads of it are not drawn. */
export const roadStyleKey = (cls: string): string | null => {
  const base = cls.endsWith('_link') ? cls.slice(0, -5) : cls;
  return base in ROAD_STYLES ? base : null;
};

/** Draw order of road classes: index in `ROAD_STYLES`. */
export const ROAD_ORDER: ReadonlyMap<string, number> = new Map(
  Object.keys(ROAD_STYLES).map((k, i) => [k, i]),
);
