import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '@placetwin/db';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from './app';

// A database that is never reached: compiling the route schemas needs none.
const noDb: Db = {
  kind: 'server',
  async query() {
    throw new Error('no database in this test');
  },
  transaction: (fn) => fn(noDb),
  close: async () => {},
};

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'placetwin-strict-'));
});
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('route schemas', () => {
  it('compile without Ajv strict-mode warnings (no "allowUnionTypes" noise at start)', async () => {
    const warnings: string[] = [];
    const spies = (['warn', 'log', 'error'] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation((...args: unknown[]) => {
        warnings.push(args.map(String).join(' '));
      }),
    );
    const app = buildApp({ db: noDb, tilesetsDir: join(root, 'tilesets'), dataDir: join(root, 'data') });
    try {
      await app.ready();
      // Route schemas compile lazily on first use in some Fastify versions: hit the scenario routes once.
      await app.inject({ method: 'GET', url: '/api/scenarios/compare?a=baseline&b=x' });
      await app.inject({ method: 'POST', url: '/api/scenarios/1/changes', payload: {} });
    } finally {
      await app.close();
      for (const s of spies) s.mockRestore();
    }
    expect(warnings.filter((w) => /strict mode|allowUnionTypes/i.test(w))).toEqual([]);
  });
});
