// An operator's sector comes from the one vocabulary that policies and `report --sector` use: every
// sector they can name must be one an operator can be created with, and nothing else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECTORS } from '../../core/policy/vocabulary.js';
import { call, type TestApp, testApp } from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe('operator sectors', () => {
  it('accepts every sector of the policy vocabulary', async () => {
    for (const sector of SECTORS) {
      const op = await call<{ sector: string }>(
        t.app,
        {
          method: 'POST',
          url: '/v1/operators',
          token: t.admin,
          payload: { name: `op-${sector}`, sector, country: 'JP' },
        },
        201,
      );
      expect(op.sector).toBe(sector);
    }
  });

  it('refuses a sector outside it with a 400', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/operators',
      headers: { authorization: `Bearer ${t.admin}` },
      payload: { name: 'op-mining', sector: 'mining', country: 'JP' },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json() as { code: string; details: string[] };
    expect(body.code).toBe('OM_ERR_REQ_VALIDATION');
    // One line that names the field, not one "must be equal to constant" per sector.
    expect(body.details).toEqual(['body/sector: must be equal to one of the allowed values']);
  });
});
