import type { Document } from '@gltf-transform/core';
import { type Class, EXTStructuralMetadata, type PropertyTable } from '@gltf-transform/extensions';
import type { PropertyValue, TileableBuilding } from './types';

/**
 * Per-building metadata as an EXT_structural_metadata property table (one row per feature id).
 *
 * Column types are planned once for the whole dataset, so every tile carries the same schema and a style
 * works everywhere: all booleans → BOOLEAN; all integers within int32 → SCALAR INT32; other numbers →
 * SCALAR FLOAT64; strings or mixed types → STRING. Nulls become the column's `noData` value (strings: "",
 * INT32: −2³¹, FLOAT64: −Number.MAX_VALUE), which CesiumJS reads back as undefined. BOOLEAN may not have a
 * noData value (spec), so a boolean column with nulls is stored as STRING "true"/"false"/"".
 */

export const SCHEMA_ID = 'placetwin';
export const BUILDING_CLASS = 'building';

export type ColumnKind = 'STRING' | 'BOOLEAN' | 'INT32' | 'FLOAT64';

export interface Column {
  /** Schema property id (identifier-safe). */
  id: string;
  /** Where the value comes from: a built-in field or a key of `properties`. */
  source: { field: 'id' | 'heightM' | 'minHeightM' } | { property: string };
  kind: ColumnKind;
  noData: string | number | null;
  description: string;
}

const INT32_NO_DATA = -2147483648;
const FLOAT64_NO_DATA = -Number.MAX_VALUE;
const IDENTIFIER = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const BUILT_IN: Column[] = [
  { id: 'id', source: { field: 'id' }, kind: 'STRING', noData: null, description: 'Building id' },
  {
    id: 'heightM',
    source: { field: 'heightM' },
    kind: 'FLOAT64',
    noData: null,
    description: 'Top of the building above ground, metres',
  },
  {
    id: 'minHeightM',
    source: { field: 'minHeightM' },
    kind: 'FLOAT64',
    noData: null,
    description: 'Bottom of the building above ground, metres',
  },
];

/** An identifier-safe schema property id: `building:levels` → `building_levels`, `3d` → `_3d`. */
export function schemaPropertyId(key: string): string {
  const s = key.replace(/[^a-zA-Z0-9_]/g, '_');
  return IDENTIFIER.test(s) ? s : `_${s}`;
}

/** What the columns have seen of one property key. */
interface KeySeen {
  bool: boolean;
  int: boolean;
  float: boolean;
  str: boolean;
  nulls: boolean;
  /** Buildings that have the key. */
  count: number;
}

/**
 * Plans the columns one building at a time (a national dataset is surveyed in pages and never held whole):
 * id, heightM, minHeightM (from the building's fields; property keys of the same names are not repeated), then
 * every other property key in sorted order.
 */
export class ColumnSurvey {
  private readonly seen = new Map<string, KeySeen>();
  private total = 0;

  add(properties: TileableBuilding['properties']): void {
    this.total++;
    for (const key in properties) {
      let s = this.seen.get(key);
      if (!s) {
        s = { bool: false, int: false, float: false, str: false, nulls: false, count: 0 };
        this.seen.set(key, s);
      }
      s.count++;
      const v = properties[key];
      if (v === null) s.nulls = true;
      else if (typeof v === 'boolean') s.bool = true;
      else if (typeof v === 'number') {
        if (Number.isInteger(v) && v > INT32_NO_DATA && v <= 2147483647) s.int = true;
        else s.float = true;
      } else s.str = true;
    }
  }

  columns(): Column[] {
    const columns = [...BUILT_IN];
    const taken = new Set(columns.map((c) => c.id));
    for (const key of [...this.seen.keys()].sort()) {
      // `properties.id` / `.heightM` / `.minHeightM` repeat the building's own fields: one column each.
      if (taken.has(key) && BUILT_IN.some((c) => c.id === key)) continue;
      const s = this.seen.get(key) as KeySeen;
      // A building without the key counts as null too.
      const nulls = s.nulls || s.count < this.total;
      const kinds = [s.bool, s.int || s.float, s.str].filter(Boolean).length;
      let kind: ColumnKind = 'STRING';
      if (kinds === 1 && s.bool && !nulls) kind = 'BOOLEAN';
      else if (kinds === 1 && (s.int || s.float)) kind = s.float ? 'FLOAT64' : 'INT32';
      let id = schemaPropertyId(key);
      for (let n = 2; taken.has(id); n++) id = `${schemaPropertyId(key)}_${n}`;
      taken.add(id);
      const noData = !nulls
        ? null
        : kind === 'INT32'
          ? INT32_NO_DATA
          : kind === 'FLOAT64'
            ? FLOAT64_NO_DATA
            : '';
      columns.push({ id, source: { property: key }, kind, noData, description: key });
    }
    return columns;
  }
}

/** The columns for a dataset held whole (see `ColumnSurvey`). */
export function planColumns(buildings: readonly TileableBuilding[]): Column[] {
  const survey = new ColumnSurvey();
  for (const b of buildings) survey.add(b.properties);
  return survey.columns();
}

function cellValue(b: TileableBuilding, c: Column): PropertyValue {
  if ('field' in c.source) return b[c.source.field];
  return b.properties[c.source.property] ?? null;
}

