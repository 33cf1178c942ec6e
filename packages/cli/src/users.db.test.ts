import { authenticate, type Db, listUsers, openTestDb, SCRYPT_DEFAULTS } from '@placetwin/db';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addUserCommands, PASSWORD_ENV, readNewPassword } from './users';

let db: Db;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ db, drop } = await openTestDb());
});
afterAll(async () => drop?.());

/** `placetwin user …` against the test database, as main.ts wires it (withDb opens the configured one). */
async function run(args: string[]): Promise<string[]> {
  const cmd = new Command('placetwin').exitOverride();
  addUserCommands(cmd, (fn) => fn(db));
  const out: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
  try {
    await cmd.parseAsync(['node', 'placetwin', ...args]);
  } finally {
    log.mockRestore();
  }
  return out;
}

describe('placetwin user', () => {
  it('adds the first admin with the password from the environment, hashed at the default cost', async () => {
    vi.stubEnv(PASSWORD_ENV, 'first admin password');
    try {
      const out = await run(['user', 'add', '--email', 'Admin@Rutland.gov.uk', '--role', 'admin']);
      expect(out).toEqual([
        expect.stringMatching(
          /^Added admin admin@rutland\.gov\.uk in area default \(id \d+, shown as "Admin"\)$/,
        ),
      ]);
    } finally {
      vi.unstubAllEnvs();
    }
    const h = (
      await db.query<{ h: string }>(
        `SELECT password_hash AS h FROM users WHERE email = 'admin@rutland.gov.uk'`,
      )
    ).rows[0].h;
    expect(h).toMatch(new RegExp(`^\\$scrypt\\$ln=${SCRYPT_DEFAULTS.logN},r=8,p=1\\$`));
    expect((await authenticate(db, 'admin@rutland.gov.uk', 'first admin password'))?.role).toBe('admin');
    expect((await run(['user', 'list']))[0]).toMatch(/^\d+\tdefault\tadmin\tadmin@rutland\.gov\.uk\tAdmin$/);
  });

  it('refuses an unknown role and a short password, adding nobody', async () => {
    vi.stubEnv(PASSWORD_ENV, 'short');
    try {
      await expect(
        run(['user', 'add', '--email', 'x@rutland.gov.uk', '--role', 'mayor']),
      ).rejects.toMatchObject({
        type: 'invalid-role',
      });
      await expect(
        run(['user', 'add', '--email', 'x@rutland.gov.uk', '--role', 'planner']),
      ).rejects.toMatchObject({
        type: 'weak-password',
      });
    } finally {
      vi.unstubAllEnvs();
    }
    expect((await listUsers(db)).map((u) => u.email)).not.toContain('x@rutland.gov.uk');
  });

  it('asks for the password only at a terminal: without one and without the variable it says what to do', async () => {
    expect(process.stdin.isTTY).toBeFalsy();
    await expect(readNewPassword({})).rejects.toThrow(`set ${PASSWORD_ENV}`);
  });
});
