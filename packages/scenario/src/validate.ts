/**
 * Checks of a change on its own (no baseline needed): its shape, field types and ranges, its footprint. Every
 * issue names the change, the building and the field, and says what to fix.
 */
import { DataError, type MultiPolygon2 } from '@placetwin/geo';
import { USE_CLASSES } from '@placetwin/importers';
import { footprintFromGeoJson } from './footprint';
import type { ChangeIssue, ChangeOp } from './types';

export const CHANGE_OPS: readonly ChangeOp[] = ['add', 'modify', 'demolish', 'set-attribute'];

/** Ids of added buildings: `new/<name>`. A baseline id is `<dataset>:<sourceId>`, so the two never clash. */
export const NEW_BUILDING_ID = /^new\/[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
export const ATTRIBUTE_KEY = /^[A-Za-z][A-Za-z0-9_:.-]{0,63}$/;
/** Attributes that override the indicator estimates for a building. */
export const OVERRIDE_ATTRIBUTES = ['homes', 'jobs'] as const;

export const LIMITS = Object.freeze({
  /** Heights above ground, metres (the tallest building in the world is 828 m). */
  maxHeightM: 1000,
  /** Storeys above ground (the tallest building has 163). */
  maxStoreys: 300,
  maxNameLength: 200,
  maxIdLength: 300,
  maxAttributeLength: 1000,
  /** A rotation, degrees either way. */
  maxRotationDeg: 360,
});

const FIELDS: Record<ChangeOp, readonly string[]> = {
  add: [
    'op',
    'id',
    'footprint',
    'use',
    'storeys',
    'heightM',
    'minHeightM',
    'name',
    'attributes',
    'rotationDeg',
    'rotateAbout',
  ],
  modify: [
    'op',
    'id',
    'heightM',
    'storeys',
    'minHeightM',
    'use',
    'footprint',
    'name',
    'rotationDeg',
    'rotateAbout',
  ],
  demolish: ['op', 'id'],
  'set-attribute': ['op', 'id', 'key', 'value'],
};
const MODIFY_FIELDS = FIELDS.modify.slice(2).filter((f) => f !== 'rotateAbout');

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A change that failed validation; `issues` lists every problem found (maps to HTTP 400). */
export class ScenarioValidationError extends DataError {
  readonly issues: ChangeIssue[];
  constructor(issues: ChangeIssue[]) {
    const first = issues[0];
    const more =
      issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
    // No featureId: the message already names the building, and each issue carries its own buildingId.
    super('invalid-change', `${describeIssue(first)}${more}`);
    this.issues = issues;
  }
}

export const describeIssue = (i: ChangeIssue): string =>
  `change ${i.change + 1}${i.op ? ` (${i.op}${i.buildingId ? ` ${i.buildingId}` : ''})` : ''}: ${i.field} ${i.reason}`;

export interface ShapeCheck {
  issues: ChangeIssue[];
  /** The parsed footprint, when the change has a valid one. */
  footprint?: MultiPolygon2;
}

/** Checks one change without looking at any building: shape, fields, ranges, footprint geometry. */
export function checkChangeShape(change: unknown, index: number): ShapeCheck {
  const issues: ChangeIssue[] = [];
  const rec = isRecord(change) ? change : null;
  const op = rec && typeof rec.op === 'string' ? rec.op : null;
  const buildingId = rec && typeof rec.id === 'string' ? rec.id : null;
  const issue = (field: string, reason: string) =>
    issues.push({ change: index, op, buildingId, field, reason });

  if (!rec) {
    issue('(change)', 'must be an object such as { "op": "demolish", "id": "rutland:w123" }');
    return { issues };
  }
  if (!op || !(CHANGE_OPS as readonly string[]).includes(op)) {
    issue('op', `must be one of ${CHANGE_OPS.join(', ')}`);
    return { issues };
  }
  const allowed = FIELDS[op as ChangeOp];
  for (const key of Object.keys(rec)) {
    if (!allowed.includes(key)) issue(key, `is not a field of "${op}": use ${allowed.slice(1).join(', ')}`);
  }
  if (typeof rec.id !== 'string' || rec.id.length === 0 || rec.id.length > LIMITS.maxIdLength) {
    issue(
      'id',
      `must be a building id (1–${LIMITS.maxIdLength} characters), e.g. rutland:w123456 or new/block-a`,
    );
  } else if (op === 'add' && !NEW_BUILDING_ID.test(rec.id)) {
    issue(
      'id',
      'of a new building must be new/<name>, the name of letters, digits, _, - or . (e.g. new/block-a)',
    );
  }

  let footprint: MultiPolygon2 | undefined;
  if (rec.footprint !== undefined) {
    const parsed = footprintFromGeoJson(rec.footprint);
    if ('problem' in parsed) issue('footprint', parsed.problem);
    else footprint = parsed.footprint;
  } else if (op === 'add') {
    issue('footprint', 'is required: give the outline as a GeoJSON Polygon in longitude/latitude');
  }
  if (
    rec.use !== undefined &&
    !(typeof rec.use === 'string' && (USE_CLASSES as readonly string[]).includes(rec.use))
  ) {
    issue('use', `"${String(rec.use)}" is not a known use: choose one of ${USE_CLASSES.join(', ')}`);
  } else if (op === 'add' && rec.use === undefined) {
    issue('use', `is required: one of ${USE_CLASSES.join(', ')}`);
  }
  if (
    rec.storeys !== undefined &&
    !(
      Number.isInteger(rec.storeys) &&
      (rec.storeys as number) >= 1 &&
      (rec.storeys as number) <= LIMITS.maxStoreys
    )
  ) {
    issue(
      'storeys',
      `must be a whole number from 1 to ${LIMITS.maxStoreys}, not ${JSON.stringify(rec.storeys)}`,
    );
  }
  for (const key of ['heightM', 'minHeightM'] as const) {
    const v = rec[key];
    if (
      v !== undefined &&
      !(typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= LIMITS.maxHeightM)
    ) {
      issue(key, `must be a number of metres from 0 to ${LIMITS.maxHeightM}, not ${JSON.stringify(v)}`);
    }
  }
  if (
    rec.rotationDeg !== undefined &&
    !(
      typeof rec.rotationDeg === 'number' &&
      Number.isFinite(rec.rotationDeg) &&
      Math.abs(rec.rotationDeg) <= LIMITS.maxRotationDeg
    )
  ) {
    issue(
      'rotationDeg',
      `must be a number of degrees from −${LIMITS.maxRotationDeg} to ${LIMITS.maxRotationDeg} (clockwise seen from above), not ${JSON.stringify(rec.rotationDeg)}`,
    );
  }
  if (rec.rotateAbout !== undefined) {
    const a = rec.rotateAbout;
    const ok =
      Array.isArray(a) &&
      a.length === 2 &&
      a.every((v) => typeof v === 'number' && Number.isFinite(v)) &&
      Math.abs(a[0]) <= 180 &&
      Math.abs(a[1]) <= 90;
    if (!ok)
      issue(
        'rotateAbout',
        'must be the point to turn about as [lon, lat] in degrees, e.g. [-0.7348, 52.6734]',
      );
    else if (rec.rotationDeg === undefined)
      issue('rotateAbout', 'needs rotationDeg: give the angle to turn by');
  }
  if (op === 'add' && rec.storeys === undefined && rec.heightM === undefined) {
    issue('storeys', 'or heightM is required: give the number of storeys, the height in metres, or both');
  }
  if (rec.name !== undefined && rec.name !== null) {
    if (typeof rec.name !== 'string' || rec.name.length > LIMITS.maxNameLength) {
      issue('name', `must be text of at most ${LIMITS.maxNameLength} characters, or null`);
    }
  }
  if (op === 'modify' && !MODIFY_FIELDS.some((k) => rec[k] !== undefined)) {
    issue('(change)', `changes nothing: give at least one of ${MODIFY_FIELDS.join(', ')}`);
  }
  if (op === 'add' && rec.attributes !== undefined) {
    if (!isRecord(rec.attributes)) issue('attributes', 'must be an object of key → value');
    else for (const [k, v] of Object.entries(rec.attributes)) attributeIssue(k, v, `attributes.${k}`, issue);
  }
  if (op === 'set-attribute') {
    if (typeof rec.key !== 'string') issue('key', 'is required: the attribute name, e.g. homes');
    else attributeIssue(rec.key, rec.value, 'value', issue, true);
  }
  return { issues, footprint };
}

function attributeIssue(
  key: string,
  value: unknown,
  field: string,
  issue: (field: string, reason: string) => void,
  keyIsField = false,
): void {
  if (!ATTRIBUTE_KEY.test(key)) {
    issue(
      keyIsField ? 'key' : field,
      `"${key}" is not a valid attribute name: start with a letter; use letters, digits, _ : . - (max 64)`,
    );
    return;
  }
  if (value === undefined) {
    issue(field, 'is required: a string, number, boolean or null (null clears the attribute)');
    return;
  }
  if ((OVERRIDE_ATTRIBUTES as readonly string[]).includes(key)) {
    if (value !== null && !(Number.isInteger(value) && (value as number) >= 0)) {
      issue(
        field,
        `${key} must be a whole number ≥ 0 (it overrides the estimate), or null to use the estimate`,
      );
    }
    return;
  }
  const ok =
    value === null ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value)) ||
    (typeof value === 'string' && value.length <= LIMITS.maxAttributeLength);
  if (!ok)
    issue(
      field,
      `must be a string (max ${LIMITS.maxAttributeLength} characters), a finite number, a boolean or null`,
    );
}
