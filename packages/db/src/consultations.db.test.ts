import {
  type Change,
  type FootprintGeoJson,
  footprintAreaM2,
  footprintFromGeoJson,
  localFrame,
  storeysForFloorArea,
} from '@placetwin/scenario';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rutlandFeatures } from '../../../test/support/test-db';
import { createUser } from './auth';
import {
  ANONYMOUS,
  CommentValidationError,
  closeConsultation,
  commentSummary,
  consultationFacts,
  createConsultation,
  DEFAULT_PRIVACY_NOTICE,
  DEFAULT_RETENTION_DAYS,
  getConsultation,
  getPublicConsultation,
  listComments,
  listPublicComments,
  listPublicConsultations,
  moderateComment,
  openConsultation,
  removeExpiredPersonalData,
  submitComment,
  updateConsultation,
} from './consultations';
import type { Db } from './db';
import {
  appendChanges,
  baselineBuildings,
  createScenario,
  type ScenarioRecord,
  setScenarioStatus,
} from './scenarios';
import { openTestDb } from './testing';

// Real baseline: the Rutland OSM extract (../shared/data/rutland, © OpenStreetMap contributors, ODbL), imported as
// `placetwin import` does. The proposal is on Station Approach, Oakham: the builders' merchant (Travis Perkins)
// is demolished and a four-storey block of flats is built on its yard.

const TRAVIS_PERKINS = 'rutland:w178280261';

function rectangle(lon: number, lat: number, widthM: number, depthM: number): FootprintGeoJson {
  const f = localFrame(lon, lat);
  const dx = widthM / f.mPerDegLon;
  const dy = depthM / f.mPerDegLat;
  return {
    type: 'Polygon',
    coordinates: [
      [
        [lon, lat],
        [lon + dx, lat],
        [lon + dx, lat + dy],
        [lon, lat + dy],
        [lon, lat],
      ],
    ],
  };
}

const SITE = rectangle(-0.7342, 52.6729, 70, 90);
const BLOCK_B = rectangle(-0.73342, 52.67322, 14, 40);
const CHANGES: Change[] = [
  { op: 'demolish', id: TRAVIS_PERKINS },
  { op: 'add', id: 'new/block-b', footprint: BLOCK_B, use: 'residential', storeys: 4 },
];

const DAY = 86_400_000;
const iso = (msFromNow: number) => new Date(Date.now() + msFromNow).toISOString();

let db: Db;
let drop: () => Promise<void>;
let scenario: ScenarioRecord;
let plannerId: number;

beforeAll(async () => {
  ({ db, drop } = await openTestDb(rutlandFeatures));
  const s = await createScenario(db, { dataset: 'rutland', name: 'Station Approach', site: SITE });
  const edited = await appendChanges(db, s.id, 1, CHANGES);
  scenario = edited.scenario;
  plannerId = (
    await createUser(
      db,
      {
        email: 'planner@rutland.gov.uk',
        displayName: 'Pat Planner',
        role: 'planner',
        password: 'moderation time',
      },
      { logN: 10 },
    )
  ).id;
});
afterAll(async () => drop?.());

const newConsultation = (over: Partial<Parameters<typeof createConsultation>[1]> = {}) =>
  createConsultation(
    db,
    {
      title: 'Homes on Station Approach',
      summary: 'We propose 4 storeys of flats where the builders’ yard is.',
      scenarioId: scenario.id,
      opensAt: iso(-DAY),
      closesAt: iso(30 * DAY),
      ...over,
    },
    plannerId,
  );

const publish = async () => {
  const current = (
    await db.query<{ version: number; status: string }>(
      'SELECT version, status FROM scenarios WHERE id = $1',
      [scenario.id],
    )
  ).rows[0];
  if (current.status !== 'published') await setScenarioStatus(db, scenario.id, current.version, 'published');
};
const unpublish = async () => {
  const current = (
    await db.query<{ version: number; status: string }>(
      'SELECT version, status FROM scenarios WHERE id = $1',
      [scenario.id],
    )
  ).rows[0];
  if (current.status !== 'draft') await setScenarioStatus(db, scenario.id, current.version, 'draft');
};

const comment = {
  name: 'Sam Jones',
  email: 'sam@example.org',
  category: 'object',
  text: 'Four storeys is too tall here.',
};

