#!/usr/bin/env node
// The `originmap` command: a thin dispatcher; each subcommand lives in its own module, loaded lazily
// so that `originmap analyze` never pays for the collector's dependencies.
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CliError } from './commands/cli-error.js';

type CommandModule = { run(argv: string[]): Promise<number> };

// Each subcommand adds its own line here when its module lands.
const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  analyze: {
    summary: 'read pcap/pcapng captures and print the inventory',
    load: () => bundledOr('./commands/analyze.bundle.cjs', () => import('./commands/analyze.js')),
  },
  agent: {
    summary: 'run the agent: live capture, spool and upload to the collector',
    load: () => import('./commands/agent.js'),
  },
  scan: {
    summary: 'active, read-only discovery of an in-scope range',
    load: () => import('./commands/scan.js'),
  },
  report: {
    summary: 'signed regulator summary (JSON, CSV, HTML) from analyze --json',
    load: () => import('./commands/report.js'),
  },
  verify: {
    summary: 'check a signed summary against a public key, offline',
    load: () => import('./commands/verify.js'),
  },
  server: {
    summary: 'run the collector (inventory API for agents and analysts)',
    load: () => import('../server/command.js'),
  },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'originmap: who made every device on your network, and where it talks to',
    '',
    'usage: originmap <command> [options]     (originmap <command> --help for its options)',
    '',
    ...lines,
    '',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    process.stderr.write(`originmap: unknown command '${name}' (try: originmap --help)\n`);
    return 2;
  }
  let mod: CommandModule;
  try {
    mod = await command.load();
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') {
      process.stderr.write(`originmap: '${name}' is not available in this build\n`);
      return 2;
    }
    throw err;
  }
  try {
    return await mod.run(rest);
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`originmap ${name}: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
}

/**
 * The build's bundle of a command (scripts/bundle-cli.ts: ~0.1 s less to load than its ~140 modules)
 * while it is at least as new as the module it was made from; the modules themselves otherwise
 * (no bundle, as when run from source, or a stale one after a bare `tsc`).
 */
async function bundledOr(bundle: string, modules: () => Promise<CommandModule>): Promise<CommandModule> {
  const url = new URL(bundle, import.meta.url);
  const source = new URL(bundle.replace('.bundle.cjs', '.js'), import.meta.url);
  let fresh = false;
  try {
    fresh = statSync(url).mtimeMs >= statSync(source).mtimeMs;
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENOENT') throw err;
  }
  if (!fresh) return modules();
  const [{ loadBundle }, cliError] = await Promise.all([
    import('./commands/load-bundle.js'),
    import('./commands/cli-error.js'),
  ]);
  return loadBundle<CommandModule>(fileURLToPath(url), { './cli-error.js': cliError }).exports;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

// Run only when this file is the entry point (the npm bin is a symlink to it), not when imported by tests.
const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(realpathSync(entry)).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(
        `originmap: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exitCode = 70;
    },
  );
}
