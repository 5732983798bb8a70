// The agent's conversation with its collector besides uploads: enrollment (once, retried while the
// collector is unreachable), periodic heartbeats, and config pulls. The agent captures and spools
// from the first second; what it cannot send yet waits in the spool.
import { Backoff } from '../uplink/backoff.js';
import { type PulledSettings, pullConfig } from '../uplink/config-pull.js';
import {
  type Credentials,
  EnrollError,
  enroll,
  loadCredentials,
  saveCredentials,
} from '../uplink/enrollment.js';
import { type HeartbeatBody, sendHeartbeat } from '../uplink/heartbeat.js';
import type { CollectorSettings } from './config.js';
import type { Logger } from './log.js';
import type { AgentMetrics } from './metrics.js';

/** Not enrolled and no enrollment token to enroll with: one line for the person installing. */
export class EnrollmentMissingError extends Error {
  override readonly name = 'EnrollmentMissingError';
}

export interface CollectorLinkOptions {
  collector: CollectorSettings;
  stateDir: string;
  fetch: typeof fetch;
  version: string;
  log: Logger;
  metrics: AgentMetrics;
  /** Reads the enrollment token file (when configured so). */
  readTokenFile: (path: string) => string;
  onEnrolled: (c: Credentials) => void;
  onSettings: (s: PulledSettings) => Promise<void>;
  checkFilter: (filter: string) => Promise<string | null>;
  heartbeat: () => HeartbeatBody;
}

export class CollectorLink {
  readonly #o: CollectorLinkOptions;
  #credentials: Credentials | null = null;
  #enrollTimer: NodeJS.Timeout | null = null;
  #stopped = false;
  readonly #backoff: Backoff;

  constructor(o: CollectorLinkOptions) {
    this.#o = o;
    this.#backoff = new Backoff({ minMs: 1000, maxMs: 300_000 });
  }

  get credentials(): Credentials | null {
    return this.#credentials;
  }

  get url(): string {
    return this.#o.collector.url.href;
  }

  /**
   * Loads the stored agent token, or checks that an enrollment token is at hand and starts enrolling
   * in the background. Throws EnrollmentMissingError (or a damaged-file Error) for the person.
   */
  begin(): void {
    const stored = loadCredentials(this.#o.stateDir);
    if (stored) {
      if (stored.loosened)
        this.#o.log.warn('the agent token file was readable by others; its mode is 0600 again');
      if (stored.credentials.collector !== this.url)
        this.#o.log.warn(
          { enrolledWith: stored.credentials.collector, configured: this.url },
          'the agent token was issued by another collector URL',
        );
      this.#credentials = stored.credentials;
      this.#o.onEnrolled(stored.credentials);
      return;
    }
    const c = this.#o.collector;
    if (!c.enrollmentToken && !c.enrollmentTokenFile)
      throw new EnrollmentMissingError(
        'this agent is not enrolled: set collector.enrollmentToken or collector.enrollmentTokenFile (an admin creates one with POST /v1/sites/<id>/agents)',
      );
    // Read now, so a missing file is reported at start rather than on the first attempt.
    const token = c.enrollmentToken ?? this.#o.readTokenFile(c.enrollmentTokenFile!);
    void this.#enroll(token);
  }

  stop(): void {
    this.#stopped = true;
    if (this.#enrollTimer) clearTimeout(this.#enrollTimer);
  }

  async #enroll(token: string): Promise<void> {
    const o = this.#o;
    try {
      const creds = await enroll({
        url: this.url,
        enrollmentToken: token,
        fetch: o.fetch,
        timeoutMs: o.collector.timeoutMs,
        version: o.version,
      });
      saveCredentials(o.stateDir, creds);
      this.#credentials = creds;
      o.log.info(
        { agentId: creds.agentId, siteId: creds.siteId },
        'enrolled; the agent token is stored (mode 0600)',
      );
      o.onEnrolled(creds);
    } catch (err) {
      if (!(err instanceof EnrollError)) throw err;
      if (err.kind === 'refused') {
        o.log.error(
          `${err.message}; the agent keeps capturing and spooling, and sends once restarted with a valid enrollment token`,
        );
        return;
      }
      const wait = this.#backoff.fail();
      o.log.warn({ retryInMs: wait }, `cannot enroll yet: ${err.message}`);
      if (this.#stopped) return;
      this.#enrollTimer = setTimeout(() => void this.#enroll(token), wait);
      this.#enrollTimer.unref();
    }
  }

  async heartbeat(): Promise<boolean> {
    return sendHeartbeat({
      url: this.url,
      credentials: () => this.#credentials,
      fetch: this.#o.fetch,
      timeoutMs: this.#o.collector.timeoutMs,
      body: this.#o.heartbeat,
      log: this.#o.log,
      metrics: this.#o.metrics,
    });
  }

  /** Pulls and applies the collector's settings; a bad config is refused and the old one kept. */
  async pull(): Promise<void> {
    const creds = this.#credentials;
    if (!creds) return;
    const o = this.#o;
    const r = await pullConfig({
      url: this.url,
      token: creds.token,
      agentId: creds.agentId,
      fetch: o.fetch,
      timeoutMs: o.collector.timeoutMs,
      checkFilter: o.checkFilter,
    });
    if (!r.ok) {
      if (r.retryable) o.log.debug({ reason: r.reason }, 'config not pulled');
      else {
        o.metrics.inc('config_rejected_total');
        o.log.error({ reason: r.reason }, 'config from the collector refused; keeping the current one');
      }
      return;
    }
    await o.onSettings(r.settings);
  }
}
