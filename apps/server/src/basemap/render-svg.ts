import type { BBox, GeoJsonGeometry, MapFeature } from '@placetwin/geo';
import {
  type AreaStyle,
  BUILDING_OUTLINE_STYLE,
  DEFAULT_LANDUSE_STYLE,
  DEFAULT_WATERWAY_STYLE,
  LAND_COLOUR,
  LANDUSE_STYLES,
  type LineStyle,
  RAIL_DASH,
  RAIL_STYLES,
  ROAD_ORDER,
  ROAD_STYLES,
  roadStyleKey,
  WATER_AREA_STYLE,
  WATERWAY_STYLES,
  widthAtZoom,
} from './style';
import { TILE_SIZE_PX, type TileAddress, tileProjector } from './tile-math';

/** What the basemap needs of a map feature (the shape `mapFeaturesInBbox` returns). */
export interface BasemapFeature {
  layer: MapFeature['layer'];
  class: string;
  geometry: GeoJsonGeometry;
}

export interface RenderTileOptions {
  /**
   * Extents of the loaded datasets: land colour is painted inside them and drawing is clipped to them; the rest
   * stays transparent. An empty list draws everything, unclipped, on a transparent background.
   */
  landExtents: BBox[];
}

type Project = (lon: number, lat: number) => [number, number];

/** Vertices closer than this to the previous one are dropped: invisible, and they cost render time. */
const MIN_STEP_PX = 0.5;
/** Geometry wholly further than this outside the tile cannot show (widest stroke is well under it). */
const CULL_MARGIN_PX = 64;

const round1 = (v: number) => Math.round(v * 10) / 10;

/** One ring or line as SVG path data (`M x y L …`), or '' when it is too small or wholly off the tile. */
function pathData(coords: number[][], project: Project, closed: boolean): string {
  const out: string[] = [];
  let lastX = Number.NaN;
  let lastY = Number.NaN;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < coords.length; i++) {
    const [x, y] = project(coords[i][0], coords[i][1]);
    const isLast = i === coords.length - 1;
    if (out.length > 0 && !isLast && Math.abs(x - lastX) < MIN_STEP_PX && Math.abs(y - lastY) < MIN_STEP_PX) {
      continue;
    }
    lastX = x;
    lastY = y;
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
    out.push(`${round1(x)} ${round1(y)}`);
  }
  const limit = TILE_SIZE_PX + CULL_MARGIN_PX;
  if (maxX < -CULL_MARGIN_PX || maxY < -CULL_MARGIN_PX || minX > limit || minY > limit) return '';
  if (out.length < (closed ? 3 : 2)) return '';
  if (closed && maxX - minX < MIN_STEP_PX && maxY - minY < MIN_STEP_PX) return '';
  return `M${out.join('L')}${closed ? 'Z' : ''}`;
}

const polygonsOf = (g: GeoJsonGeometry): number[][][][] =>
  g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];

const linesOf = (g: GeoJsonGeometry): number[][][] =>
  g.type === 'LineString' ? [g.coordinates] : g.type === 'MultiLineString' ? g.coordinates : [];

/** Each polygon is its own path so that `evenodd` cuts its holes without cutting into overlapping neighbours. */
function areaPaths(geometry: GeoJsonGeometry, project: Project): string[] {
  return polygonsOf(geometry)
    .map((rings) =>
      rings
        .map((ring) => pathData(ring, project, true))
        .filter(Boolean)
        .join(''),
    )
    .filter((d) => d.startsWith('M'));
}

function linePath(geometry: GeoJsonGeometry, project: Project): string {
  return linesOf(geometry)
    .map((line) => pathData(line, project, false))
    .join('');
}

const num = (v: number) => String(Math.round(v * 100) / 100);

function strokeAttrs(stroke: string, widthPx: number, dash?: [number, number]): string {
  const dashAttr = dash ? ` stroke-dasharray="${num(dash[0] * widthPx)} ${num(dash[1] * widthPx)}"` : '';
  return `fill="none" stroke="${stroke}" stroke-width="${num(widthPx)}"${dashAttr}`;
}

/** Line features grouped by style key, keeping a given draw order. */
class LineGroups {
  readonly byKey = new Map<string, string[]>();
  add(key: string, d: string) {
    if (!d) return;
    const list = this.byKey.get(key);
    if (list) list.push(d);
    else this.byKey.set(key, [d]);
  }
  ordered(order: (key: string) => number): [string, string][] {
    return [...this.byKey.entries()]
      .sort(([a], [b]) => order(a) - order(b))
      .map(([key, parts]) => [key, parts.join('')]);
  }
}

function landRects(landExtents: BBox[], project: Project): string[] {
  return landExtents.flatMap(([w, s, e, n]) => {
    const [x0, y0] = project(w, n);
    const [x1, y1] = project(e, s);
    const left = Math.max(0, x0);
    const top = Math.max(0, y0);
    const right = Math.min(TILE_SIZE_PX, x1);
    const bottom = Math.min(TILE_SIZE_PX, y1);
    if (right <= left || bottom <= top) return [];
    return [
      `<rect x="${num(left)}" y="${num(top)}" width="${num(right - left)}" height="${num(bottom - top)}" fill="${LAND_COLOUR}"/>`,
    ];
  });
}

