import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BBox } from '@placetwin/geo';
import { LRUCache } from 'lru-cache';
import { svgToPng, transparentTilePng } from './render-png';
import { type BasemapFeature, renderTileSvg } from './render-svg';
import { bboxesIntersect, TILE_SIZE_PX, type TileAddress, tileBbox } from './tile-math';

/** Where the basemap's features come from (the database, in the server). */
export interface BasemapSource {
  /** Extents of the loaded data and a key that changes whenever that data changes. */
  coverage(): Promise<{ version: string; extents: BBox[] }>;
  /** Map features intersecting `bbox`, at most `limit`, simplified to `toleranceDeg`. */
  features(bbox: BBox, options: { limit: number; toleranceDeg: number }): Promise<BasemapFeature[]>;
}

export interface BasemapTile {
  png: Buffer;
  /** Strong validator (content hash). */
  etag: string;
  /** False for the shared transparent tile outside the data. */
  drawn: boolean;
}

export interface BasemapTilesOptions {
  /** Rendered tiles are kept under `<cacheDir>/<version>/z/x/y.png`; null keeps them in memory only. */
  cacheDir: string | null;
  /** Bytes of PNG kept in memory (LRU). */
  memoryCacheBytes?: number;
  /** Most features drawn on one tile; beyond it a low-zoom tile is drawn from a subset. */
  maxFeatures?: number;
  /** How long the data extents are trusted before asking the source again (ms). */
  coverageTtlMs?: number;
}

/** Bumped when the cartography changes, so tiles cached on disk by an older style are not reused. */
export const BASEMAP_STYLE_VERSION = 1;

/** Features a little outside the tile still draw into it (road widths, casings): fetch them too. */
const FETCH_MARGIN_PX = 16;

const etagOf = (png: Buffer) => `"${createHash('sha256').update(png).digest('base64url').slice(0, 27)}"`;

/** A disk cache folder name is a version key: hex only, so nothing else in the folder is ever removed. */
const VERSION_DIR = /^[0-9a-f]{16}$/;

/**
 * The offline basemap: renders Web Mercator tiles from map features on first request, then serves them from
 * memory (LRU) or disk. Tiles outside every dataset's extent are one shared transparent PNG, answered without
 * touching the source. Concurrent requests for the same tile share one render.
 */
export class BasemapTiles {
  private readonly memory: LRUCache<string, BasemapTile>;
  private readonly inFlight = new Map<string, Promise<BasemapTile>>();
  private coverageCache: { at: number; value: Promise<{ version: string; extents: BBox[] }> } | null = null;
  private prunedFor: string | null = null;
  private readonly maxFeatures: number;
  private readonly coverageTtlMs: number;

  constructor(
    private readonly source: BasemapSource,
    private readonly options: BasemapTilesOptions,
  ) {
    this.memory = new LRUCache({
      maxSize: options.memoryCacheBytes ?? 64 * 1024 * 1024,
      sizeCalculation: (t) => t.png.byteLength + 64,
    });
    this.maxFeatures = options.maxFeatures ?? 50_000;
    this.coverageTtlMs = options.coverageTtlMs ?? 5_000;
  }

  async tile(address: TileAddress): Promise<BasemapTile> {
    const { version, extents } = await this.coverage();
    const bbox = tileBbox(address);
    if (!extents.some((e) => bboxesIntersect(e, bbox))) return this.transparent();
    const key = `${version}/${address.z}/${address.x}/${address.y}`;
    const cached = this.memory.get(key);
    if (cached) return cached;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.load(version, extents, address).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    const tile = await pending;
    this.memory.set(key, tile);
    return tile;
  }

  private async transparent(): Promise<BasemapTile> {
    const png = await transparentTilePng();
    return { png, etag: etagOf(png), drawn: false };
  }

  private coverage(): Promise<{ version: string; extents: BBox[] }> {
    const now = Date.now();
    if (!this.coverageCache || now - this.coverageCache.at > this.coverageTtlMs) {
      const value = this.source.coverage().then(({ version, extents }) => ({
        version: createHash('sha256')
          .update(`${BASEMAP_STYLE_VERSION}:${version}`)
          .digest('hex')
          .slice(0, 16),
        extents,
      }));
      // A failed lookup must not be remembered: the next request asks again.
      value.catch(() => {
        if (this.coverageCache?.value === value) this.coverageCache = null;
      });
      this.coverageCache = { at: now, value };
    }
    return this.coverageCache.value;
  }

  private async load(version: string, extents: BBox[], address: TileAddress): Promise<BasemapTile> {
    const file = this.options.cacheDir
      ? join(this.options.cacheDir, version, String(address.z), String(address.x), `${address.y}.png`)
      : null;
    if (file) {
      const onDisk = await readFile(file).catch(() => null);
      if (onDisk) return { png: onDisk, etag: etagOf(onDisk), drawn: true };
    }
    const bbox = tileBbox(address, FETCH_MARGIN_PX);
    // Simplify to about half a pixel: finer detail cannot show, and it costs transfer and render time.
    const toleranceDeg = (0.5 * (bbox[3] - bbox[1])) / (TILE_SIZE_PX + 2 * FETCH_MARGIN_PX);
    const features = await this.source.features(bbox, { limit: this.maxFeatures, toleranceDeg });
    const png = await svgToPng(renderTileSvg(address, features, { landExtents: extents }));
    if (file) await this.writeToDisk(file, png, version);
    return { png, etag: etagOf(png), drawn: true };
  }

  /** Written under a temporary name then renamed, so a reader never sees half a PNG. */
  private async writeToDisk(file: string, png: Buffer, version: string): Promise<void> {
    const dir = join(file, '..');
    await mkdir(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(tmp, png);
    await rename(tmp, file);
    if (this.prunedFor !== version) {
      this.prunedFor = version;
      await this.pruneOtherVersions(version);
    }
  }

  /** Tiles drawn from data that has since changed are never served again: free their disk space. */
  private async pruneOtherVersions(current: string): Promise<void> {
    const root = this.options.cacheDir;
    if (!root) return;
    const entries = await readdir(root).catch(() => [] as string[]);
    await Promise.all(
      entries
        .filter((name) => VERSION_DIR.test(name) && name !== current)
        .map((name) => rm(join(root, name), { recursive: true, force: true })),
    );
  }
}
