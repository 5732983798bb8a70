// Enrollment (DESIGN.md §5): the agent presents its one-time enrollment token once, stores the agent
// token it gets in a 0600 file (written atomically: a crash leaves the old file or the new one,
// never half of one), and from then on uses only that. The enrollment token is never sent again.
import {
  chmodSync,
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { MAX_ANSWER_BYTES } from './http-client.js';

export const CREDENTIALS_FILE = 'agent-token.json';
const TOKEN = /^[A-Za-z0-9_-]{16,256}$/;

export interface Credentials {
  agentId: number;
  siteId: number;
  token: string;
  /** The collector the token was issued by. */
  collector: string;
  enrolledAt: string;
}

export type EnrollErrorKind = 'network' | 'refused' | 'server';

export class EnrollError extends Error {
  override readonly name = 'EnrollError';
  constructor(
    readonly kind: EnrollErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** The stored credentials, or null when the agent has not enrolled. Throws on a damaged file. */
export function loadCredentials(stateDir: string): { credentials: Credentials; loosened: boolean } | null {
  const file = join(stateDir, CREDENTIALS_FILE);
  let text: string;
  let mode: number;
  try {
    mode = statSync(file).mode;
    if (statSync(file).size > 16 * 1024) throw new Error('file is too large');
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`cannot read ${file}: ${(err as Error).message}`);
  }
  let c: Partial<Credentials>;
  try {
    c = JSON.parse(text) as Partial<Credentials>;
  } catch {
    throw new Error(`${file} is not JSON: remove it and enroll again with a new enrollment token`);
  }
  if (
    !Number.isSafeInteger(c.agentId) ||
    !Number.isSafeInteger(c.siteId) ||
    typeof c.token !== 'string' ||
    !TOKEN.test(c.token.replace(/^om_/, '')) ||
    typeof c.collector !== 'string'
  )
    throw new Error(`${file} does not hold agent credentials: remove it and enroll again`);
  // Someone loosened the mode: tighten it again and say so.
  const loosened = (mode & 0o077) !== 0;
  if (loosened) chmodSync(file, 0o600);
  return {
    credentials: {
      agentId: c.agentId!,
      siteId: c.siteId!,
      token: c.token,
      collector: c.collector,
      enrolledAt: String(c.enrolledAt ?? ''),
    },
    loosened,
  };
}

/** Writes the credentials file with mode 0600: temp file, fsync, rename, fsync of the directory. */
export function saveCredentials(stateDir: string, c: Credentials): void {
  const file = join(stateDir, CREDENTIALS_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(c, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(tmp, 0o600); // the umask cannot widen it, but an existing temp file could have
  renameSync(tmp, file);
  const dir = openSync(stateDir, 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

export interface EnrollOptions {
  url: string;
  enrollmentToken: string;
  fetch: typeof fetch;
  timeoutMs: number;
  version: string;
}

/** Trades the enrollment token for the agent token (POST /v1/enroll). */
export async function enroll(opts: EnrollOptions): Promise<Credentials> {
  const url = new URL('v1/enroll', opts.url.endsWith('/') ? opts.url : `${opts.url}/`);
  let res: Response;
  try {
    res = await opts.fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${opts.enrollmentToken}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify({ hostname: hostname().slice(0, 255), version: opts.version.slice(0, 64) }),
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
  } catch (err) {
    throw new EnrollError('network', `cannot reach the collector to enroll: ${(err as Error).message}`);
  }
  const text = (await res.text().catch(() => '')).slice(0, MAX_ANSWER_BYTES);
  let body: Record<string, unknown> = {};
  try {
    body = (JSON.parse(text) as Record<string, unknown>) ?? {};
  } catch {
    body = {};
  }
  if (res.status === 401 || res.status === 403)
    throw new EnrollError(
      'refused',
      `the collector refused the enrollment token (${String(body.code ?? res.status)}: ${String(body.message ?? '')}); ask its admin for a new one`,
    );
  if (res.status !== 201)
    throw new EnrollError(
      res.status >= 500 ? 'server' : 'refused',
      `enrollment failed: collector answered ${res.status}`,
    );
  const { agentId, siteId, token } = body as { agentId?: unknown; siteId?: unknown; token?: unknown };
  if (
    !Number.isSafeInteger(agentId) ||
    !Number.isSafeInteger(siteId) ||
    typeof token !== 'string' ||
    !TOKEN.test(token.replace(/^om_/, ''))
  )
    throw new EnrollError(
      'server',
      'the collector answered the enrollment with something that is not an agent token',
    );
  return {
    agentId: agentId as number,
    siteId: siteId as number,
    token,
    collector: opts.url,
    enrolledAt: new Date().toISOString(),
  };
}
