// The lazily loaded yaml names behave as the library's own (core/catalog/yaml-lib.ts).

import { describe, expect, it } from 'vitest';
import * as Yaml from 'yaml';
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  stringify,
  yamlLib,
} from '../../../core/catalog/yaml-lib.js';

describe('yaml-lib', () => {
  it('is the same library instance that import gives', () => {
    expect(yamlLib().parseDocument).toBe(Yaml.parseDocument);
  });

  it('parses with a line counter and tells node kinds apart', () => {
    const lc = new LineCounter();
    expect(lc).toBeInstanceOf(Yaml.LineCounter);
    const doc = parseDocument('a: &x [1, 2]\nb: *x\n', { lineCounter: lc });
    const map = doc.contents;
    expect(isMap(map)).toBe(true);
    expect(isSeq(map)).toBe(false);
    if (!isMap(map)) return;
    const [a, b] = map.items;
    expect(isPair(a)).toBe(true);
    expect(isScalar(a?.key)).toBe(true);
    expect(isSeq(a?.value)).toBe(true);
    expect(isAlias(b?.value)).toBe(true);
    expect(isAlias(a?.value)).toBe(false);
    expect(lc.linePos(doc.contents!.range![0] + 13)).toEqual({ line: 2, col: 1 });
  });

  it('stringifies as the library does, with and without options', () => {
    const value = { rules: [{ pattern: '^x$', examples: ['x'] }] };
    expect(stringify(value)).toBe(Yaml.stringify(value));
    expect(stringify(value, { indent: 4 })).toBe(Yaml.stringify(value, { indent: 4 }));
  });
});
