import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { buildingsForTiling, type Db, getDataset, importFeatures, setTileset } from '@placetwin/db';
import { bngTransformMethod, DataError, type DatasetMeta, registerOstn15Grid } from '@placetwin/geo';
import { importerFor } from '@placetwin/importers';
import { buildTileset } from '@placetwin/tiles';
import { ensureSampleArea } from './areas';
import { ostn15GridPath } from './config';
import { pruneTilesetDir, writeTileset } from './tileset-writer';

export interface Progress {
  phase: 'parse' | 'write' | 'tile';
  done: number;
  total?: number;
  unit: string;
}

export interface ImportFileOptions {
  /** Dataset name (slug); default from the file name. */
  dataset?: string;
  /** Overrides the file's own CRS (or gives one where the file has none). */
  crs?: string;
  /** Import the valid features of a file that has some bad ones, and report the bad ones. */
  skipInvalid?: boolean;
  /** Metadata given by the user (title, licence, attribution…) over what the file says. */
  meta?: Partial<DatasetMeta>;
  onProgress?: (p: Progress) => void;
  onReject?: (r: { featureId: string | null; reason: string }) => void;
  /** The council area the dataset belongs to (default `default`). */
  areaId?: string;
  /** Aborting stops the import at its next progress report; its transaction rolls back, so nothing is written. */
  signal?: AbortSignal;
}

export interface ImportSummary {
  file: string;
  dataset: string;
  format: string;
  buildings: number;
  parts: number;
  mapFeatures: number;
  removed: number;
  rejected: { featureId: string | null; reason: string }[];
  seconds: number;
}

