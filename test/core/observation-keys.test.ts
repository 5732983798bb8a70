import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isObservationKey, OBSERVATION_KEYS } from '../../core/observation-keys.js';
import { packageRoot } from '../../core/paths.js';
import { renderObservationKeys } from '../../scripts/docs/observation-keys.js';

describe('observation key registry', () => {
  it('names every key protocol.field in lower case', () => {
    for (const key of Object.keys(OBSERVATION_KEYS)) expect(key).toMatch(/^[a-z0-9]+\.[a-z0-9_]+$/);
  });
  it('knows its own keys and no others', () => {
    expect(isObservationKey('dhcp.hostname')).toBe(true);
    expect(isObservationKey('dhcp.nonsense')).toBe(false);
    expect(isObservationKey('__proto__')).toBe(false);
  });
  it('is documented in docs/observation-keys.md, generated from the registry', () => {
    const doc = readFileSync(join(packageRoot(), 'docs', 'observation-keys.md'), 'utf8');
    expect(doc, 'regenerate: node dist/scripts/docs/observation-keys.js > docs/observation-keys.md').toBe(
      renderObservationKeys(),
    );
  });
});
