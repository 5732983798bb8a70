import { describe, expect, it } from 'vitest';
import { isObservationKey, OBSERVATION_KEYS } from '../../core/observation-keys.js';

describe('observation key registry', () => {
  it('names every key protocol.field in lower case', () => {
    for (const key of Object.keys(OBSERVATION_KEYS)) expect(key).toMatch(/^[a-z0-9]+\.[a-z0-9_]+$/);
  });
  it('knows its own keys and no others', () => {
    expect(isObservationKey('dhcp.hostname')).toBe(true);
    expect(isObservationKey('dhcp.nonsense')).toBe(false);
    expect(isObservationKey('__proto__')).toBe(false);
  });
});
