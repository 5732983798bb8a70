// Sends the spool to the collector, oldest batch first, one at a time: mark the attempt on disk,
// POST, delete on acknowledgement. While the collector is down or slow it backs off exponentially
// with jitter; a batch the collector refuses for good is set aside so it cannot block the rest.
import { gzipSync } from 'node:zlib';
import type { Logger } from '../daemon/log.js';
import type { AgentMetrics } from '../daemon/metrics.js';
import type { Backoff } from './backoff.js';
import { type Spool, SpoolError, type SpooledBatch } from './spool.js';
import { UploadError, uploadGzipped } from './upload.js';

export interface UploaderOptions {
  /** The spool, or null while it cannot be opened (then nothing is sent). */
  spool: () => Spool | null;
  url: string;
  /** The agent's credentials once enrolled (null before). */
  credentials: () => { agentId: number; token: string } | null;
  fetch: typeof fetch;
  timeoutMs: number;
  backoff: Backoff;
  /** Wait after an auth failure (the token was revoked: only an admin can fix it). */
  authRetryMs: number;
  log: Logger;
  metrics: AgentMetrics;
  /** After every spool change (ack, reject): the daemon refreshes its gauges and may resume draining. */
  onSpoolChange?: () => void;
}

/** The exact wire body of a spooled batch: the header fields, then the spooled content. */
export function wireBody(b: SpooledBatch, agentId: number): string {
  const head = `{"agentId":${agentId},"batchId":${JSON.stringify(b.batchId)},"seq":${b.seq},"createdAt":${JSON.stringify(b.createdAt)}`;
  const rest = b.payloadJson.trimStart().slice(1).trimStart();
  return rest.startsWith('}') ? `${head}}` : `${head},${rest}`;
}

export class Uploader {
  readonly #o: UploaderOptions;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #stopped = false;
  #waitingUntil = 0;
  /** Whether the last attempt failed: the first success after it is logged. */
  #down = false;
  #abort: AbortController | null = null;

  constructor(opts: UploaderOptions) {
    this.#o = opts;
  }

  /** New batches were spooled (or credentials arrived): send now unless backing off. */
  kick(): void {
    if (this.#stopped || this.#running || this.#timer) return;
    this.#running = this.#drain().finally(() => {
      this.#running = null;
    });
  }

  /** Stops sending; an upload in flight is abandoned (its batch stays marked and is resent later). */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#abort?.abort(new Error('agent stopping'));
    await this.#running;
  }

  /** Milliseconds until the next retry while backing off, else 0. */
  get retryInMs(): number {
    return Math.max(0, this.#waitingUntil - Date.now());
  }

  async #drain(): Promise<void> {
    while (!this.#stopped) {
      const creds = this.#o.credentials();
      if (!creds) return;
      const spool = this.#o.spool();
      if (!spool) return;
      let batch: SpooledBatch | null;
      try {
        batch = spool.next();
        if (!batch) return;
        // On disk before the request leaves: from now on this batch is never merged or changed.
        spool.markAttempt(batch.seq);
      } catch (err) {
        this.#retryLater(this.#o.backoff.fail(), `spool not usable for upload: ${(err as Error).message}`);
        return;
      }
      const outcome = await this.#send(spool, batch, creds);
      if (outcome === 'stop') return;
    }
  }

  async #send(
    spool: Spool,
    batch: SpooledBatch,
    creds: { agentId: number; token: string },
  ): Promise<'next' | 'stop'> {
    const o = this.#o;
    const body = gzipSync(wireBody(batch, creds.agentId));
    this.#abort = new AbortController();
    const abort = this.#abort;
    try {
      const ack = await uploadGzipped(body, {
        url: o.url,
        token: creds.token,
        timeoutMs: o.timeoutMs,
        fetch: (input, init) =>
          o.fetch(input, { ...init, signal: AbortSignal.any([abort.signal, init?.signal ?? abort.signal]) }),
      });
      if (ack.batchId !== batch.batchId)
        throw new UploadError('server', 'the acknowledgement names another batch');
      this.#acked(spool, batch, ack.duplicate);
      return 'next';
    } catch (err) {
      if (this.#stopped) return 'stop';
      if (err instanceof SpoolError) {
        // Acknowledged but not removable now (full disk): it is resent later and the collector
        // answers "duplicate", so nothing is doubled.
        this.#retryLater(o.backoff.fail(), `acknowledged batch not removed from the spool: ${err.message}`);
        return 'stop';
      }
      if (!(err instanceof UploadError)) throw err;
      if (err.kind === 'rejected') {
        o.log.error(
          { seq: batch.seq, batchId: batch.batchId, reason: err.message },
          'collector refused a batch for good; kept aside in the spool',
        );
        o.metrics.inc('batches_rejected_total');
        try {
          spool.reject(batch.seq, err.message);
        } catch (e) {
          this.#retryLater(o.backoff.fail(), `cannot set the refused batch aside: ${(e as Error).message}`);
          return 'stop';
        }
        o.onSpoolChange?.();
        return 'next';
      }
      o.metrics.inc('upload_failures_total');
      if (err.kind === 'auth') {
        this.#retryLater(
          o.authRetryMs,
          `collector refused the agent token (${err.message}); re-enroll the agent`,
        );
        return 'stop';
      }
      const wait =
        err.kind === 'rate-limited' && err.retryAfterSeconds
          ? Math.max(err.retryAfterSeconds * 1000, o.backoff.fail() / 4)
          : o.backoff.fail();
      this.#retryLater(wait, err.message);
      return 'stop';
    } finally {
      this.#abort = null;
    }
  }

  #acked(spool: Spool, batch: SpooledBatch, duplicate: boolean): void {
    const o = this.#o;
    spool.ack(batch.seq);
    o.backoff.succeed();
    o.metrics.inc('batches_uploaded_total');
    if (duplicate) o.metrics.inc('batches_duplicate_total');
    if (this.#down) {
      this.#down = false;
      o.log.info({ seq: batch.seq }, 'collector reachable again; sending the spool');
    }
    o.log.debug(
      { seq: batch.seq, batchId: batch.batchId, duplicate, attempts: batch.attempts + 1 },
      'batch acknowledged',
    );
    o.onSpoolChange?.();
  }

  #retryLater(ms: number, why: string): void {
    const o = this.#o;
    // One warning when uploads start failing, then debug lines: a week-long outage is not 10k warnings.
    if (!this.#down) o.log.warn({ retryInMs: ms }, `upload failed, retrying with backoff: ${why}`);
    else o.log.debug({ retryInMs: ms, failures: o.backoff.failures }, `upload failed: ${why}`);
    this.#down = true;
    this.#waitingUntil = Date.now() + ms;
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#waitingUntil = 0;
      this.kick();
    }, ms);
    this.#timer.unref?.();
  }
}
