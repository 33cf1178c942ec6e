/**
 * Ground shadows of a dataset's buildings over a WGS84 box at one instant: computed in British National Grid
 * metres with @placetwin/solar, clipped to the box, returned as WGS84 GeoJSON.
 */
import type { Db } from '@placetwin/db';
import { type BBox, signedRingArea, transformer } from '@placetwin/geo';
import {
  bngGridNorthDeg,
  type Obstacle,
  type SunPosition,
  shadowFootprints,
  sunPosition,
} from '@placetwin/solar';
import { intersection } from 'polyclip-ts';
import { bngRingOfWgs84Box, checkInGreatBritain, shadeCasters } from './solarObstacles';

/** Casters are looked for this far around the box at most, however low the sun (a 25 m building at 2.9°). */
export const MAX_SHADOW_REACH_M = 500;
/** The height assumed for the furthest caster when deciding how far to look: a tall building in a UK town. */
export const REACH_HEIGHT_M = 50;

export interface GroundShadowsRequest {
  dataset: string;
  /** An instant: epoch ms, a Date, or ISO 8601 with Z or an offset. */
  time: string | number | Date;
  bbox: BBox;
}

export interface ShadowFeature {
  type: 'Feature';
  properties: { areaM2: number };
  geometry: { type: 'Polygon'; coordinates: number[][][] };
}

export interface GroundShadows {
  type: 'FeatureCollection';
  features: ShadowFeature[];
  dataset: string;
  time: string;
  bbox: BBox;
  /** The sun at the box's centre (azimuth clockwise from true north; apparent = with refraction). */
  sun: Pick<SunPosition, 'azimuthDeg' | 'elevationDeg' | 'apparentElevationDeg'> & { aboveHorizon: boolean };
  /** Shadow length per metre of building height, and the shadows' bearing from true north. */
  shadowLengthPerHeightM: number | null;
  shadowBearingDeg: number;
  /** Buildings whose shadows were computed (those that can reach the box). */
  buildings: number;
  computedIn: 'EPSG:27700';
}

type Pair = [number, number];

function shadowBoxHits(ob: Obstacle, reachX: number, reachY: number, box: number[]): boolean {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const poly of ob.footprint)
    for (let k = 0; k < poly[0].length; k += 2) {
      x0 = Math.min(x0, poly[0][k]);
      x1 = Math.max(x1, poly[0][k]);
      y0 = Math.min(y0, poly[0][k + 1]);
      y1 = Math.max(y1, poly[0][k + 1]);
    }
  const sx0 = Math.min(x0, x0 + reachX * ob.heightM);
  const sx1 = Math.max(x1, x1 + reachX * ob.heightM);
  const sy0 = Math.min(y0, y0 + reachY * ob.heightM);
  const sy1 = Math.max(y1, y1 + reachY * ob.heightM);
  return !(sx1 < box[0] || sx0 > box[2] || sy1 < box[1] || sy0 > box[3]);
}

/**
 * The union of the ground shadows (footprints included) that fall in the box, one feature per polygon. Casters
 * are the dataset's buildings within min(500 m, 50 m / tan(sun elevation)) of the box whose shadows can reach it.
 */
export async function groundShadows(db: Db, request: GroundShadowsRequest): Promise<GroundShadows> {
  const [w, s, e, n] = request.bbox;
  const lon = (w + e) / 2;
  const lat = (s + n) / 2;
  checkInGreatBritain(lon, lat, 'the bbox centre');
  const sun = sunPosition(request.time, { latDeg: lat, lonDeg: lon });
  const time = new Date(
    typeof request.time === 'string' ? Date.parse(request.time) : request.time,
  ).toISOString();
  const gridNorthDeg = bngGridNorthDeg(lon, lat);
  const aboveHorizon = sun.apparentElevationDeg > 0;
  const result: GroundShadows = {
    type: 'FeatureCollection',
    features: [],
    dataset: request.dataset,
    time,
    bbox: request.bbox,
    sun: {
      azimuthDeg: sun.azimuthDeg,
      elevationDeg: sun.elevationDeg,
      apparentElevationDeg: sun.apparentElevationDeg,
      aboveHorizon,
    },
    shadowLengthPerHeightM: null,
    shadowBearingDeg: (sun.azimuthDeg + 180) % 360,
    buildings: 0,
    computedIn: 'EPSG:27700',
  };
  if (!aboveHorizon) return result;

  const perHeight = 1 / Math.tan((sun.apparentElevationDeg * Math.PI) / 180);
  result.shadowLengthPerHeightM = perHeight;
  const clip = bngRingOfWgs84Box(request.bbox);
  const box = [
    Math.min(...clip.map((p) => p[0])),
    Math.min(...clip.map((p) => p[1])),
    Math.max(...clip.map((p) => p[0])),
    Math.max(...clip.map((p) => p[1])),
  ];
  const reachM = Math.min(MAX_SHADOW_REACH_M, REACH_HEIGHT_M * perHeight);
  const { obstacles } = await shadeCasters(
    db,
    request.dataset,
    box as [number, number, number, number],
    reachM,
  );
  // Shadow direction in the grid: away from the sun, turned by the grid convergence.
  const a = ((sun.azimuthDeg - gridNorthDeg + 180) * Math.PI) / 180;
  const reachX = Math.sin(a) * perHeight;
  const reachY = Math.cos(a) * perHeight;
  const casters = obstacles.filter((ob) => shadowBoxHits(ob, reachX, reachY, box));
  result.buildings = casters.length;
  if (casters.length === 0) return result;

  const shadows = shadowFootprints(casters, sun, { gridNorthDeg, source: `dataset ${request.dataset}` });
  const clipped = intersection(shadows.geometry.coordinates as Pair[][][], [clip]);
  const toWgs = transformer('EPSG:27700', 'EPSG:4326');
  const round7 = (v: number) => Math.round(v * 1e7) / 1e7;
  for (const poly of clipped) {
    let areaM2 = 0;
    poly.forEach((ring, i) => {
      const a2 = Math.abs(signedRingArea(Float64Array.from(ring.slice(0, -1).flat())));
      areaM2 += i === 0 ? a2 : -a2;
    });
    result.features.push({
      type: 'Feature',
      properties: { areaM2: Math.round(areaM2 * 100) / 100 },
      geometry: {
        type: 'Polygon',
        coordinates: poly.map((ring) =>
          ring.map(([x, y]) => {
            const [lon2, lat2] = toWgs(x, y);
            return [round7(lon2), round7(lat2)];
          }),
        ),
      },
    });
  }
  return result;
}
