// `analyze --upload`: send a one-shot inventory to a collector as an enrolled agent would.
// The token never goes on the command line (other users see argv in `ps`): it is read from a
// file (the agent's own token file works) or from ORIGINMAP_TOKEN.
import { createHash } from 'node:crypto';
import type { AnalyzeReport } from '../../core/inventory.js';
import { FileTooLargeError, readBounded } from '../../core/read-bounded.js';
import type { AgentConfig, Batch } from '../../core/wire.js';
import { batchesFromReport, uploadBatch } from '../uplink/report-batches.js';
import { fetchAgentConfig, UploadError } from '../uplink/upload.js';
import { CliError } from './cli-error.js';

export interface UploadTarget {
  url: string;
  token: string;
}

export interface UploadTotals {
  batches: number;
  devices: number;
  connections: number;
  duplicates: number;
  skipped: number;
}

/** Longest token file read: agent tokens are ~60 characters. */
const MAX_TOKEN_FILE = 4096;

/**
 * The collector URL and the token to present. Plain http is refused unless the collector is on
 * this machine or `insecureHttp` says the operator chose it (a token sent in clear over a plant
 * network is a token given away).
 */
export function uploadTarget(
  url: string,
  tokenFile: string | undefined,
  env: NodeJS.ProcessEnv,
  insecureHttp: boolean,
): UploadTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`--upload: '${url}' is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new CliError(`--upload: '${url}' is not an http(s) URL`);
  if (parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname) && !insecureHttp)
    throw new CliError(
      `--upload: plain http to ${parsed.hostname} would send the token in clear; use https or add --insecure-http`,
    );
  return { url: parsed.href, token: readToken(tokenFile, env) };
}

function readToken(tokenFile: string | undefined, env: NodeJS.ProcessEnv): string {
  let token: string;
  if (tokenFile !== undefined) {
    let raw: Buffer;
    try {
      raw = readBounded(tokenFile, MAX_TOKEN_FILE);
    } catch (err) {
      if (err instanceof FileTooLargeError)
        throw new CliError(`--token-file: ${tokenFile} is not a token file`);
      throw new CliError(`--token-file: cannot read ${tokenFile}: ${(err as NodeJS.ErrnoException).code}`);
    }
    token = tokenFromFile(raw.toString('utf8'));
  } else {
    token = (env.ORIGINMAP_TOKEN ?? '').trim();
  }
  if (token === '')
    throw new CliError('--upload needs an agent token: --token-file <file> or ORIGINMAP_TOKEN');
  if (!/^[\x21-\x7e]{8,512}$/.test(token))
    throw new CliError('the agent token has characters a token cannot have');
  return token;
}

/** A bare token, or the agent's token file (JSON with an agentToken or token field). */
function tokenFromFile(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return trimmed;
  try {
    const doc = JSON.parse(trimmed) as Record<string, unknown>;
    const value = doc.agentToken ?? doc.token;
    return typeof value === 'string' ? value.trim() : '';
  } catch {
    return '';
  }
}

function contentId(b: Batch): string {
  const h = createHash('sha256').update(JSON.stringify([b.agentId, b.devices, b.connections]));
  return `analyze-${h.digest('base64url').slice(0, 40)}`;
}

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The agent's settings: who it is and the site's own networks (asked before the capture is read). */
export async function agentSettings(target: UploadTarget): Promise<AgentConfig> {
  try {
    return await fetchAgentConfig(target);
  } catch (err) {
    if (err instanceof UploadError) throw new CliError(`--upload: ${err.message}`);
    throw err;
  }
}

/** Sends the report in batches of the collector's size, in order; stops at the first refusal. */
export async function uploadReport(
  report: Pick<AnalyzeReport, 'devices' | 'connections'>,
  target: UploadTarget,
  settings: AgentConfig,
  onBatch?: (done: number, total: number) => void,
): Promise<UploadTotals> {
  const batches = batchesFromReport(report, settings.agentId, { maxDevices: settings.maxBatchDevices });
  // Connection counts are deltas on the collector. A batch id made from the batch's content makes
  // uploading the same capture again a replay the collector acknowledges and ignores, rather than
  // a second helping of the same packets.
  for (const b of batches) b.batchId = contentId(b);
  const totals: UploadTotals = { batches: 0, devices: 0, connections: 0, duplicates: 0, skipped: 0 };
  for (const batch of batches) {
    let ack: Awaited<ReturnType<typeof uploadBatch>>;
    try {
      ack = await uploadBatch(batch, target);
    } catch (err) {
      if (!(err instanceof UploadError)) throw err;
      const sent = totals.batches ? ` (${totals.batches} of ${batches.length} batches were accepted)` : '';
      throw new CliError(`--upload: ${err.message}${sent}`);
    }
    totals.batches++;
    totals.devices += ack.devices;
    totals.connections += ack.connections;
    totals.skipped += ack.skipped.unknownKeys + ack.skipped.capped;
    if (ack.duplicate) totals.duplicates++;
    onBatch?.(totals.batches, batches.length);
  }
  return totals;
}
