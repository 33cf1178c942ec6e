/**
 * The OSM elements of one file, held compactly for assembling geometry: node coordinates in typed arrays
 * (looked up by binary search over sorted ids), ways with their node ids, and relations.
 * Node tags are not kept here (OsmData draws no OSM points); osm/points.ts reads them for points of interest.
 */

export type OsmTags = Record<string, string>;

export interface OsmWay {
  id: number;
  refs: Float64Array;
  tags: OsmTags | null;
}

export interface OsmMember {
  type: 'node' | 'way' | 'relation';
  ref: number;
  role: string;
}

export interface OsmRelation {
  id: number;
  members: OsmMember[];
  tags: OsmTags | null;
}

/** What an OSM file says about itself. */
export interface OsmHeader {
  /** ISO 8601 time the data is current to (PBF osmosis_replication_timestamp, XML `timestamp`). */
  timestamp: string | null;
  writingProgram: string | null;
  /** West, south, east, north in degrees, when the file gives its extent. */
  bbox: [number, number, number, number] | null;
  /** Features a PBF reader must support (`OsmSchema-V0.6`, `DenseNodes`, ...). */
  requiredFeatures: string[];
}

/** Receives elements in file order from a PBF or XML reader. */
export interface OsmSink {
  node(id: number, lon: number, lat: number): void;
  /** A node's tags, after its node() call; only readers whose sink has this method decode node tags. */
  nodeTags?(id: number, tags: OsmTags): void;
  way(id: number, refs: Float64Array, tags: OsmTags | null): void;
  relation(id: number, members: OsmMember[], tags: OsmTags | null): void;
}

/** Node coordinates by id. */
export class NodeStore {
  private ids = new Float64Array(1 << 16);
  private coords = new Float64Array(1 << 17);
  private n = 0;
  private sorted = true;

  get size(): number {
    return this.n;
  }

  add(id: number, lon: number, lat: number): void {
    if (this.n === this.ids.length) {
      const ids = new Float64Array(this.ids.length * 2);
      ids.set(this.ids);
      this.ids = ids;
      const coords = new Float64Array(this.coords.length * 2);
      coords.set(this.coords);
      this.coords = coords;
    }
    if (this.n > 0 && id <= this.ids[this.n - 1]) this.sorted = false;
    this.ids[this.n] = id;
    this.coords[this.n * 2] = lon;
    this.coords[this.n * 2 + 1] = lat;
    this.n++;
  }

  /** Sorts by id if the file was not sorted (files in id order, as PBF extracts are, skip this). */
  seal(): void {
    this.ids = this.ids.slice(0, this.n);
    this.coords = this.coords.slice(0, this.n * 2);
    if (this.sorted) return;
    const order = Array.from({ length: this.n }, (_, i) => i).sort((a, b) => this.ids[a] - this.ids[b]);
    const ids = new Float64Array(this.n);
    const coords = new Float64Array(this.n * 2);
    order.forEach((from, to) => {
      ids[to] = this.ids[from];
      coords[to * 2] = this.coords[from * 2];
      coords[to * 2 + 1] = this.coords[from * 2 + 1];
    });
    this.ids = ids;
    this.coords = coords;
    this.sorted = true;
  }

  /** Index of a node (for `lon`/`lat`), or -1 when the file does not have it. Call after seal(). */
  indexOf(id: number): number {
    let lo = 0;
    let hi = this.n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.ids[mid];
      if (v === id) return mid;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  lon(index: number): number {
    return this.coords[index * 2];
  }

  lat(index: number): number {
    return this.coords[index * 2 + 1];
  }
}

/** All elements of a file, in memory. */
export class OsmData implements OsmSink {
  readonly nodes = new NodeStore();
  readonly ways = new Map<number, OsmWay>();
  readonly relations: OsmRelation[] = [];
  header: OsmHeader = { timestamp: null, writingProgram: null, bbox: null, requiredFeatures: [] };

  node(id: number, lon: number, lat: number): void {
    this.nodes.add(id, lon, lat);
  }

  way(id: number, refs: Float64Array, tags: OsmTags | null): void {
    this.ways.set(id, { id, refs, tags });
  }

  relation(id: number, members: OsmMember[], tags: OsmTags | null): void {
    this.relations.push({ id, members, tags });
  }
}