/** A dataset name from a file name: `rutland-2022-11.osm.pbf` → `rutland-2022-11`. */
export const datasetNameFromFile = (file: string): string =>
  basename(file)
    .replace(/(\.(osm|pbf|xml|geojson|json|city|jsonl|gml|zip))+$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'dataset';

const DATASET_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Loads Ordnance Survey's OSTN15 grid so British National Grid transforms are millimetric. */
export async function loadOstn15(sampleDataDir: string): Promise<'ostn15' | 'helmert'> {
  if (bngTransformMethod() === 'ostn15') return 'ostn15';
  const path = ostn15GridPath(sampleDataDir);
  if (!path) return 'helmert';
  const b = await readFile(path);
  registerOstn15Grid(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  return 'ostn15';
}

/**
 * Imports one file into one dataset, in one transaction: either every feature is written or none is.
 * Re-importing the same file is idempotent (buildings keep their ids).
 */
export async function importFile(
  db: Db,
  file: string,
  options: ImportFileOptions = {},
): Promise<ImportSummary> {
  const t0 = performance.now();
  const name = options.dataset ?? datasetNameFromFile(file);
  if (!DATASET_NAME.test(name)) {
    throw new DataError(
      'invalid-dataset-name',
      `dataset name "${name}" must be lower-case letters, digits and hyphens (max 63)`,
      { file },
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new DataError('file-not-readable', `cannot read file: ${(e as NodeJS.ErrnoException).code ?? e}`, {
      file,
    });
  }
  options.signal?.throwIfAborted();
  const importer = importerFor(bytes, file);
  const rejected: ImportSummary['rejected'] = [];
  const meta: DatasetMeta = {
    title: name,
    source: basename(file),
    licence: 'unknown',
    attribution: '',
    vintage: null,
    crs: 'EPSG:4326',
    ...importer.meta(file, bytes),
    ...(options.crs ? { crs: options.crs } : {}),
    ...options.meta,
    name,
  };
  const features = importer.parse(bytes, {
    fileName: file,
    crs: options.crs,
    skipInvalid: options.skipInvalid ?? false,
    onProgress: (p) => {
      options.signal?.throwIfAborted();
      options.onProgress?.({ phase: 'parse', ...p });
    },
    onReject: (r) => {
      rejected.push(r);
      options.onReject?.(r);
    },
  });
  const counts = await importFeatures(db, meta, features, {
    areaId: options.areaId,
    onProgress: (p: { done: number; total?: number }) => {
      options.signal?.throwIfAborted();
      options.onProgress?.({ phase: 'write', unit: 'features', ...p });
    },
  });
  return {
    file,
    dataset: name,
    format: importer.name,
    buildings: counts.buildings,
    parts: counts.parts,
    mapFeatures: counts.mapFeatures,
    removed: counts.removed,
    rejected,
    seconds: (performance.now() - t0) / 1000,
  };
}

export interface TileSummary {
  dataset: string;
  tilesetUrl: string;
  buildings: number;
  tiles: number;
  bytes: number;
  seconds: number;
}

/**
 * Builds a dataset's 3D Tiles from the database into `<tilesetsDir>/<dataset>/`. Content files are named by their
 * hash, so they are written once and never change; tileset.json is replaced atomically last, then files it no
 * longer references are removed (sub-folders, such as scenario overlays in `scenarios/`, are left alone).
 */
export async function tileDataset(db: Db, dataset: string, tilesetsDir: string): Promise<TileSummary> {
  const t0 = performance.now();
  const ds = await getDataset(db, dataset);
  if (!ds) throw new DataError('unknown-dataset', `no dataset named "${dataset}" (import one first)`);
  const buildings = await buildingsForTiling(db, dataset);
  const { tileset, files } = await buildTileset(buildings);
  const dir = join(tilesetsDir, dataset);
  const json = JSON.stringify(tileset);
  const bytes = await writeTileset(dir, files, json);
  await pruneTilesetDir(dir, new Set([...files.keys(), 'tileset.json']));
  const url = `/tilesets/${dataset}/tileset.json`;
  await setTileset(db, dataset, { url, hash: createHash('sha256').update(json).digest('hex').slice(0, 16) });
  return {
    dataset,
    tilesetUrl: url,
    buildings: buildings.length,
    tiles: files.size,
    bytes,
    seconds: (performance.now() - t0) / 1000,
  };
}

export const SAMPLE_DATASET = 'rutland';
export const SAMPLE_FILE = 'rutland/rutland-2022-11.osm.pbf';

/**
 * The twin's first start: imports the Rutland OSM extract and tiles it, unless already done.
 * Idempotent and cheap when everything is in place.
 */
export async function ensureSampleData(
  db: Db,
  opts: { tilesetsDir: string; sampleDataDir: string; log?: (msg: string) => void },
): Promise<void> {
  const log = opts.log ?? (() => {});
  await ensureSampleArea(db, opts.sampleDataDir, log);
  await loadOstn15(opts.sampleDataDir);
  let ds = await getDataset(db, SAMPLE_DATASET);
  if (!ds || ds.buildingCount === 0) {
    log(`Importing the sample city from ${join(opts.sampleDataDir, SAMPLE_FILE)} …`);
    const s = await importFile(db, join(opts.sampleDataDir, SAMPLE_FILE), {
      dataset: SAMPLE_DATASET,
      meta: { title: 'Rutland (OpenStreetMap, November 2022)' },
    });
    log(
      `Imported ${s.buildings} buildings, ${s.parts} parts, ${s.mapFeatures} map features in ${s.seconds.toFixed(1)} s`,
    );
    ds = await getDataset(db, SAMPLE_DATASET);
  }
  const tilesetOnDisk = await readFile(join(opts.tilesetsDir, SAMPLE_DATASET, 'tileset.json')).then(
    () => true,
    () => false,
  );
  if (!ds?.tilesetUrl || !tilesetOnDisk) {
    log('Building 3D Tiles for the sample city …');
    const t = await tileDataset(db, SAMPLE_DATASET, opts.tilesetsDir);
    log(
      `Tiled ${t.buildings} buildings into ${t.tiles} tiles (${(t.bytes / 1e6).toFixed(2)} MB) in ${t.seconds.toFixed(1)} s`,
    );
  }
}
