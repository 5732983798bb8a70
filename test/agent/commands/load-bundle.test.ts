// Loading a command's bundle with V8's code cache: the cache is taken only for the exact text it was
// made from, and shared modules are the caller's own.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheFile, cachePath, loadBundle } from '../../../agent/commands/load-bundle.js';

type Exports = { answer(): number; shared: unknown; strict: boolean };

function bundle(body: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'om-load-bundle-')), 'x.bundle.cjs');
  writeFileSync(file, body);
  return file;
}

const SOURCE = (n: number) =>
  `"use strict";\nconst shared = require("./shared.js");\nconst path = require("node:path");\nexports.answer = () => ${n} + path.sep.length;\nexports.shared = shared;\nexports.strict = (function () { return this === undefined; })();\n`;

// Each load is of a new file: V8 would answer a second compile of the same name and text from its
// in-memory compilation cache, without looking at the code cache.
function load(source: string, cache?: Uint8Array) {
  const file = bundle(source);
  if (cache) writeFileSync(cachePath(file), cache);
  return loadBundle<Exports>(file, { './shared.js': {} });
}

describe('loadBundle', () => {
  it('runs a CommonJS bundle with the shared modules given and node packages from its folder', () => {
    const shared = { marker: 1 };
    const loaded = loadBundle<Exports>(bundle(SOURCE(40)), { './shared.js': shared });
    expect(loaded.exports.answer()).toBe(41);
    expect(loaded.exports.shared).toBe(shared);
    expect(loaded.exports.strict).toBe(true);
    expect(loaded.cached).toBe(false);
  });

  it('takes the code cache made for its text, and ignores it once the text changed (same length)', () => {
    const data = load(SOURCE(40)).script.createCachedData();
    const again = load(SOURCE(40), cacheFile(SOURCE(40), data));
    expect(again.cached).toBe(true);
    expect(again.exports.answer()).toBe(41);
    // V8 checks only the source length: a same-length edit must still not run the old code.
    const edited = load(SOURCE(50), cacheFile(SOURCE(40), data));
    expect(edited.cached).toBe(false);
    expect(edited.exports.answer()).toBe(51);
  });

  it('compiles as usual when the cache file is damaged', () => {
    const good = cacheFile(SOURCE(40), load(SOURCE(40)).script.createCachedData());
    for (const bad of [
      Buffer.from('nonsense'),
      good.subarray(0, 100),
      Buffer.concat([good.subarray(0, 88), Buffer.alloc(good.length - 88, 7)]),
    ]) {
      const loaded = load(SOURCE(40), bad);
      expect(loaded.cached).toBe(false);
      expect(loaded.exports.answer()).toBe(41);
    }
  });
});
