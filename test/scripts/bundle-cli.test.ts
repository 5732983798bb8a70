// The build's bundle of `originmap analyze` (scripts/bundle-cli.ts): refuses to move a relative path,
// and, where the build made it, prints exactly what the modules print.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../core/paths.js';
import { BUNDLE_ENTRY, checkBundle } from '../../scripts/bundle-cli.js';
import { generateFixtures } from '../../scripts/generate-fixtures.js';

const COMMANDS = join(packageRoot(), 'dist', 'agent', 'commands');
const BUNDLE = join(COMMANDS, BUNDLE_ENTRY);

describe('checkBundle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'om-bundle-'));
  const file = (name: string, code: string) => {
    writeFileSync(join(dir, name), code);
    return join(dir, name);
  };

  it('accepts imports of its own chunks, the shared module and packages', () => {
    const ok = file(
      'analyze.bundle.cjs',
      '"use strict";\nconst t = require("./analyze.bundle-types.cjs");\nlet e = require("./cli-error.js");\nlet m = require("mmdb-lib");\nconst u = () => Promise.resolve().then(() => require("./analyze.bundle-unknown.cjs"));\n',
    );
    expect(() => checkBundle(ok, dir)).not.toThrow();
  });

  it('refuses a require that left the bundle, a path built from its own location, sloppy mode', () => {
    for (const code of [
      'const x = require("./other.cjs");',
      'const x = require("../core/x.js");',
      'require( "./side-effect.js");',
      'const m = await import("./commands/scan.js");',
      'export { x } from "./x.js";',
      'new Worker(new URL("./agent-worker.js", import.meta.url));',
    ]) {
      const f = file('analyze.bundle-x.cjs', `"use strict";\n${code}`);
      expect(() => checkBundle(f, dir), code).toThrow(/analyze\.bundle-x\.cjs: (loads|builds)/);
    }
    expect(() => checkBundle(file('analyze.bundle-y.cjs', 'let x = 1;'), dir)).toThrow(/not in strict mode/);
  });
});

describe.skipIf(!existsSync(BUNDLE))('the built bundle (npm run build)', () => {
  let demo: string;
  let notCapture: string;

  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'om-bundle-run-'));
    generateFixtures(dir);
    demo = join(dir, 'demo.pcapng');
    mkdirSync(join(dir, 'bad'));
    notCapture = join(dir, 'bad', 'notes.txt');
    writeFileSync(notCapture, 'hello');
  });

  /** Runs one build of the command (`run(argv)`) in a child process. */
  function runWith(module: string, argv: string[]) {
    const url = (f: string) => JSON.stringify(pathToFileURL(f).href);
    const load = module.endsWith('.cjs')
      ? `const { loadBundle } = await import(${url(join(COMMANDS, 'load-bundle.js'))});
const m = loadBundle(${JSON.stringify(module)}, { './cli-error.js': await import(${url(join(COMMANDS, 'cli-error.js'))}) }).exports;`
      : `const m = await import(${url(module)});`;
    const script = `${load}
const { CliError } = await import(${url(join(COMMANDS, 'cli-error.js'))});
try { process.exitCode = await m.run(${JSON.stringify(argv)}); }
catch (e) { process.stderr.write((e instanceof CliError ? 'CliError' : 'other') + ': ' + e.message + '\\n'); process.exitCode = 99; }`;
    return spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  }

  it('prints the same JSON and text as the modules, byte for byte', () => {
    for (const argv of [
      ['--json', '--quiet', demo],
      ['--quiet', '--unknown', '--policy', 'jp-espa', demo],
    ]) {
      const [bundled, modules] = [BUNDLE, join(COMMANDS, 'analyze.js')].map((m) => runWith(m, argv));
      expect(bundled!.status, bundled!.stderr).toBe(0);
      const strip = (s: string) =>
        s.replace(/"durationMs": \d+/, '').replace(/ in 1 file, (.*), [\d.]+ s\./, '$1');
      expect(strip(bundled!.stdout)).toBe(strip(modules!.stdout));
      expect(bundled!.stdout.length).toBeGreaterThan(1000);
    }
  });

  it('throws the CliError class that agent/cli.ts knows (so main() prints one line, exit 2)', () => {
    const r = runWith(BUNDLE, [notCapture]);
    expect(r.status).toBe(99);
    expect(r.stderr).toMatch(/^CliError: .*notes\.txt: not a pcap or pcapng capture/);
  });

  it("comes with V8's code cache of a run, which this node takes", () => {
    const script = `const { loadBundle } = await import(${JSON.stringify(pathToFileURL(join(COMMANDS, 'load-bundle.js')).href)});
process.stdout.write(String(loadBundle(${JSON.stringify(BUNDLE)}, { './cli-error.js': {} }).cached));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stdout, r.stderr).toBe('true');
  });
});
