import { scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { csrfTokenMatches, hashPassword, normaliseEmail, SCRYPT_DEFAULTS, verifyPassword } from './auth';

// A lower cost than the default keeps these tests quick; the code path is the same, and the cost travels with
// the hash. One test checks the default cost itself.
const CHEAP = { logN: 12 };

describe('password hashing (scrypt)', () => {
  it('stores the OWASP parameters with the hash by default, and the hash is scrypt of the password and salt', async () => {
    const stored = await hashPassword('correct horse battery staple');
    const m = /^\$scrypt\$ln=17,r=8,p=1\$([^$]+)\$([^$]+)$/.exec(stored);
    expect(m).not.toBeNull();
    const salt = Buffer.from(m![1], 'base64');
    expect(salt).toHaveLength(16);
    // Recomputed independently with node:crypto: the stored key is exactly scrypt(N=2^17, r=8, p=1).
    const key = scryptSync('correct horse battery staple', salt, 32, {
      N: 2 ** 17,
      r: 8,
      p: 1,
      maxmem: 256 * 2 ** 17 * 8,
    });
    expect(m![2]).toBe(key.toString('base64'));
    expect(SCRYPT_DEFAULTS).toEqual({ logN: 17, r: 8, p: 1 });
  });

  it('accepts the right password and refuses a wrong one, a near miss and an empty one', async () => {
    const stored = await hashPassword('Rutland Water 1976', CHEAP);
    expect((await verifyPassword('Rutland Water 1976', stored)).ok).toBe(true);
    expect((await verifyPassword('Rutland Water 1977', stored)).ok).toBe(false);
    expect((await verifyPassword('rutland water 1976', stored)).ok).toBe(false);
    expect((await verifyPassword('', stored)).ok).toBe(false);
  });

  it('salts every hash: the same password hashes differently each time, and both verify', async () => {
    const a = await hashPassword('same password here', CHEAP);
    const b = await hashPassword('same password here', CHEAP);
    expect(a).not.toBe(b);
    expect((await verifyPassword('same password here', a)).ok).toBe(true);
    expect((await verifyPassword('same password here', b)).ok).toBe(true);
  });

  it('treats compatibility-equivalent Unicode as the same password (NFKC)', async () => {
    // "ﬁ" (U+FB01 ligature) is NFKC-equivalent to "fi", as a phone keyboard may type it.
    const stored = await hashPassword('ﬁsh and chips please', CHEAP);
    expect((await verifyPassword('fish and chips please', stored)).ok).toBe(true);
  });

  it('says when a hash is weaker than the target cost, and refuses malformed or tampered hashes', async () => {
    const weak = await hashPassword('upgrade me please', CHEAP);
    expect(await verifyPassword('upgrade me please', weak)).toEqual({ ok: true, needsRehash: true });
    expect(await verifyPassword('upgrade me please', weak, { logN: 12, r: 8, p: 1 })).toEqual({
      ok: true,
      needsRehash: false,
    });
    const tampered = weak.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await verifyPassword('upgrade me please', tampered)).ok).toBe(false);
    expect((await verifyPassword('x', 'plaintext-password')).ok).toBe(false);
    // An absurd cost in a stored hash is refused rather than run (it would take minutes and gigabytes).
    expect((await verifyPassword('x', weak.replace('ln=12', 'ln=30'))).ok).toBe(false);
  });
});

describe('csrfTokenMatches', () => {
  it('matches only the exact token', () => {
    expect(csrfTokenMatches('abc123', 'abc123')).toBe(true);
    expect(csrfTokenMatches('abc123', 'abc124')).toBe(false);
    expect(csrfTokenMatches('abc123', 'abc12')).toBe(false);
    expect(csrfTokenMatches('abc123', undefined)).toBe(false);
    expect(csrfTokenMatches('abc123', ['abc123'])).toBe(false);
  });
});

describe('normaliseEmail', () => {
  it('lower-cases and trims, and refuses what is not an address', () => {
    expect(normaliseEmail('  Planning@Rutland.GOV.uk ')).toBe('planning@rutland.gov.uk');
    expect(() => normaliseEmail('planning')).toThrow(/not an email address/);
    expect(() => normaliseEmail('a b@c.d')).toThrow(/not an email address/);
  });
});
