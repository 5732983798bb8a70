// A `fetch` for the uplink over node:https/node:http: Node's global fetch cannot take a CA file
// without undici's Agent (not importable in Node 20), and the collector may use a private CA.
// Answers are size-capped: a broken or hostile collector cannot make the agent buffer without bound.
import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isLoopbackHost } from '../daemon/config.js';

/** Largest answer body read from the collector (acknowledgements and configs are a few KiB). */
export const MAX_ANSWER_BYTES = 1024 * 1024;

export interface HttpClientOptions {
  /** PEM file with the CA(s) to trust instead of the system's. */
  caFile?: string | null;
  /** Allow http:// to a host that is not loopback (configured explicitly). */
  allowInsecureHttp?: boolean;
  maxAnswerBytes?: number;
}

export class HttpClientError extends Error {
  override readonly name = 'HttpClientError';
}

/** Builds the fetch function the uplink uses. Throws HttpClientError when the CA file is unreadable. */
export function createHttpFetch(opts: HttpClientOptions = {}): typeof fetch {
  let ca: Buffer | undefined;
  if (opts.caFile) {
    try {
      ca = readFileSync(opts.caFile);
    } catch (err) {
      throw new HttpClientError(`cannot read the CA file ${opts.caFile}: ${(err as Error).message}`);
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----'))
      throw new HttpClientError(`${opts.caFile} holds no PEM certificate`);
  }
  // keepAlive: one connection for uploads, heartbeats and config pulls.
  const agent = new HttpsAgent({ keepAlive: true, maxSockets: 4, ...(ca ? { ca } : {}) });
  const cap = opts.maxAnswerBytes ?? MAX_ANSWER_BYTES;

  const doFetch = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && !opts.allowInsecureHttp)
      return Promise.reject(new HttpClientError(`refusing plain http to ${url.hostname} (not loopback)`));
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      return Promise.reject(new HttpClientError(`unsupported URL scheme ${url.protocol}`));
    const headers = new Headers(init.headers);
    const body = init.body === undefined || init.body === null ? null : toBuffer(init.body);
    if (body) headers.set('content-length', String(body.length));
    return new Promise<Response>((resolve, reject) => {
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(
        url,
        {
          method: init.method ?? 'GET',
          headers: Object.fromEntries(headers.entries()),
          ...(url.protocol === 'https:' ? { agent } : {}),
        },
        (res) => collect(res, cap).then(resolve, reject),
      );
      const signal = init.signal;
      const abort = () =>
        req.destroy(new HttpClientError(`request aborted: ${String(signal?.reason ?? '')}`));
      if (signal?.aborted) abort();
      signal?.addEventListener('abort', abort, { once: true });
      req.on('close', () => signal?.removeEventListener('abort', abort));
      req.on('error', reject);
      req.end(body ?? undefined);
    });
  };
  return doFetch as typeof fetch;
}

function toBuffer(body: NonNullable<RequestInit['body']>): Buffer {
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  throw new HttpClientError('unsupported request body type');
}

function collect(res: IncomingMessage, cap: number): Promise<Response> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > cap) {
        res.destroy(new HttpClientError(`the collector's answer is larger than ${cap} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    res.on('error', reject);
    res.on('end', () => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(res.headers)) {
        if (typeof v === 'string') headers.set(k, v);
        else if (Array.isArray(v)) for (const item of v) headers.append(k, item);
      }
      const status = res.statusCode ?? 500;
      // Response() refuses statuses outside 200..599: a broken server is a 502 here.
      const ok = status >= 200 && status <= 599;
      resolve(
        new Response(status === 204 || status === 304 ? null : Buffer.concat(chunks), {
          status: ok ? status : 502,
          headers,
        }),
      );
    });
  });
}
