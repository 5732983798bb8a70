import { describe, expect, it } from 'vitest';
import { OnceEmitter } from '../../../agent/decode/ot-bytes.js';
import { ONCE_LIST_MAX } from '../../../agent/decode/seen-facts.js';
import type { Emitter } from '../../../agent/decode/types.js';
import type { ObservationValue } from '../../../core/observation.js';
import type { ObservationKey } from '../../../core/observation-keys.js';

function recorder(): { out: Emitter; seen: string[] } {
  const seen: string[] = [];
  const out: Emitter = {
    observe: (about, key, value) => seen.push(`${about} ${key} ${typeof value} ${String(value)}`),
    observeMac: () => {},
    nameAddress: () => {},
    anomaly: (name) => seen.push(`anomaly ${name}`),
  };
  return { out, seen };
}

describe('OnceEmitter', () => {
  it('passes each (side, key, value) on once, before and after it holds more than its list', () => {
    const { out, seen } = recorder();
    const once = new OnceEmitter(out);
    const key: ObservationKey = 'modbus.unit_id';
    const facts: ['src' | 'dst', ObservationValue][] = [];
    for (let i = 0; i < ONCE_LIST_MAX + 10; i++) facts.push([i % 2 ? 'src' : 'dst', i]);
    // Every fact three times, interleaved, so repeats arrive while listed and after the move to Sets.
    for (let round = 0; round < 3; round++) for (const [about, v] of facts) once.observe(about, key, v);
    expect(seen).toEqual(facts.map(([about, v]) => `${about} ${key} number ${v}`));
  });

  it('keeps numbers and strings apart, cleans text, drops empty text, and counts NaN once', () => {
    const { out, seen } = recorder();
    const once = new OnceEmitter(out);
    once.observe('src', 'modbus.unit_id', 1);
    once.observe('src', 'modbus.unit_id', '1');
    once.observe('src', 'modbus.unit_id', 1);
    once.observe('dst', 'modbus.unit_id', 1);
    once.observe('src', 'modbus.function', 1);
    once.observe('src', 'modbus.vendor', ' Schneider\u0000 ');
    once.observe('src', 'modbus.vendor', 'Schneider');
    once.observe('src', 'modbus.vendor', '\u0001');
    once.observe('src', 'modbus.function', Number.NaN);
    once.observe('src', 'modbus.function', Number.NaN);
    once.role('src', 'modbus', 'server');
    once.role('src', 'modbus', 'server');
    expect(seen).toEqual([
      'src modbus.unit_id number 1',
      'src modbus.unit_id string 1',
      'dst modbus.unit_id number 1',
      'src modbus.function number 1',
      'src modbus.vendor string Schneider',
      'src modbus.function number NaN',
      'src ot.role string modbus:server',
    ]);
  });

  it('counts NaN once after the move to Sets too', () => {
    const { out, seen } = recorder();
    const once = new OnceEmitter(out);
    for (let i = 0; i <= ONCE_LIST_MAX; i++) once.observe('src', 'modbus.unit_id', i);
    once.observe('src', 'modbus.function', Number.NaN);
    once.observe('src', 'modbus.function', Number.NaN);
    once.observe('src', 'modbus.unit_id', 0);
    expect(seen.length).toBe(ONCE_LIST_MAX + 2);
  });
});
