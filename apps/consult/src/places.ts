/**
 * The places a comment can be pinned to without a map: the proposal's site, each building it adds, changes or
 * demolishes (the point: the middle of its outline), and the named streets within 100 m (the point: the
 * street's nearest point to the middle of the site). The form offers them in a select, so a comment
 * can name a place with no JavaScript; the map picker (static/map.js) puts a pin anywhere in the area.
 */
import { type Db, getBuilding, listChanges, type ScenarioRecord, streetsNear } from '@placetwin/db';
import { buildingLabel } from './format';
import { type Lang, translate } from './i18n';

export interface CommentPlace {
  /** The select's value: `site`, or `building:<id>` for a building of the proposal. */
  value: string;
  text: string;
  /** [lon, lat] in degrees. */
  point: [number, number];
}

/** The smallest box around a GeoJSON geometry's coordinates, or null when it has none. */
export function geometryBbox(g: { coordinates: unknown }): [number, number, number, number] | null {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  const walk = (v: unknown) => {
    if (Array.isArray(v) && typeof v[0] === 'number') {
      w = Math.min(w, v[0]);
      e = Math.max(e, v[0]);
      s = Math.min(s, v[1]);
      n = Math.max(n, v[1]);
    } else if (Array.isArray(v)) v.forEach(walk);
  };
  walk(g.coordinates);
  return Number.isFinite(w) ? [w, s, e, n] : null;
}

const middle = (b: [number, number, number, number]): [number, number] => [
  Number(((b[0] + b[2]) / 2).toFixed(7)),
  Number(((b[1] + b[3]) / 2).toFixed(7)),
];

/** The proposal's places: the site, its buildings in the order the planner changed them, then nearby streets. */
export async function commentPlaces(
  db: Db,
  scenario: ScenarioRecord,
  lang: Lang = 'en',
): Promise<CommentPlace[]> {
  const places: CommentPlace[] = [];
  const siteBox = scenario.site ? geometryBbox(scenario.site) : null;
  if (siteBox) places.push({ value: 'site', text: translate(lang, 'place.site'), point: middle(siteBox) });
  const seen = new Set<string>();
  const boxes: [number, number, number, number][] = siteBox ? [siteBox] : [];
  for (const { change } of await listChanges(db, scenario.id)) {
    if (!('id' in change) || seen.has(change.id)) continue;
    if (change.op !== 'add' && change.op !== 'modify' && change.op !== 'demolish') continue;
    seen.add(change.id);
    const baseline = change.id.startsWith('new/') ? null : await getBuilding(db, change.id);
    const footprint = (change.op !== 'demolish' && change.footprint) || baseline?.footprint;
    const box = footprint ? geometryBbox(footprint) : null;
    if (!box) continue;
    const given = change.op === 'demolish' ? undefined : change.name;
    const label = buildingLabel(change.id, new Map([[change.id, baseline?.name ?? null]]), given, lang);
    const text =
      change.op === 'demolish'
        ? translate(lang, 'place.demolish', { label })
        : change.op === 'modify'
          ? translate(lang, 'place.modify', { label })
          : label;
    places.push({ value: `building:${change.id}`, text, point: middle(box) });
    boxes.push(box);
  }
  // The streets around the site (or around the buildings, for a proposal without one).
  const all = boxes.reduce<[number, number, number, number] | null>(
    (a, b) =>
      a ? [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])] : b,
    null,
  );
  const area =
    scenario.site ??
    (all && {
      type: 'Polygon',
      coordinates: [
        [
          [all[0], all[1]],
          [all[2], all[1]],
          [all[2], all[3]],
          [all[0], all[3]],
          [all[0], all[1]],
        ],
      ],
    });
  if (area) {
    for (const street of await streetsNear(db, scenario.dataset, area)) {
      places.push({
        value: `street:${street.name}`,
        text: translate(lang, 'place.street', { name: street.name }),
        point: [Number(street.point[0].toFixed(7)), Number(street.point[1].toFixed(7))],
      });
    }
  }
  return places;
}
