// `originmap server`: the collector (DESIGN.md §4, §5). --init makes the first admin token.
import { accessSync, constants, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseCommandArgs } from '../agent/commands/args.js';
import { CliError } from '../agent/commands/cli-error.js';
import { openDatabase } from './db/database.js';
import { SEARCH_FILE_ERROR } from './db/search-store.js';
import { createLogger } from './logger.js';
import { BootstrapTokenError } from './main.js';
import { KEY_FILE, loadOrCreateSigningKey, PUB_FILE, SigningKeyError } from './reports/signing-key.js';
import { TokenRepo } from './repos/token-repo.js';
import { runCollector } from './run-collector.js';

export const HELP = `usage: originmap server [--db <file>] [--host <addr>] [--port <n>] [--delivery-dir <dir>] [--init]

Runs the collector: the inventory API (under /v1, OpenAPI at /docs, metrics at /metrics,
health at /healthz) that agents upload to and analysts query; it evaluates policies into
findings and produces each operator's signed regulator summary on its schedule.

options:
  --db <file>          SQLite database (default: $XDG_DATA_HOME/originmap/collector.db)
  --host <addr>        address to listen on (default 127.0.0.1)
  --port <n>           TCP port (default 8470)
  --delivery-dir <dir> also write each produced report there, for transfer
  --log-level <lvl>    trace, debug, info, warn, error (default info)
  --init               create an admin token, print it once, make the report-signing key, and exit
  -h, --help           this help

The first admin token comes from --init, or from ORIGINMAP_ADMIN_TOKEN ("om_" + 43
base64url characters) at start. There is no default password. Reports are signed with
the Ed25519 key report-signing.key (mode 0600) next to the database, made by --init or at
the first start; report-signing.pub verifies them (originmap verify <report> --key <pub>).
`;

export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'originmap', 'collector.db');
}

function port(text: string | undefined): number {
  if (text === undefined) return 8470;
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535)
    throw new CliError(`--port: '${text}' is not a port number`);
  return Number(text);
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error'];

export async function run(argv: string[]): Promise<number> {
  const { values, help } = parseCommandArgs(
    argv,
    {
      db: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      'log-level': { type: 'string' },
      'delivery-dir': { type: 'string' },
      init: { type: 'boolean' },
    },
    false,
  );
  if (help) {
    process.stdout.write(HELP);
    return 0;
  }
  const file = (values.db as string | undefined) ?? defaultDbPath();
  const level = (values['log-level'] as string | undefined) ?? 'info';
  if (!LEVELS.includes(level))
    throw new CliError(`--log-level: '${level}' is not one of ${LEVELS.join(', ')}`);
  if (values.init) return init(file);

  // Logs are JSON unless stdout is a terminal; decided here, since the worker's stdout never is.
  const pretty = process.stdout.isTTY === true;
  try {
    // The collector runs on a worker thread with its own young generation (run-collector.ts).
    return await runCollector(
      {
        db: file,
        host: (values.host as string | undefined) ?? '127.0.0.1',
        port: port(values.port as string | undefined),
        level,
        pretty,
        adminToken: process.env.ORIGINMAP_ADMIN_TOKEN || undefined,
        deliveryDir: deliveryDir(values['delivery-dir'] as string | undefined),
      },
      createLogger({ level, pretty }),
    );
  } catch (err) {
    if (err instanceof BootstrapTokenError || err instanceof SigningKeyError) throw new CliError(err.message);
    const code = (err as { code?: string }).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      throw new CliError(`cannot listen: ${(err as Error).message}`);
    }
    if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_NOTADB') {
      throw new CliError(`cannot open the database ${file}: ${(err as Error).message}`);
    }
    if (code === SEARCH_FILE_ERROR) throw new CliError((err as Error).message);
    throw err;
  }
}

/** The delivery directory, made if missing and checked writable now rather than at the first report. */
function deliveryDir(dir: string | undefined): string | undefined {
  if (dir === undefined) return undefined;
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw new CliError(
      `--delivery-dir ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  return dir;
}

/** Creates an admin token and prints it once (the database keeps only its hash); makes the signing key. */
function init(file: string): number {
  let db: ReturnType<typeof openDatabase>;
  try {
    db = openDatabase({ file });
  } catch (err) {
    throw new CliError(`cannot open the database ${file}: ${(err as Error).message}`);
  }
  try {
    let signing: ReturnType<typeof loadOrCreateSigningKey>;
    try {
      signing = loadOrCreateSigningKey(dirname(file));
    } catch (err) {
      if (err instanceof SigningKeyError) throw new CliError(err.message);
      throw err;
    }
    const { key, created } = signing;
    process.stdout.write(
      `report signing key ${key.keyId} ${created ? 'made' : 'kept'}: ${join(key.dir, KEY_FILE)} (mode 0600); ` +
        `give ${join(key.dir, PUB_FILE)} to whoever verifies reports\n`,
    );
    // The token last: scripts take the last line (`… --init | tail -1`).
    const tokens = new TokenRepo(db);
    const { token } = tokens.issue(
      { role: 'admin', label: 'originmap server --init' },
      new Date().toISOString(),
    );
    process.stdout.write(
      `admin token (shown once, store it now; only its hash is kept in ${file}):\n${token}\n`,
    );
    return 0;
  } finally {
    db.close();
  }
}
