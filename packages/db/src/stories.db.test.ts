import { DataError } from '@placetwin/geo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from './db';
import { importFeatures } from './repositories';
import { createScenario, getScenario, type ScenarioRecord, setScenarioStatus } from './scenarios';
import {
  createStory,
  deleteStory,
  getStory,
  listStories,
  StoryConflictError,
  StoryNotFoundError,
  type StorySlide,
  StoryStateError,
  updateStory,
} from './stories';
import { openTestDb } from './testing';

let db: Db;
let drop: () => Promise<void>;
let draft: ScenarioRecord;
let published: ScenarioRecord;

/** A slide over Oakham's market place, as the viewer captures it. */
const slide = (over: Partial<StorySlide> = {}): StorySlide => ({
  title: 'Market place from the south',
  text: 'The buttercross and the church.',
  camera: { lon: -0.7275, lat: 52.667, heightM: 420, headingDeg: 10, pitchDeg: -35 },
  time: '2026-06-21T11:00:00Z',
  layers: { basemap: true, buildings: { rutland: true } },
  shadows: true,
  colourBy: 'use',
  scenarioId: null,
  compare: false,
  ...over,
});

beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  // Scenarios need a dataset; the stories' rules do not need buildings in it.
  await importFeatures(
    db,
    {
      name: 'rutland',
      title: 'Rutland',
      source: 'test',
      licence: 'ODbL-1.0',
      attribution: '© OpenStreetMap contributors',
      vintage: null,
      crs: 'EPSG:4326',
    },
    [],
  );
  draft = await createScenario(db, { dataset: 'rutland', name: 'Draft option' });
  const p = await createScenario(db, { dataset: 'rutland', name: 'Published option' });
  published = await setScenarioStatus(db, p.id, p.version, 'published');
});
afterAll(async () => drop?.());

describe('stories', () => {
  it('keeps slides in order, with every field the viewer sends, and starts in draft at version 1', async () => {
    const s = await createStory(db, {
      title: '  Station quarter  ',
      summary: 'For the planning committee.',
      slides: [slide({ title: 'One' }), slide({ title: 'Two', scenarioId: published.id, compare: true })],
    });
    expect(s).toMatchObject({ title: 'Station quarter', status: 'draft', version: 1, publishedAt: null });
    expect(s.slides.map((x) => x.title)).toEqual(['One', 'Two']);
    expect(s.slides[1]).toEqual(slide({ title: 'Two', scenarioId: published.id, compare: true }));
    const back = await getStory(db, s.id);
    expect(back?.slides).toEqual(s.slides);
  });

  it('refuses bad slides naming the slide and field, and writes nothing', async () => {
    const before = (await listStories(db)).length;
    const bad: [Partial<StorySlide> | Record<string, unknown>, RegExp][] = [
      [{ camera: { lon: 200, lat: 52, heightM: 1, headingDeg: 0, pitchDeg: -30 } }, /slides\[1\]\.camera/],
      [{ time: 'yesterday' }, /slides\[1\]\.time/],
      [{ title: '' }, /slides\[1\]\.title/],
      [{ text: 'x'.repeat(1001) }, /slides\[1\]\.text/],
      [{ compare: true }, /slides\[1\]\.compare/],
      [{ layers: { basemap: true, buildings: { 'Bad Name!': true } } }, /slides\[1\]\.layers/],
      [{ scenarioId: 999_999 }, /slides\[1\]\.scenarioId: no scenario with id 999999/],
    ];
    for (const [over, message] of bad) {
      await expect(
        createStory(db, { title: 'Bad', slides: [slide(), { ...slide(), ...over } as StorySlide] }),
      ).rejects.toThrow(message);
    }
    await expect(createStory(db, { title: '' })).rejects.toBeInstanceOf(DataError);
    await expect(createStory(db, { title: 'Too many', slides: Array(51).fill(slide()) })).rejects.toThrow(
      /at most 50/,
    );
    expect((await listStories(db)).length).toBe(before);
  });

  it('refuses a write on a stale version (409 material) and applies nothing of it', async () => {
    const s = await createStory(db, { title: 'Concurrent', slides: [slide({ title: 'A' })] });
    const mine = await updateStory(db, s.id, 1, { slides: [slide({ title: 'A' }), slide({ title: 'B' })] });
    expect(mine.version).toBe(2);
    const stale = updateStory(db, s.id, 1, { title: 'Theirs', slides: [] });
    await expect(stale).rejects.toBeInstanceOf(StoryConflictError);
    await expect(stale).rejects.toMatchObject({ currentVersion: 2 });
    const now = await getStory(db, s.id);
    expect(now).toMatchObject({ title: 'Concurrent', version: 2 });
    expect(now?.slides.map((x) => x.title)).toEqual(['A', 'B']);
    await expect(deleteStory(db, s.id, 1)).rejects.toBeInstanceOf(StoryConflictError);
    await deleteStory(db, s.id, 2);
    expect(await getStory(db, s.id)).toBeNull();
    await expect(updateStory(db, s.id, 2, { title: 'Gone' })).rejects.toBeInstanceOf(StoryNotFoundError);
  });

  it('publishes only stories whose scenarios are published; the public sees nothing else', async () => {
    const withDraft = await createStory(db, {
      title: 'Shows a draft',
      slides: [slide(), slide({ scenarioId: draft.id })],
    });
    await expect(updateStory(db, withDraft.id, 1, { status: 'published' })).rejects.toBeInstanceOf(
      StoryStateError,
    );
    expect((await getStory(db, withDraft.id))?.status).toBe('draft');

    const ok = await createStory(db, {
      title: 'Shows the published option',
      slides: [slide({ scenarioId: published.id })],
    });
    const pub = await updateStory(db, ok.id, 1, { status: 'published' });
    expect(pub.status).toBe('published');
    expect(pub.publishedAt).not.toBeNull();
    const publicIds = (await listStories(db, { publicOnly: true })).map((s) => s.id);
    expect(publicIds).toContain(ok.id);
    expect(publicIds).not.toContain(withDraft.id);
    expect(await getStory(db, withDraft.id, { publicOnly: true })).toBeNull();
    expect((await getStory(db, ok.id, { publicOnly: true }))?.slides).toHaveLength(1);

    // The scenario is taken back to draft after the story was published: the story leaves the public's view too.
    const current = (await getScenario(db, published.id))!;
    const back = await setScenarioStatus(db, published.id, current.version, 'draft');
    expect(back.status).toBe('draft');
    expect(await getStory(db, ok.id, { publicOnly: true })).toBeNull();
    expect((await listStories(db, { publicOnly: true })).map((s) => s.id)).not.toContain(ok.id);
    await setScenarioStatus(db, published.id, back.version, 'published');
    expect(await getStory(db, ok.id, { publicOnly: true })).not.toBeNull();
  });
});
