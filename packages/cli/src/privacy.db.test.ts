/** `placetwin privacy …` against the test database, as main.ts wires it. The commenter is made up. */
import { type Db, listPrivacyLog, openTestDb } from '@placetwin/db';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addPrivacyCommands } from './privacy';

let db: Db;
let drop: () => Promise<void>;
let commentId: number;
beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  const d = await db.query<{ id: number }>(
    `INSERT INTO datasets (name, title, source, licence, attribution, crs)
     VALUES ('cli-privacy', 'CLI privacy test', 'constructed', 'none', 'none', 'EPSG:4326') RETURNING id`,
  );
  const s = await db.query<{ id: number }>(
    `INSERT INTO scenarios (dataset_id, name, status) VALUES ($1, 'Proposal', 'published') RETURNING id`,
    [d.rows[0].id],
  );
  // Closed 400 days ago with its own 30-day period: due for the retention job.
  const c = await db.query<{ id: number }>(
    `INSERT INTO consultations (title, summary, scenario_id, status, opens_at, closes_at, privacy_notice, retention_days)
     VALUES ('Old', 'A proposal', $1, 'closed', now() - interval '430 days', now() - interval '400 days', 'Notice', 30)
     RETURNING id`,
    [s.rows[0].id],
  );
  commentId = (
    await db.query<{ id: number }>(
      `INSERT INTO comments (consultation_id, name, email, category, body, status)
       VALUES ($1, 'Sam Jones', 'sam@example.org', 'support', 'Yes please.', 'approved') RETURNING id`,
      [c.rows[0].id],
    )
  ).rows[0].id;
});
afterAll(async () => drop?.());

async function run(args: string[]): Promise<string[]> {
  const cmd = new Command('placetwin').exitOverride();
  addPrivacyCommands(cmd, (fn) => fn(db));
  const out: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
  try {
    await cmd.parseAsync(['node', 'placetwin', ...args]);
  } finally {
    log.mockRestore();
  }
  return out;
}

const personal = async () =>
  (await db.query('SELECT name, email FROM comments WHERE id = $1', [commentId])).rows[0];

describe('placetwin privacy', () => {
  it('exports, asks before erasing, and the retention dry run changes nothing', async () => {
    const [json] = await run(['privacy', 'export', '--email', 'Sam@Example.org']);
    expect(JSON.parse(json).comments.map((m: { id: number }) => m.id)).toEqual([commentId]);
    expect((await listPrivacyLog(db))[0]).toMatchObject({ action: 'export-subject', actor: 'cli' });
    expect(await run(['privacy', 'erase', '--email', 'sam@example.org'])).toEqual([
      'Would erase 1 comment for sam@example.org. Run again with --yes to erase.',
    ]);
    const dry = await run(['privacy', 'retention', '--dry-run']);
    expect(dry[0]).toMatch(
      /^Would remove: 1 comment anonymised, 0 rejected comments deleted, on 1 consultation past/,
    );
    expect(await personal()).toEqual({ name: 'Sam Jones', email: 'sam@example.org' });
  });

  it('runs the retention job and erases with --yes', async () => {
    expect((await run(['privacy', 'retention']))[0]).toMatch(/^Removed: 1 comment anonymised/);
    expect(await personal()).toEqual({ name: null, email: null });
    await db.query(`UPDATE comments SET email = 'jo@example.org' WHERE id = $1`, [commentId]);
    await expect(
      run([
        'privacy',
        'erase',
        '-e',
        'jo@example.org',
        '--keep-moderated-text',
        '--delete-moderated-text',
        '--yes',
      ]),
    ).rejects.toMatchObject({ type: 'conflicting-options' });
    expect(
      await run(['privacy', 'erase', '-e', 'jo@example.org', '--delete-moderated-text', '--yes']),
    ).toEqual(['Erased jo@example.org: 0 approved comments kept as text only, 1 comment deleted']);
    expect(await personal()).toBeUndefined();
  });
});
