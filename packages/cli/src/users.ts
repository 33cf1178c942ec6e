/**
 * `placetwin user add --email <address> --role <admin|planner|councillor> [--name <display name>]` and
 * `placetwin user list`: staff accounts. The password comes from PLACETWIN_PASSWORD (for scripts and the first
 * admin of a fresh install) or is asked for twice at the terminal without being shown; never from an argument,
 * which the shell history and `ps` would keep.
 */
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { createUser, type Db, isRole, listUsers, PASSWORD_MIN_LENGTH, ROLES } from '@placetwin/db';
import { DataError } from '@placetwin/geo';
import type { Command } from 'commander';
import { areaOption } from './areas';

export const PASSWORD_ENV = 'PLACETWIN_PASSWORD';

/** Asks for a line at the terminal without echoing what is typed. */
async function askHidden(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  try {
    const answer = rl.question(question);
    muted = true;
    return await answer;
  } finally {
    process.stderr.write('\n');
    rl.close();
  }
}

/** The new user's password: from the environment, else asked for twice at a terminal. */
export async function readNewPassword(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const fromEnv = env[PASSWORD_ENV];
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) {
    throw new DataError(
      'no-password',
      `no password: set ${PASSWORD_ENV}, or run the command in a terminal to be asked for one`,
    );
  }
  const first = await askHidden(`Password (at least ${PASSWORD_MIN_LENGTH} characters): `);
  const second = await askHidden('Password again: ');
  if (first !== second) throw new DataError('password-mismatch', 'the two passwords are not the same');
  return first;
}

export function addUserCommands(cmd: Command, withDb: <T>(fn: (db: Db) => Promise<T>) => Promise<T>): void {
  const user = cmd.command('user').description('Staff accounts (admin, planner, councillor) for signing in');

  user
    .command('add')
    .description(`Add a staff account; the password comes from ${PASSWORD_ENV} or is asked for`)
    .requiredOption('-e, --email <address>', 'email address to sign in with')
    .requiredOption('-r, --role <role>', `one of ${ROLES.join(', ')}`)
    .option('-n, --name <display name>', 'name shown to colleagues; default: the part of the email before @')
    .option(
      '--area <id>',
      'the council area the account works in (see `placetwin area list`); default: default',
    )
    .action(async (o: { email: string; role: string; name?: string; area?: string }) => {
      if (!isRole(o.role)) {
        throw new DataError('invalid-role', `role must be one of ${ROLES.join(', ')}, not "${o.role}"`);
      }
      const role = o.role;
      const areaId = areaOption(o.area);
      const password = await readNewPassword();
      await withDb(async (db) => {
        const u = await createUser(db, {
          email: o.email,
          displayName: o.name ?? o.email.split('@')[0],
          role,
          password,
          areaId,
        });
        console.log(
          `Added ${u.role} ${u.email} in area ${u.areaId} (id ${u.id}, shown as "${u.displayName}")`,
        );
      });
    });

  user
    .command('list')
    .description('List the staff accounts (of one area with --area)')
    .option('--area <id>', 'only this area’s accounts')
    .action(async (o: { area?: string }) => {
      await withDb(async (db) => {
        const users = await listUsers(db, o.area === undefined ? undefined : areaOption(o.area));
        if (users.length === 0)
          console.log('No staff accounts: add the first admin with `placetwin user add`.');
        for (const u of users) {
          console.log(
            `${u.id}\t${u.areaId}\t${u.role}\t${u.email}\t${u.displayName}${u.disabled ? '\t(disabled)' : ''}`,
          );
        }
      });
    });
}
