// The error registry and docs/errors.md list the same codes, statuses and messages; the error
// handler maps framework errors to registered codes and hides 5xx details.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/paths.js';
import { ERRORS } from '../../server/errors.js';
import { classify } from '../../server/http/error-handler.js';

function documented(): Map<string, { status: number; message: string }> {
  const text = readFileSync(join(packageRoot(), 'docs', 'errors.md'), 'utf8');
  const rows = new Map<string, { status: number; message: string }>();
  for (const line of text.split('\n')) {
    const m = /^\| (OM_ERR_[A-Z_]+) \| (\d{3}) \| (.*) \|$/.exec(line);
    if (m) rows.set(m[1]!, { status: Number(m[2]), message: m[3]! });
  }
  return rows;
}

describe('error registry', () => {
  it('docs/errors.md lists exactly the registered codes with their status and message', () => {
    const docs = documented();
    const registry = new Map(Object.entries(ERRORS).map(([code, spec]) => [code, { ...spec }]));
    expect([...docs.keys()].sort()).toEqual([...registry.keys()].sort());
    for (const [code, spec] of registry) expect(docs.get(code), code).toEqual(spec);
  });

  it('codes follow OM_ERR_<AREA>_<WHAT> and statuses are HTTP errors', () => {
    for (const [code, spec] of Object.entries(ERRORS)) {
      expect(code).toMatch(/^OM_ERR_[A-Z]+_[A-Z_]+$/);
      expect(spec.status).toBeGreaterThanOrEqual(400);
      expect(spec.status).toBeLessThan(600);
    }
  });

  it('maps unknown failures to OM_ERR_SERVER_INTERNAL and framework errors to their codes', () => {
    expect(classify(new Error('secret path /etc/x')).code).toBe('OM_ERR_SERVER_INTERNAL');
    expect(
      classify(Object.assign(new Error('x'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 })).code,
    ).toBe('OM_ERR_REQ_BODY_TOO_LARGE');
    expect(classify(Object.assign(new Error('x'), { code: 'Z_DATA_ERROR' })).code).toBe(
      'OM_ERR_REQ_BAD_ENCODING',
    );
    const v = classify(
      Object.assign(new Error('x'), {
        validation: [{ instancePath: '/a', message: 'bad' }],
        validationContext: 'body',
      }),
    );
    expect(v).toMatchObject({ code: 'OM_ERR_REQ_VALIDATION', details: ['body/a: bad'] });
  });
});