/**
 * Buffer views hold exactly `count` values (CesiumJS and the validator check lengths against the table count);
 * `alignMetadata` (glb.ts) then 8-byte aligns each view's start. glTF forbids empty buffer views, so a string
 * column of only "" gets one zero byte its offsets never reach.
 */
function padded(bytes: Uint8Array): Uint8Array {
  return bytes.byteLength > 0 ? bytes : new Uint8Array(1);
}

const utf8 = new TextEncoder();

function encodeColumn(
  c: Column,
  values: PropertyValue[],
): { values: Uint8Array; stringOffsets?: Uint8Array } {
  const n = values.length;
  switch (c.kind) {
    case 'BOOLEAN': {
      const bits = new Uint8Array(Math.ceil(n / 8));
      for (let i = 0; i < n; i++) if (values[i] === true) bits[i >> 3] |= 1 << (i & 7);
      return { values: padded(bits) };
    }
    case 'INT32': {
      const a = new Int32Array(n);
      for (let i = 0; i < n; i++) a[i] = values[i] === null ? INT32_NO_DATA : (values[i] as number);
      return { values: padded(new Uint8Array(a.buffer)) };
    }
    case 'FLOAT64': {
      const a = new Float64Array(n);
      for (let i = 0; i < n; i++) a[i] = values[i] === null ? FLOAT64_NO_DATA : (values[i] as number);
      return { values: new Uint8Array(a.buffer) };
    }
    case 'STRING': {
      const encoded = values.map((v) => utf8.encode(v === null ? '' : String(v)));
      const offsets = new Uint32Array(n + 1);
      for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i] + encoded[i].byteLength;
      const bytes = new Uint8Array(offsets[n]);
      for (let i = 0; i < n; i++) bytes.set(encoded[i], offsets[i]);
      return { values: padded(bytes), stringOffsets: padded(new Uint8Array(offsets.buffer)) };
    }
  }
}

/**
 * Adds the schema and one property table (row k = `buildings[k]`) to a document. Written GLBs need
 * `alignMetadata` (glb.ts) for the extension's 8-byte alignment.
 */
export function addPropertyTable(
  doc: Document,
  columns: readonly Column[],
  buildings: readonly TileableBuilding[],
): PropertyTable {
  const ext = doc.createExtension(EXTStructuralMetadata);
  const cls = ext.createClass().setName('Building');
  const table = ext.createPropertyTable().setClass(BUILDING_CLASS).setCount(buildings.length);
  for (const c of columns) {
    const p = ext.createClassProperty().setDescription(c.description);
    if (c.kind === 'BOOLEAN' || c.kind === 'STRING') p.setType(c.kind);
    else p.setType('SCALAR').setComponentType(c.kind);
    if (c.noData !== null) p.setNoData(c.noData);
    else p.setRequired(true);
    cls.setProperty(c.id, p);
    const encoded = encodeColumn(
      c,
      buildings.map((b) => cellValue(b, c)),
    );
    const tp = ext.createPropertyTableProperty().setValues(encoded.values);
    if (encoded.stringOffsets) tp.setStringOffsets(encoded.stringOffsets).setStringOffsetType('UINT32');
    table.setProperty(c.id, tp);
  }
  const schema = ext.createSchema().setId(SCHEMA_ID).setClass(BUILDING_CLASS, cls);
  doc
    .getRoot()
    .setExtension(
      'EXT_structural_metadata',
      ext.createStructuralMetadata().setSchema(schema).addPropertyTable(table),
    );
  return table;
}

const utf8Decoder = new TextDecoder();

/**
 * Decodes a property table written by `addPropertyTable` (STRING, BOOLEAN, SCALAR INT32/FLOAT64 columns)
 * back to one record per feature id; noData values come back as null.
 */
export function readPropertyTable(table: PropertyTable, cls: Class): Record<string, PropertyValue>[] {
  const n = table.getCount();
  const rows: Record<string, PropertyValue>[] = Array.from({ length: n }, () => ({}));
  for (const key of table.listPropertyKeys()) {
    const def = cls.getProperty(key);
    const prop = table.getProperty(key);
    if (!def || !prop) continue;
    const raw = prop.getValues();
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const noData = def.getNoData() ?? null;
    const type = def.getType();
    const componentType = def.getComponentType();
    for (let i = 0; i < n; i++) {
      let v: PropertyValue;
      if (type === 'BOOLEAN') v = ((raw[i >> 3] >> (i & 7)) & 1) === 1;
      else if (type === 'STRING') {
        const offsetBytes = prop.getStringOffsets();
        if (!offsetBytes) throw new Error(`string column ${key} has no string offsets`);
        const offsets = new DataView(offsetBytes.buffer, offsetBytes.byteOffset, offsetBytes.byteLength);
        const start = offsets.getUint32(i * 4, true);
        const end = offsets.getUint32(i * 4 + 4, true);
        v = utf8Decoder.decode(raw.subarray(start, end));
      } else if (type === 'SCALAR' && componentType === 'INT32') v = view.getInt32(i * 4, true);
      else if (type === 'SCALAR' && componentType === 'FLOAT64') v = view.getFloat64(i * 8, true);
      else throw new Error(`column ${key}: ${type} ${componentType ?? ''} is not a type the tiler writes`);
      rows[i][key] = v === noData ? null : v;
    }
  }
  return rows;
}
