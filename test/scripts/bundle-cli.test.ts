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
      'analyze.bundle.js',
      'import { a } from "./analyze.bundle-types.js";\nimport { CliError } from "./cli-error.js";\nimport { Reader } from "mmdb-lib";\nconst m = () => import("./analyze.bundle-unknown.js");\n',
    );
    expect(() => checkBundle(ok, dir)).not.toThrow();
  });

  it('refuses an import that left the bundle, and a path built from its own location', () => {
    for (const code of [
      'import { x } from "./other.js";',
      'export { x } from "../core/x.js";',
      'import "./side-effect.js";',
      'const m = await import("./commands/scan.js");',
      'new Worker(new URL("./agent-worker.js", import.meta.url));',
    ]) {
      expect(() => checkBundle(file('analyze.bundle-x.js', code), dir), code).toThrow(
        /analyze\.bundle-x\.js/,
      );
    }
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
    const script = `const m = await import(${url(module)});
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
});
