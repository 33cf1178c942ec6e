/**
 * For tests that drive staff routes through `app.inject()`: a signed-in staff member's request headers (session
 * cookie and CSRF token), creating the account on first use. Real sign-in, real session, real CSRF check.
 */
import { createUser, type Db, findUserByEmail, type Role } from '@placetwin/db';
import type { FastifyInstance } from 'fastify';

export const TEST_STAFF_PASSWORD = 'test staff password';

export type StaffHeaders = Record<'cookie' | 'x-csrf-token', string>;

/**
 * Signs in as `<role>@staff.test` (made with a cheap scrypt cost if missing; `<role>@<area>.staff.test` in another
 * area than the default one) and returns the headers to send.
 * Build the app with `auth: { passwordHashing: { logN: 10 } }` to keep sign-in cheap too.
 */
export async function staffHeaders(
  app: FastifyInstance,
  db: Db,
  role: Role,
  areaId?: string,
): Promise<StaffHeaders> {
  const email = areaId ? `${role}@${areaId}.staff.test` : `${role}@staff.test`;
  if (!(await findUserByEmail(db, email))) {
    await createUser(
      db,
      {
        email,
        displayName: `Test ${role}`,
        role,
        password: TEST_STAFF_PASSWORD,
        ...(areaId ? { areaId } : {}),
      },
      { logN: 10 },
    );
  }
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email, password: TEST_STAFF_PASSWORD },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in as ${role} failed: ${res.statusCode} ${res.body}`);
  const cookie = ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .find((c) => c.startsWith('placetwin_session='));
  if (!cookie) throw new Error('sign-in set no session cookie');
  return { cookie: cookie.split(';')[0], 'x-csrf-token': res.json().csrfToken };
}