describe('consultations', () => {
  it('start as drafts that the public never sees, with the default privacy notice and retention', async () => {
    const c = await newConsultation();
    expect(c).toMatchObject({
      status: 'draft',
      scenarioId: scenario.id,
      dataset: 'rutland',
      privacyNotice: DEFAULT_PRIVACY_NOTICE,
      retentionDays: DEFAULT_RETENTION_DAYS,
      comments: { pending: 0, approved: 0, rejected: 0 },
    });
    expect(Date.parse(c.personalDataDeletedAfter) - Date.parse(c.closesAt)).toBe(
      DEFAULT_RETENTION_DAYS * DAY,
    );
    expect(await getPublicConsultation(db, c.id)).toBeNull();
    expect((await listPublicConsultations(db)).map((x) => x.id)).not.toContain(c.id);
    await expect(submitComment(db, c.id, comment)).rejects.toMatchObject({ type: 'unknown-consultation' });
  });

  it('refuses an unknown scenario, dates the wrong way round and an over-long title', async () => {
    await expect(newConsultation({ scenarioId: 999_999 })).rejects.toMatchObject({
      type: 'unknown-scenario',
    });
    await expect(newConsultation({ opensAt: iso(DAY), closesAt: iso(-DAY) })).rejects.toMatchObject({
      type: 'invalid-consultation',
      reason: 'closesAt must be after opensAt',
    });
    await expect(newConsultation({ title: 't'.repeat(151) })).rejects.toMatchObject({
      type: 'invalid-consultation',
    });
    await expect(newConsultation({ opensAt: 'next Tuesday' })).rejects.toMatchObject({
      type: 'invalid-consultation',
    });
  });

  it('open only on a published scenario, and disappear from the public when the scenario is unpublished', async () => {
    await unpublish();
    const c = await newConsultation();
    await expect(openConsultation(db, c.id)).rejects.toMatchObject({ type: 'scenario-not-published' });
    await publish();
    const opened = await openConsultation(db, c.id);
    expect(opened).toMatchObject({ status: 'open', acceptingComments: true });
    await expect(openConsultation(db, c.id)).rejects.toMatchObject({ type: 'already-open' });
    const pub = await getPublicConsultation(db, c.id);
    expect(pub).toMatchObject({ id: c.id, status: 'open', approvedComments: 0 });
    expect(pub).not.toHaveProperty('comments');
    expect(pub).not.toHaveProperty('scenarioStatus');
    await expect(updateConsultation(db, c.id, { scenarioId: scenario.id })).rejects.toMatchObject({
      type: 'consultation-not-draft',
    });
    expect((await updateConsultation(db, c.id, { title: 'Flats on Station Approach' })).title).toBe(
      'Flats on Station Approach',
    );

    await unpublish();
    expect(await getPublicConsultation(db, c.id)).toBeNull();
    await expect(submitComment(db, c.id, comment)).rejects.toMatchObject({ type: 'unknown-consultation' });
    await publish();
    expect(await getPublicConsultation(db, c.id)).not.toBeNull();
  });

  it('take comments only while open and between their dates', async () => {
    await publish();
    const early = await newConsultation({ opensAt: iso(2 * DAY), closesAt: iso(9 * DAY) });
    await openConsultation(db, early.id);
    expect((await getPublicConsultation(db, early.id))?.acceptingComments).toBe(false);
    await expect(submitComment(db, early.id, comment)).rejects.toMatchObject({
      type: 'consultation-not-accepting-comments',
    });
    const late = await newConsultation({ opensAt: iso(-9 * DAY), closesAt: iso(-DAY) });
    await openConsultation(db, late.id);
    await expect(submitComment(db, late.id, comment)).rejects.toMatchObject({
      type: 'consultation-not-accepting-comments',
    });
    const closing = await newConsultation();
    await openConsultation(db, closing.id);
    expect((await submitComment(db, closing.id, comment)).status).toBe('pending');
    await closeConsultation(db, closing.id);
    await expect(submitComment(db, closing.id, comment)).rejects.toMatchObject({
      type: 'consultation-not-accepting-comments',
    });
    // Closed consultations stay public, with their approved comments.
    expect((await getPublicConsultation(db, closing.id))?.status).toBe('closed');
    await expect(closeConsultation(db, closing.id)).rejects.toMatchObject({ type: 'not-open' });
  });
});

