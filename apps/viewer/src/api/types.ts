/**
 * What the Placetwin server answers (apps/server), checked at the edge: the viewer trusts these shapes inside.
 */
import type { BBox, HeightSource } from '@placetwin/geo';

export interface DatasetInfo {
  id: number | string;
  /** Slug, e.g. `rutland`; building ids start with it. */
  name: string;
  title: string;
  buildingCount: number;
  attribution: string;
  licence: string;
  source: string;
  vintage: string | null;
  bbox: BBox | null;
  tilesetUrl: string | null;
}

export interface DatasetProvenance {
  name: string;
  title: string;
  source: string;
  licence: string;
  attribution: string;
  vintage: string | null;
}

export interface BuildingDetails {
  id: string;
  sourceId: string;
  name: string | null;
  use: string | null;
  heightM: number;
  minHeightM: number;
  heightSource: HeightSource | string;
  heightMethod: string;
  storeys: number | null;
  footprintAreaM2: number | null;
  groundElevationM: number | null;
  attributes: Record<string, string | number | boolean | null>;
  dataset: DatasetProvenance;
  /** UPRNs linked to the building (OSM ref:GB:uprn tags, OS Open UPRN points in its footprint). */
  uprns: { uprn: string; source: string }[];
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const strOrNull = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export class ApiShapeError extends Error {
  constructor(what: string, reason: string) {
    super(`The server's ${what} were not understood: ${reason}`);
    this.name = 'ApiShapeError';
  }
}

function parseBbox(v: unknown): BBox | null {
  if (!Array.isArray(v) || v.length !== 4 || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    return null;
  }
  const [w, s, e, n] = v as number[];
  return w <= e && s <= n ? [w, s, e, n] : null;
}

export function parseDatasets(body: unknown): DatasetInfo[] {
  const list = Array.isArray(body)
    ? body
    : isObject(body) && Array.isArray(body.datasets)
      ? body.datasets
      : null;
  if (!list) throw new ApiShapeError('datasets', 'expected a list');
  return list.filter(isObject).map((d, i) => {
    const name = str(d.name);
    if (!name) throw new ApiShapeError('datasets', `dataset ${i} has no name`);
    return {
      id: typeof d.id === 'number' || typeof d.id === 'string' ? d.id : name,
      name,
      title: str(d.title, name),
      buildingCount: num(d.buildingCount) ?? 0,
      attribution: str(d.attribution),
      licence: str(d.licence),
      source: str(d.source),
      vintage: strOrNull(d.vintage),
      bbox: parseBbox(d.bbox),
      tilesetUrl: strOrNull(d.tilesetUrl),
    };
  });
}

function parseProvenance(v: unknown): DatasetProvenance {
  const d = isObject(v) ? v : {};
  return {
    name: str(d.name),
    title: str(d.title, str(d.name)),
    source: str(d.source),
    licence: str(d.licence),
    attribution: str(d.attribution),
    vintage: strOrNull(d.vintage),
  };
}

function parseAttributes(v: unknown): BuildingDetails['attributes'] {
  const out: BuildingDetails['attributes'] = {};
  if (!isObject(v)) return out;
  for (const [k, x] of Object.entries(v)) {
    if (x === null || typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out[k] = x;
    else out[k] = JSON.stringify(x);
  }
  return out;
}

export function parseBuilding(body: unknown): BuildingDetails {
  if (!isObject(body)) throw new ApiShapeError('building details', 'expected an object');
  const id = str(body.id);
  const heightM = num(body.heightM);
  if (!id) throw new ApiShapeError('building details', 'no id');
  if (heightM === null) throw new ApiShapeError('building details', `building ${id} has no height`);
  return {
    id,
    sourceId: str(body.sourceId, id.slice(id.indexOf(':') + 1)),
    name: strOrNull(body.name),
    use: strOrNull(body.use),
    heightM,
    minHeightM: num(body.minHeightM) ?? 0,
    heightSource: str(body.heightSource, 'unknown'),
    heightMethod: str(body.heightMethod),
    storeys: num(body.storeys),
    footprintAreaM2: num(body.footprintAreaM2),
    groundElevationM: num(body.groundElevationM),
    attributes: parseAttributes(body.attributes),
    dataset: parseProvenance(body.dataset),
    uprns: Array.isArray(body.uprns)
      ? body.uprns.filter(isObject).map((u) => ({ uprn: str(u.uprn), source: str(u.source) }))
      : [],
  };
}
