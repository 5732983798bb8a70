// The agent side of DESIGN.md §3 "Batch": gzip a batch, POST it to the collector with the agent's
// token, and return the acknowledgement or a typed error saying whether a retry can help. The
// spool and retry loop (agent/uplink) and `analyze --upload` build on this.
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { AgentConfig, Batch, BatchAck } from '../../core/wire.js';
import { isAgentConfig, isBatchAck } from './collector-answers.js';

const gzipAsync = promisify(gzip);

export type UploadErrorKind =
  /** The collector could not be reached or the connection broke: retry later. */
  | 'network'
  /** 401/403: the token is wrong, revoked, or not this agent's. Retrying will not help. */
  | 'auth'
  /** 400/413/415: the collector refused the batch. Retrying the same batch will not help. */
  | 'rejected'
  /** 429: slow down; retryAfterSeconds says how long. */
  | 'rate-limited'
  /** 5xx or an answer that is not an acknowledgement: retry later. */
  | 'server';

export class UploadError extends Error {
  override readonly name = 'UploadError';
  constructor(
    readonly kind: UploadErrorKind,
    message: string,
    readonly status: number | null = null,
    /** The collector's error code (OM_ERR_…) when it sent one. */
    readonly code: string | null = null,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }

  /** True when sending the same batch again later may succeed. */
  get retryable(): boolean {
    return this.kind === 'network' || this.kind === 'server' || this.kind === 'rate-limited';
  }
}

export interface UploadOptions {
  /** Collector base URL, e.g. http://127.0.0.1:8470 */
  url: string;
  token: string;
  /** Default 30 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

function endpoint(base: string, path: string): string {
  let url: URL;
  try {
    url = new URL(path, base.endsWith('/') ? base : `${base}/`);
  } catch {
    throw new UploadError('rejected', `not a collector URL: ${base}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UploadError('rejected', `not an http(s) URL: ${base}`);
  return url.href;
}

async function request(opts: UploadOptions, path: string, init: RequestInit): Promise<unknown> {
  const doFetch = opts.fetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(endpoint(opts.url, path), {
      ...init,
      headers: { ...init.headers, authorization: `Bearer ${opts.token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
    });
  } catch (err) {
    if (err instanceof UploadError) throw err;
    throw new UploadError('network', `cannot reach the collector: ${(err as Error).message}`);
  }
  const text = await res.text().catch(() => '');
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (res.ok) return body;
  const {
    code = null,
    message = text.slice(0, 200),
    details = [],
  } = (body ?? {}) as {
    code?: string;
    message?: string;
    details?: string[];
  };
  const why = `collector answered ${res.status}${code ? ` ${code}` : ''}: ${message}${details.length ? ` (${details.slice(0, 3).join('; ')})` : ''}`;
  if (res.status === 401 || res.status === 403) throw new UploadError('auth', why, res.status, code);
  if (res.status === 429) {
    const after = Number(res.headers.get('retry-after'));
    throw new UploadError('rate-limited', why, 429, code, Number.isFinite(after) && after > 0 ? after : 1);
  }
  if (res.status >= 400 && res.status < 500) throw new UploadError('rejected', why, res.status, code);
  throw new UploadError('server', why, res.status, code);
}

/** The gzip body of a batch, as it goes on the wire (and as a spool can keep it on disk). */
export async function gzipBatch(batch: Batch): Promise<Buffer> {
  return gzipAsync(Buffer.from(JSON.stringify(batch)));
}

/** POSTs an already gzipped batch (from gzipBatch, e.g. read back from a spool). */
export async function uploadGzipped(body: Buffer, opts: UploadOptions): Promise<BatchAck> {
  const ack = await request(opts, 'v1/ingest', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    body,
  });
  if (!isBatchAck(ack))
    throw new UploadError(
      'server',
      'the collector answered with something that is not a batch acknowledgement',
    );
  return ack;
}

/** The agent's own settings from the collector (also how `analyze --upload` learns its agentId). */
export async function fetchAgentConfig(opts: UploadOptions): Promise<AgentConfig> {
  const config = await request(opts, 'v1/agent/config', { method: 'GET' });
  if (!isAgentConfig(config))
    throw new UploadError('server', 'the collector answered with something that is not an agent config');
  return config;
}