describe('comments', () => {
  let consultationId: number;
  beforeAll(async () => {
    await publish();
    consultationId = (await openConsultation(db, (await newConsultation()).id)).id;
  });

  it('arrive pending: the public sees them only once approved, never with an email address', async () => {
    const named = await submitComment(db, consultationId, { ...comment, lon: -0.7335, lat: 52.6733 });
    const anon = await submitComment(db, consultationId, {
      anonymous: true,
      category: 'question',
      text: 'Where will residents park?',
      email: 'anon@example.org',
    });
    expect(await listPublicComments(db, consultationId)).toEqual([]);
    const staff = await listComments(db, consultationId, { status: 'pending' });
    expect(staff.map((m) => [m.id, m.email])).toEqual([
      [named.id, 'sam@example.org'],
      [anon.id, 'anon@example.org'],
    ]);
    expect(staff[0].point).toEqual([-0.7335, 52.6733]);

    const approved = await moderateComment(db, named.id, 'approve', plannerId);
    expect(approved).toMatchObject({ status: 'approved', moderatedBy: 'Pat Planner' });
    await moderateComment(db, anon.id, 'approve', plannerId);
    const pub = await listPublicComments(db, consultationId);
    expect(pub.map((m) => [m.name, m.category, m.point])).toEqual([
      ['Sam Jones', 'object', [-0.7335, 52.6733]],
      [ANONYMOUS, 'question', null],
    ]);
    expect(JSON.stringify(pub)).not.toContain('@example.org');
    expect(Object.keys(pub[0]).sort()).toEqual(['category', 'createdAt', 'id', 'name', 'point', 'text']);

    await moderateComment(db, anon.id, 'reject', plannerId);
    expect((await listPublicComments(db, consultationId)).map((m) => m.id)).toEqual([named.id]);
    await expect(moderateComment(db, 999_999, 'approve', plannerId)).rejects.toMatchObject({
      type: 'unknown-comment',
    });
  });

  it('are refused with every problem named, and when pinned far from the area', async () => {
    const e = await submitComment(db, consultationId, { category: 'nope', text: '' }).catch((x) => x);
    expect(e).toBeInstanceOf(CommentValidationError);
    expect((e as CommentValidationError).errors.map((x) => x.field)).toEqual(['name', 'category', 'text']);
    // Edinburgh is not in Rutland.
    await expect(
      submitComment(db, consultationId, { ...comment, lon: -3.19, lat: 55.95 }),
    ).rejects.toMatchObject({
      type: 'invalid-comment',
    });
  });

  it('are counted by category and status', async () => {
    const c = (await openConsultation(db, (await newConsultation()).id)).id;
    const ids = [];
    for (const category of ['support', 'support', 'object', 'question'] as const) {
      ids.push(
        (
          await submitComment(db, c, {
            ...comment,
            category,
            lon: category === 'support' ? -0.734 : undefined,
            lat: category === 'support' ? 52.673 : undefined,
          })
        ).id,
      );
    }
    await moderateComment(db, ids[0], 'approve', plannerId);
    await moderateComment(db, ids[2], 'reject', plannerId);
    expect(await commentSummary(db, c)).toEqual({
      consultationId: c,
      total: 4,
      byStatus: { pending: 2, approved: 1, rejected: 1 },
      byCategory: {
        support: { total: 2, pending: 1, approved: 1, rejected: 0 },
        object: { total: 1, pending: 0, approved: 0, rejected: 1 },
        question: { total: 1, pending: 1, approved: 0, rejected: 0 },
      },
      withPoint: 2,
    });
    expect((await getConsultation(db, c))?.comments).toEqual({ pending: 2, approved: 1, rejected: 1 });
  });
});

describe('retention', () => {
  it('removes names and email addresses, and rejected comments, once the period after closing has passed', async () => {
    const expired = (await openConsultation(db, (await newConsultation({ retentionDays: 30 })).id)).id;
    const current = (await openConsultation(db, (await newConsultation({ retentionDays: 30 })).id)).id;
    const kept = await submitComment(db, expired, comment);
    const rejected = await submitComment(db, expired, { ...comment, text: 'Buy cheap watches' });
    const other = await submitComment(db, current, comment);
    await moderateComment(db, kept.id, 'approve', plannerId);
    await moderateComment(db, rejected.id, 'reject', plannerId);
    await closeConsultation(db, expired);
    await closeConsultation(db, current);
    // As if the first had closed 31 days ago (the second closed today).
    await db.query(
      `UPDATE consultations SET opens_at = now() - interval '60 days', closes_at = now() - interval '31 days',
         closed_at = now() - interval '31 days' WHERE id = $1`,
      [expired],
    );
    const r = await removeExpiredPersonalData(db);
    expect(r.rejectedDeleted).toBeGreaterThanOrEqual(1);
    const left = await listComments(db, expired);
    expect(left.map((m) => [m.id, m.name, m.email, m.text])).toEqual([[kept.id, null, null, comment.text]]);
    expect((await listPublicComments(db, expired))[0].name).toBe(ANONYMOUS);
    expect((await listComments(db, current)).map((m) => [m.id, m.email])).toEqual([
      [other.id, 'sam@example.org'],
    ]);
    // Running it again changes nothing.
    expect(await removeExpiredPersonalData(db)).toEqual({ anonymised: 0, rejectedDeleted: 0 });
  });
});

describe('consultationFacts', () => {
  it('counts the changes and measures floor area against the baseline over the site', async () => {
    const f = await consultationFacts(db, scenario.id);
    expect(f).toMatchObject({
      buildingsAdded: 1,
      buildingsDemolished: 1,
      buildingsChanged: 0,
      studyArea: 'site',
    });
    // Analytic check: + 4 storeys × the new block's footprint, − the demolished building's floor area.
    const [tp] = await baselineBuildings(db, 'rutland', { ids: [TRAVIS_PERKINS] });
    const tpFloor = storeysForFloorArea(tp) * footprintAreaM2(tp.footprint);
    const blockArea = footprintAreaM2(
      (footprintFromGeoJson(BLOCK_B) as { footprint: Parameters<typeof footprintAreaM2>[0] }).footprint,
    );
    expect(blockArea).toBeCloseTo(14 * 40, -1);
    expect(f.after.floorAreaM2 - f.before.floorAreaM2).toBeCloseTo(4 * blockArea - tpFloor, 0);
    expect(f.after.homes).toBeGreaterThan(f.before.homes);
    // The same answer again comes from the cache (same object), until the scenario changes.
    expect(await consultationFacts(db, scenario.id)).toBe(f);
  });
});
