// `originmap agent --config <file>`: the long-running agent (docs/agent.md). Startup problems a
// person must fix (a bad config, no capture permission, not enrolled) are one line and exit 2;
// SIGTERM/SIGINT stop it in order (everything seen is spooled first).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataFileError } from '../../core/catalog/yaml-source.js';
import { packageRoot } from '../../core/paths.js';
import { loadAgentConfig } from '../daemon/config.js';
import { createAgentLogger } from '../daemon/log.js';
import { runAgent } from '../daemon/run-agent.js';
import { parseCommandArgs } from './args.js';
import { CliError } from './cli-error.js';

const HELP = `usage: originmap agent --config <file> [--check]

Runs the agent: captures with tcpdump on the configured interfaces (and/or reads a
directory of rotated capture files), keeps an inventory of devices and connections,
spools what changed to disk and uploads it to the collector. Runs until SIGTERM/SIGINT.

Capturing needs root or CAP_NET_RAW (and CAP_NET_ADMIN) for tcpdump.
The configuration format and an example: docs/agent.md, docs/agent.example.yaml.

options:
  --config <file>   the agent's YAML configuration (required)
  --check           check the configuration (and the capture filter) and exit
  -h, --help        this help
`;

export async function run(argv: string[]): Promise<number> {
  const args = parseCommandArgs(argv, { config: { type: 'string' }, check: { type: 'boolean' } }, false);
  if (args.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const file = args.values.config as string | undefined;
  if (!file) throw new CliError('--config <file> is required (try: originmap agent --help)');
  let config: ReturnType<typeof loadAgentConfig>;
  try {
    config = loadAgentConfig(file);
  } catch (err) {
    if (err instanceof DataFileError) {
      // Every problem, one per line; the last line is the one-line summary.
      process.stderr.write(`${err.problems.join('\n')}\n`);
      throw new CliError(`${err.problems.length} problem(s) in ${file}`);
    }
    throw err;
  }
  if (args.values.check) {
    process.stdout.write(`${file}: ok\n`);
    return 0;
  }
  const log = createAgentLogger(config.log.level);
  return runAgent(
    { configFile: file, version: version(), pretty: process.stdout.isTTY === true },
    config.stateDir,
    log,
  );
}

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as {
      version: string;
    };
    return pkg.version;
  } catch {
    return '0.0.0';
  }
}
