/**
 * `placetwin privacy retention [--dry-run]`, `placetwin privacy export --email <address> [--out <file>]` and
 * `placetwin privacy erase --email <address> [--keep-moderated-text | --delete-moderated-text] --yes`: the
 * retention job and subject access / erasure by email from a terminal (the same functions as the admin page and
 * API, logged in privacy_log with the actor `cli`).
 */
import { writeFile } from 'node:fs/promises';
import { type Db, eraseSubject, runRetention, subjectData } from '@placetwin/db';
import { DataError } from '@placetwin/geo';
import type { Command } from 'commander';

export const CLI_ACTOR = 'cli';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function addPrivacyCommands(
  cmd: Command,
  withDb: <T>(fn: (db: Db) => Promise<T>) => Promise<T>,
): void {
  const privacy = cmd
    .command('privacy')
    .description('Personal data: the retention job, subject access and erasure by email address');

  privacy
    .command('retention')
    .description(
      "Delete or anonymise commenters' personal data past its retention period; end expired sessions",
    )
    .option('--dry-run', 'report what would be removed, changing nothing')
    .action(async (o: { dryRun?: boolean }) => {
      await withDb(async (db) => {
        const r = await runRetention(db, { dryRun: Boolean(o.dryRun) });
        const verb = r.dryRun ? 'Would remove' : 'Removed';
        console.log(
          `${verb}: ${plural(r.anonymisedComments.length, 'comment')} anonymised, ` +
            `${plural(r.deletedComments.length, 'rejected comment')} deleted, ` +
            `on ${plural(r.consultations.length, 'consultation')} past their retention period; ` +
            `${plural(r.deletedSessions, 'expired session')} deleted${r.dryRun ? ' (dry run: nothing changed)' : ''}`,
        );
        for (const c of r.consultations) console.log(`consultation ${c.id}\t${c.areaId}\tdue ${c.dueAt}`);
      });
    });

  privacy
    .command('export')
    .description('Everything held for an email address (comments, staff account), as JSON')
    .requiredOption('-e, --email <address>', 'the person’s email address')
    .option('-o, --out <file>', 'write the JSON to this file instead of the terminal')
    .action(async (o: { email: string; out?: string }) => {
      await withDb(async (db) => {
        const data = await subjectData(db, o.email, CLI_ACTOR);
        const json = `${JSON.stringify(data, null, 2)}\n`;
        if (o.out) {
          await writeFile(o.out, json, { mode: 0o600 });
          console.log(
            `Wrote ${o.out}: ${plural(data.comments.length, 'comment')}${data.staffAccount ? ' and a staff account' : ''}`,
          );
        } else console.log(json.trimEnd());
      });
    });

  privacy
    .command('erase')
    .description(
      "Erase an email address's personal data: its comments (approved text kept per policy) and staff account",
    )
    .requiredOption('-e, --email <address>', 'the person’s email address')
    .option(
      '--keep-moderated-text',
      'keep the text of approved comments, anonymised, whatever the area policy',
    )
    .option('--delete-moderated-text', 'delete approved comments too, whatever the area policy')
    .option('-y, --yes', 'really erase (without it, only says what would be erased)')
    .action(
      async (o: {
        email: string;
        keepModeratedText?: boolean;
        deleteModeratedText?: boolean;
        yes?: boolean;
      }) => {
        if (o.keepModeratedText && o.deleteModeratedText) {
          throw new DataError(
            'conflicting-options',
            'choose one of --keep-moderated-text and --delete-moderated-text',
          );
        }
        const keepApprovedText = o.keepModeratedText ? true : o.deleteModeratedText ? false : undefined;
        await withDb(async (db) => {
          if (!o.yes) {
            const data = await subjectData(db, o.email);
            console.log(
              `Would erase ${plural(data.comments.length, 'comment')}${data.staffAccount ? ` and staff account ${data.staffAccount.id}` : ''} ` +
                `for ${data.email}. Run again with --yes to erase.`,
            );
            return;
          }
          const r = await eraseSubject(db, o.email, { actor: CLI_ACTOR, keepApprovedText });
          console.log(
            `Erased ${r.email}: ${plural(r.anonymisedComments.length, 'approved comment')} kept as text only, ` +
              `${plural(r.deletedComments.length, 'comment')} deleted` +
              (r.deletedUser ? `, staff account ${r.deletedUser} deleted` : ''),
          );
        });
      },
    );
}
