import { DataError } from '@placetwin/geo';
import { describe, expect, it } from 'vitest';
import { HttpProblem, notFound, PROBLEM_BASE, toProblem } from './problems';

const ctx = { url: '/api/buildings?bbox=1,2', requestId: 'req-42' };

describe('toProblem', () => {
  it('turns schema validation errors into a 400 naming each field and reason', () => {
    // The shape Fastify gives a failed querystring validation (ajv errors plus the context).
    const error = Object.assign(new Error('querystring/bbox must match pattern'), {
      statusCode: 400,
      validationContext: 'querystring',
      validation: [
        { instancePath: '/bbox', message: 'must match pattern "^…$"', params: {} },
        {
          instancePath: '',
          message: "must have required property 'dataset'",
          params: { missingProperty: 'dataset' },
        },
      ],
    });
    const p = toProblem(error, ctx);
    expect(p).toMatchObject({ type: `${PROBLEM_BASE}validation`, status: 400, instance: ctx.url });
    expect(p.errors).toEqual([
      { in: 'querystring', field: 'bbox', reason: 'must match pattern "^…$"' },
      { in: 'querystring', field: 'dataset', reason: "must have required property 'dataset'" },
    ]);
    expect(p.detail).toContain('querystring bbox must match pattern');
  });

  it('maps a DataError about a parameter to 400 and one about a file to 422, keeping its type and where', () => {
    const param = toProblem(new DataError('invalid-bbox', 'west must be less than east'), ctx);
    expect(param).toMatchObject({
      type: `${PROBLEM_BASE}invalid-bbox`,
      status: 400,
      reason: 'west must be less than east',
      file: null,
    });
    const file = toProblem(
      new DataError('invalid-geometry', 'ring has 2 vertices', { file: 'town.geojson', featureId: 'b7' }),
      ctx,
    );
    expect(file).toMatchObject({
      type: `${PROBLEM_BASE}invalid-geometry`,
      status: 422,
      file: 'town.geojson',
      featureId: 'b7',
      detail: 'town.geojson, feature b7: ring has 2 vertices',
    });
  });

  it('keeps the status, type and extra headers of an HttpProblem', () => {
    expect(toProblem(notFound('no building rutland:w1'), ctx)).toEqual({
      type: `${PROBLEM_BASE}not-found`,
      title: 'Not Found',
      status: 404,
      detail: 'no building rutland:w1',
      instance: ctx.url,
    });
    expect(toProblem(new HttpProblem(503, 'not-ready', 'starting'), ctx)).toMatchObject({
      type: `${PROBLEM_BASE}not-ready`,
      title: 'Service Unavailable',
      status: 503,
    });
  });

  it("gives Fastify's own 4xx errors (rate limit, bad media type) stable types", () => {
    const limited = toProblem({ statusCode: 429, message: 'Rate limit exceeded, retry in 1 minute' }, ctx);
    expect(limited).toMatchObject({
      type: `${PROBLEM_BASE}rate-limited`,
      status: 429,
      title: 'Too Many Requests',
    });
    const media = toProblem(
      Object.assign(new Error('Unsupported Media Type: text/csv'), { statusCode: 415 }),
      ctx,
    );
    expect(media.type).toBe(`${PROBLEM_BASE}unsupported-media-type`);
  });

  it('hides the internals of bugs behind a 500 with the request id', () => {
    const p = toProblem(
      new TypeError("Cannot read properties of undefined (reading 'rows') at /app/db.ts:12"),
      ctx,
    );
    expect(p).toMatchObject({ type: `${PROBLEM_BASE}internal`, status: 500, requestId: 'req-42' });
    expect(JSON.stringify(p)).not.toMatch(/rows|db\.ts|TypeError/);
    expect(p.detail).toContain('req-42');
    expect(toProblem('a thrown string', ctx).status).toBe(500);
    expect(toProblem({ statusCode: 502, message: 'upstream said x' }, ctx).status).toBe(500);
  });
});
