// `originmap server`: the collector (DESIGN.md §4, §5). --init makes the first admin token.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseCommandArgs } from '../agent/commands/args.js';
import { CliError } from '../agent/commands/cli-error.js';
import { openDatabase } from './db/database.js';
import { loadIdentifier } from './identifier.js';
import { createLogger } from './logger.js';
import { BootstrapTokenError, startServer } from './main.js';
import { TokenRepo } from './repos/token-repo.js';

export const HELP = `usage: originmap server [--db <file>] [--host <addr>] [--port <n>] [--init]

Runs the collector: the inventory API (under /v1, OpenAPI at /docs, metrics at /metrics,
health at /healthz) that agents upload to and analysts query.

options:
  --db <file>        SQLite database (default: $XDG_DATA_HOME/originmap/collector.db)
  --host <addr>      address to listen on (default 127.0.0.1)
  --port <n>         TCP port (default 8470)
  --log-level <lvl>  trace, debug, info, warn, error (default info)
  --init             create an admin token, print it once, and exit
  -h, --help         this help

The first admin token comes from --init, or from ORIGINMAP_ADMIN_TOKEN ("om_" + 43
base64url characters) at start. There is no default password.
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

  const { identifier, signaturesVersion } = await loadIdentifier();
  try {
    const server = await startServer({
      db: file,
      identifier,
      signaturesVersion,
      host: (values.host as string | undefined) ?? '127.0.0.1',
      port: port(values.port as string | undefined),
      logger: createLogger({ level }),
      adminToken: process.env.ORIGINMAP_ADMIN_TOKEN || undefined,
    });
    server.app.log.info({ url: server.url, db: file }, 'collector listening');
    await server.closed;
    return 0;
  } catch (err) {
    if (err instanceof BootstrapTokenError) throw new CliError(err.message);
    const code = (err as { code?: string }).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      throw new CliError(`cannot listen: ${(err as Error).message}`);
    }
    if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_NOTADB') {
      throw new CliError(`cannot open the database ${file}: ${(err as Error).message}`);
    }
    throw err;
  }
}

/** Creates an admin token and prints it once; the database keeps only its hash. */
function init(file: string): number {
  let db: ReturnType<typeof openDatabase>;
  try {
    db = openDatabase({ file });
  } catch (err) {
    throw new CliError(`cannot open the database ${file}: ${(err as Error).message}`);
  }
  try {
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
