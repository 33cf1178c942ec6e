/**
 * The part of the OGC SensorThings API 1.1 (OGC 18-088) request grammar this server reads: resource paths
 * (section 9.2) and the query options `$top`, `$skip`, `$count`, `$orderby`, `$expand=Datastreams` and
 * `$filter` on phenomenonTime (section 9.3). Anything else is refused with a DataError naming it, never
 * silently ignored, so a client never mistakes an unfiltered answer for a filtered one.
 */
import type { StaEntitySet, StaQuery, StaTimeCondition } from '@placetwin/db';
import { DataError } from '@placetwin/geo';
import { parseInstant } from '@placetwin/sensors';

export const STA_SETS: readonly StaEntitySet[] = [
  'Things',
  'Locations',
  'Datastreams',
  'ObservedProperties',
  'Observations',
];

/** Navigation properties per entity type: name → target set and whether it is one entity (`Datastream`). */
export const STA_NAVIGATION: Record<StaEntitySet, Record<string, { set: StaEntitySet; single: boolean }>> = {
  Things: {
    Locations: { set: 'Locations', single: false },
    Datastreams: { set: 'Datastreams', single: false },
  },
  Locations: { Things: { set: 'Things', single: false } },
  Datastreams: {
    Thing: { set: 'Things', single: true },
    ObservedProperty: { set: 'ObservedProperties', single: true },
    Observations: { set: 'Observations', single: false },
  },
  ObservedProperties: { Datastreams: { set: 'Datastreams', single: false } },
  Observations: { Datastream: { set: 'Datastreams', single: true } },
};

/** A resolved resource path: what to read, and whether the answer is one entity or a collection. */
export interface StaTarget {
  set: StaEntitySet;
  id?: number;
  via?: { set: StaEntitySet; id: number };
  single: boolean;
}

const unsupported = (why: string) => new DataError('sta-unsupported', why);
const bad = (why: string) => new DataError('sta-bad-request', why);

const SEGMENT = /^([A-Za-z]+)(?:\((\d{1,18})\))?$/;

/** `Things`, `Things(1)`, `Things(1)/Datastreams`, `Datastreams(3)/Thing`… (after `/sta/v1.1/`). */
export function parseResourcePath(path: string): StaTarget {
  const segments = path.split('/').filter(Boolean);
  if (segments.length === 0 || segments.length > 2) {
    throw unsupported(
      `resource path "${path}": use <EntitySet>, <EntitySet>(<id>) or <EntitySet>(<id>)/<navigation>`,
    );
  }
  const first = SEGMENT.exec(segments[0]);
  const set = first?.[1] as StaEntitySet | undefined;
  if (!first || !set || !STA_SETS.includes(set)) {
    throw unsupported(`"${segments[0]}" is not a supported entity set (${STA_SETS.join(', ')})`);
  }
  const id = first[2] === undefined ? undefined : Number(first[2]);
  if (segments.length === 1) return { set, id, single: id !== undefined };
  if (id === undefined) throw bad(`${set}/${segments[1]}: navigation needs an entity id, as in ${set}(1)/…`);
  const nav = STA_NAVIGATION[set][segments[1]];
  if (!nav) {
    throw unsupported(
      `${set}(${id})/${segments[1]}: supported navigation from ${set}: ${Object.keys(STA_NAVIGATION[set]).join(', ')}`,
    );
  }
  return { set: nav.set, via: { set, id }, single: nav.single };
}

export const DEFAULT_TOP = 100;
export const MAX_TOP = 10_000;

export interface StaOptions extends Omit<StaQuery, 'areaId'> {
  expandDatastreams: boolean;
}

const KNOWN_OPTIONS = new Set(['$top', '$skip', '$count', '$orderby', '$filter', '$expand']);
const OPS = new Set<StaTimeCondition['op']>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

function integerOption(name: string, v: string, max: number): number {
  if (!/^\d{1,9}$/.test(v)) throw bad(`${name}=${v}: must be a non-negative integer`);
  const n = Number(v);
  if (n > max) throw bad(`${name}=${v}: at most ${max}`);
  return n;
}

/** `phenomenonTime ge 2015-01-01T00:00:00Z and phenomenonTime lt 2015-02-01T00:00:00Z` */
export function parseTimeFilter(filter: string): StaTimeCondition[] {
  return filter.split(/\s+and\s+/i).map((term) => {
    const m = /^\s*\(?\s*phenomenonTime\s+([a-z]{2})\s+'?([^\s')]+)'?\s*\)?\s*$/.exec(term);
    if (!m) {
      throw unsupported(
        `$filter "${term.trim()}": only phenomenonTime compared with an instant (eq, ne, gt, ge, lt, le), joined by and`,
      );
    }
    const op = m[1] as StaTimeCondition['op'];
    if (!OPS.has(op)) throw unsupported(`$filter operator "${op}" (use eq, ne, gt, ge, lt, le)`);
    const ms = parseInstant(m[2]);
    if (typeof ms === 'string') throw bad(`$filter: ${ms}`);
    return { op, ms };
  });
}

/** Reads the query options of a request for the given target. */
export function parseQueryOptions(
  query: Record<string, string | string[] | undefined>,
  target: StaTarget,
): StaOptions {
  const value = (name: string): string | undefined => {
    const v = query[name];
    if (Array.isArray(v)) throw bad(`${name} is given more than once`);
    return v;
  };
  for (const name of Object.keys(query)) {
    if (name.startsWith('$') && !KNOWN_OPTIONS.has(name))
      throw unsupported(`query option ${name} is not supported`);
  }
  const top = value('$top');
  const skip = value('$skip');
  const count = value('$count');
  if (count !== undefined && count !== 'true' && count !== 'false')
    throw bad(`$count=${count}: true or false`);
  const orderBy = (value('$orderby') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((clause) => {
      const m = /^(@iot\.id|id|[A-Za-z]+)(?:\s+(asc|desc))?$/i.exec(clause);
      if (!m) throw bad(`$orderby "${clause}": <property> [asc|desc]`);
      return { property: m[1] === '@iot.id' ? 'id' : m[1], desc: m[2]?.toLowerCase() === 'desc' };
    });
  const expand = value('$expand');
  if (expand !== undefined && !(expand === 'Datastreams' && target.set === 'Things')) {
    throw unsupported(`$expand=${expand}: only $expand=Datastreams on Things is supported`);
  }
  const filter = value('$filter');
  return {
    id: target.id,
    via: target.via,
    top: top === undefined ? DEFAULT_TOP : integerOption('$top', top, MAX_TOP),
    skip: skip === undefined ? 0 : integerOption('$skip', skip, 1e9),
    count: count === 'true',
    orderBy,
    phenomenonTime: filter === undefined ? [] : parseTimeFilter(filter),
    expandDatastreams: expand === 'Datastreams',
  };
}
