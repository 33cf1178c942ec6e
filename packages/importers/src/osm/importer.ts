import type { DatasetMeta, ImportedFeature } from '@placetwin/geo';
import {
  baseName,
  eventLoopBreather,
  headText,
  type Importer,
  type ImportOptions,
  RejectPolicy,
} from '../types';
import { assembleOsm, type OsmAssemblyStats } from './assemble';
import { OsmData, type OsmHeader, type OsmSink } from './model';
import { looksLikeOsmPbf, readOsmPbf, readOsmPbfHeader } from './pbf';
import { looksLikeOsmXml, readOsmXml, readOsmXmlHeader } from './xml';

type OsmReader = (bytes: Uint8Array, sink: OsmSink, fileName: string) => Generator<number, OsmHeader>;

const OSM_META = {
  source: 'OpenStreetMap',
  licence: 'ODbL-1.0',
  attribution: '© OpenStreetMap contributors',
  crs: 'EPSG:4326',
} as const;

/** `rutland-2022-11.osm.pbf` → `2022-11`: a date in the file name, when there is one. */
const vintageFromName = (fileName: string): string | null =>
  /(?:^|[^\d])((?:19|20)\d\d(?:-[01]\d(?:-[0-3]\d)?)?)(?:[^\d]|$)/.exec(baseName(fileName))?.[1] ?? null;

/** Reads the whole file (progress in bytes), then assembles features lazily (progress in elements). */
async function* parseOsm(
  read: OsmReader,
  bytes: Uint8Array,
  options: ImportOptions,
  stats?: OsmAssemblyStats,
): AsyncGenerator<ImportedFeature> {
  const breathe = eventLoopBreather();
  const data = new OsmData();
  const reader = read(bytes, data, options.fileName);
  for (let step = reader.next(); ; step = reader.next()) {
    if (step.done) {
      data.header = step.value;
      break;
    }
    options.onProgress?.({ done: step.value, total: bytes.length, unit: 'bytes' });
    await breathe();
  }
  data.nodes.seal();
  const policy = new RejectPolicy(options);
  const s: OsmAssemblyStats = stats ?? {
    buildingWays: 0,
    buildingRelations: 0,
    partWays: 0,
    partRelations: 0,
    mapFeatures: 0,
    incomplete: 0,
    invalid: 0,
  };
  for (const f of assembleOsm(data, options, policy, s)) {
    yield f;
    await breathe();
  }
}

/** The header of an OSM file, read on its own (for meta); null when unreadable (parse will say why). */
function osmHeader(format: 'pbf' | 'xml', bytes: Uint8Array, fileName: string): OsmHeader | null {
  try {
    return format === 'pbf' ? readOsmPbfHeader(bytes, fileName) : readOsmXmlHeader(headText(bytes, 8192));
  } catch {
    return null;
  }
}

function osmMeta(format: 'pbf' | 'xml', fileName: string, bytes?: Uint8Array): Partial<DatasetMeta> {
  const header = bytes ? osmHeader(format, bytes, fileName) : null;
  return {
    ...OSM_META,
    vintage: header?.timestamp?.slice(0, 10) ?? vintageFromName(fileName),
  };
}

export const osmPbfImporter: Importer = {
  name: 'osm-pbf',
  extensions: ['.osm.pbf', '.pbf'],
  meta: (fileName, bytes) => osmMeta('pbf', fileName, bytes),
  detect: (head, fileName) =>
    looksLikeOsmPbf(head) || (head.length === 0 && baseName(fileName).endsWith('.pbf')),
  parse: (bytes, options) => parseOsm(readOsmPbf, bytes, options),
};

export const osmXmlImporter: Importer = {
  name: 'osm-xml',
  extensions: ['.osm', '.osm.xml'],
  meta: (fileName, bytes) => osmMeta('xml', fileName, bytes),
  detect: (head, fileName) => {
    const text = headText(head);
    if (text.startsWith('<')) return looksLikeOsmXml(text);
    return text === '' && /\.osm(\.xml)?$/.test(baseName(fileName));
  },
  parse: (bytes, options) => parseOsm(readOsmXml, bytes, options),
};

/** For tests and reports: parse with access to the assembly counts. */
export function parseOsmWithStats(
  format: 'pbf' | 'xml',
  bytes: Uint8Array,
  options: ImportOptions,
  stats: OsmAssemblyStats,
): AsyncGenerator<ImportedFeature> {
  return parseOsm(format === 'pbf' ? readOsmPbf : readOsmXml, bytes, options, stats);
}
