import { DataError } from '@placetwin/geo';
import { NodeStore, type OsmHeader, type OsmSink, type OsmTags } from './model';
import { looksLikeOsmPbf, readOsmPbf } from './pbf';

/** A point of interest from OSM: a tagged node, or a closed way (area) at the mean of its vertices. */
export interface OsmPoint {
  /** `node/123` or `way/456`. */
  sourceId: string;
  lon: number;
  lat: number;
  tags: OsmTags;
}

/** Collects node positions, the tagged nodes `keep` accepts, and the closed ways it accepts. */
class PointSink implements OsmSink {
  readonly nodes = new NodeStore();
  readonly points: OsmPoint[] = [];
  readonly ways: { id: number; refs: Float64Array; tags: OsmTags }[] = [];
  private last = { id: Number.NaN, lon: 0, lat: 0 };

  constructor(private keep: (tags: OsmTags) => boolean) {}

  node(id: number, lon: number, lat: number): void {
    this.nodes.add(id, lon, lat);
    this.last = { id, lon, lat };
  }

  nodeTags(id: number, tags: OsmTags): void {
    if (id === this.last.id && this.keep(tags))
      this.points.push({ sourceId: `node/${id}`, lon: this.last.lon, lat: this.last.lat, tags });
  }

  way(id: number, refs: Float64Array, tags: OsmTags | null): void {
    if (tags && refs.length >= 4 && refs[0] === refs[refs.length - 1] && this.keep(tags))
      this.ways.push({ id, refs, tags });
  }

  relation(): void {}
}

/**
 * Points of interest of an OSM PBF file: tagged nodes and closed ways whose tags `keep` accepts (a shop mapped as
 * a node, a park or school grounds mapped as an area). An area becomes the mean of its vertices, which is inside
 * convex areas and near the middle of most others; multipolygon relations (large parks, some school grounds) are
 * not read. Ways cut by the extract's border are skipped. Throws DataError for a file that is not OSM PBF.
 */
export function osmPointsOfInterest(
  bytes: Uint8Array,
  fileName: string,
  keep: (tags: OsmTags) => boolean,
): { header: OsmHeader; points: OsmPoint[]; cutWays: number } {
  if (!looksLikeOsmPbf(bytes.subarray(0, 64)))
    throw new DataError('unsupported-format', 'points of interest are read from OSM PBF files only', {
      file: fileName,
    });
  const sink = new PointSink(keep);
  const reader = readOsmPbf(bytes, sink, fileName);
  let step = reader.next();
  while (!step.done) step = reader.next();
  sink.nodes.seal();
  const points = [...sink.points];
  let cutWays = 0;
  for (const w of sink.ways) {
    let lon = 0;
    let lat = 0;
    let complete = true;
    // The closing vertex repeats the first: leave it out of the mean.
    for (let i = 0; i + 1 < w.refs.length; i++) {
      const k = sink.nodes.indexOf(w.refs[i]);
      if (k < 0) {
        complete = false;
        break;
      }
      lon += sink.nodes.lon(k);
      lat += sink.nodes.lat(k);
    }
    if (!complete) {
      cutWays++;
      continue;
    }
    const n = w.refs.length - 1;
    points.push({ sourceId: `way/${w.id}`, lon: lon / n, lat: lat / n, tags: w.tags });
  }
  return { header: step.value, points, cutWays };
}