/**
 * Draws one Web Mercator raster tile (256 px) of the offline basemap as an SVG document: land colour inside the
 * datasets' extents (and nothing outside them), land use, water, building outlines, roads (casing under fill, minor under major) and
 * railways. Pure: the same features give the same string.
 */
export function renderTileSvg(
  tile: TileAddress,
  features: BasemapFeature[],
  options: RenderTileOptions,
): string {
  const { z } = tile;
  const project = tileProjector(tile);
  const landuse: string[] = [];
  const waterAreas: string[] = [];
  const buildings: string[] = [];
  const waterways = new LineGroups();
  const roads = new LineGroups();
  const rails = new LineGroups();

  const areaStyleOf = (f: BasemapFeature): AreaStyle | null => {
    if (f.layer === 'landuse') return LANDUSE_STYLES[f.class] ?? DEFAULT_LANDUSE_STYLE;
    if (f.layer === 'water') return WATER_AREA_STYLE;
    return null;
  };

  for (const f of features) {
    const isArea = f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon';
    if (isArea) {
      if (f.layer === 'building-outline') {
        if (z >= BUILDING_OUTLINE_STYLE.minZoom) buildings.push(...areaPaths(f.geometry, project));
        continue;
      }
      const style = areaStyleOf(f);
      if (!style || z < style.minZoom) continue;
      const paths = areaPaths(f.geometry, project).map((d) => `<path d="${d}" fill="${style.fill}"/>`);
      (f.layer === 'water' ? waterAreas : landuse).push(...paths);
      continue;
    }
    if (f.layer === 'road') {
      const key = roadStyleKey(f.class);
      if (key && z >= ROAD_STYLES[key].minZoom) roads.add(key, linePath(f.geometry, project));
    } else if (f.layer === 'rail') {
      const style = RAIL_STYLES[f.class];
      if (style && z >= style.minZoom) rails.add(f.class, linePath(f.geometry, project));
    } else if (f.layer === 'water') {
      const style = WATERWAY_STYLES[f.class] ?? DEFAULT_WATERWAY_STYLE;
      if (z >= style.minZoom) waterways.add(f.class, linePath(f.geometry, project));
    }
  }

  const land = landRects(options.landExtents, project);
  const body: string[] = [...land, ...landuse, ...waterAreas];
  for (const [cls, d] of waterways.ordered(() => 0)) {
    const style: LineStyle = WATERWAY_STYLES[cls] ?? DEFAULT_WATERWAY_STYLE;
    body.push(`<path d="${d}" ${strokeAttrs(style.stroke, widthAtZoom(style.widthPx, z))}/>`);
  }
  if (buildings.length > 0) {
    body.push(
      `<g fill="${BUILDING_OUTLINE_STYLE.fill}" stroke="${BUILDING_OUTLINE_STYLE.stroke}" stroke-width="0.5">${buildings
        .map((d) => `<path d="${d}"/>`)
        .join('')}</g>`,
    );
  }
  const roadGroups = roads.ordered((key) => ROAD_ORDER.get(key) ?? 0);
  for (const [key, d] of roadGroups) {
    const style = ROAD_STYLES[key];
    if (!style.casing) continue;
    const width = widthAtZoom(style.widthPx, z) + 2 * widthAtZoom(style.casingPx ?? 0.5, z);
    body.push(`<path d="${d}" ${strokeAttrs(style.casing, width)}/>`);
  }
  for (const [key, d] of roadGroups) {
    const style = ROAD_STYLES[key];
    const width = widthAtZoom(style.widthPx, z);
    body.push(`<path d="${d}" ${strokeAttrs(style.stroke, width, style.dash)}/>`);
  }
  for (const [cls, d] of rails.ordered(() => 0)) {
    const width = widthAtZoom(RAIL_STYLES[cls].widthPx, z);
    body.push(`<path d="${d}" ${strokeAttrs(RAIL_STYLES[cls].stroke, width)}/>`);
    body.push(
      `<path d="${d}" ${strokeAttrs(RAIL_DASH.stroke, width * RAIL_DASH.widthRatio, RAIL_DASH.dash)}/>`,
    );
  }

  // Everything is clipped to the data's extent so the map ends in a clean edge instead of stray road ends.
  const clipped = options.landExtents.length > 0;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${TILE_SIZE_PX}" height="${TILE_SIZE_PX}" ` +
    `viewBox="0 0 ${TILE_SIZE_PX} ${TILE_SIZE_PX}" stroke-linecap="round" stroke-linejoin="round" ` +
    `fill-rule="evenodd">${clipped ? `<clipPath id="land">${land.join('')}</clipPath><g clip-path="url(#land)">` : ''}` +
    `${body.join('')}${clipped ? '</g>' : ''}</svg>`
  );
}
