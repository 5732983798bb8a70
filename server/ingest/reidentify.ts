// Re-identification (DESIGN.md §1: "new signatures re-label old devices"): walks every stored
// device in id order, in short transactions with a pause between them so the server keeps
// answering, and re-decides the identity of each one not yet decided with the current signatures.
import type { Db } from '../db/database.js';
import type { IngestRepo } from '../repos/ingest-repo.js';
import type { MetaRepo } from '../repos/meta-repo.js';
import type { IngestService } from './ingest-service.js';

export interface ReidentifyStatus {
  running: boolean;
  signatures: string;
  /** Devices looked at and identities that changed in the current (or last) run. */
  scanned: number;
  changed: number;
  startedAt: string | null;
  finishedAt: string | null;
}

const META_KEY = 'identity.signatures';

export class Reidentifier {
  readonly #db: Db;
  readonly #repo: IngestRepo;
  readonly #meta: MetaRepo;
  readonly #ingest: IngestService;
  readonly #chunk: number;
  #run: Promise<ReidentifyStatus> | null = null;
  #stopping = false;
  #status: ReidentifyStatus;

  constructor(db: Db, repo: IngestRepo, meta: MetaRepo, ingest: IngestService, chunk = 500) {
    this.#db = db;
    this.#repo = repo;
    this.#meta = meta;
    this.#ingest = ingest;
    this.#chunk = chunk;
    this.#status = {
      running: false,
      signatures: ingest.signatures,
      scanned: 0,
      changed: 0,
      startedAt: null,
      finishedAt: null,
    };
  }

  /** True when stored identities were decided with other signatures than the current ones. */
  needed(): boolean {
    const done = this.#meta.get(META_KEY);
    return (
      done !== this.#ingest.signatures && (done !== undefined || this.#repo.devicesAfter(0, 1).length > 0)
    );
  }

  status(): ReidentifyStatus {
    return { ...this.#status };
  }

  /** Starts a run unless one is going; resolves when it finishes. */
  start(): Promise<ReidentifyStatus> {
    if (this.#run) return this.#run;
    this.#status = {
      running: true,
      signatures: this.#ingest.signatures,
      scanned: 0,
      changed: 0,
      startedAt: new Date().toISOString(),
      finishedAt: null,
    };
    this.#run = this.#loop().finally(() => {
      this.#run = null;
    });
    return this.#run;
  }

  /** Resolves when no pass is running (full evaluations wait for the identities they read). */
  async idle(): Promise<void> {
    await this.#run;
  }

  /** Asks a running pass to stop after its current chunk (shutdown); resumes on the next start. */
  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#run;
    this.#stopping = false;
  }

  async #loop(): Promise<ReidentifyStatus> {
    let after = 0;
    const step = this.#db.transaction((from: number) => {
      const devices = this.#repo.devicesAfter(from, this.#chunk);
      const now = new Date().toISOString();
      for (const d of devices) {
        this.#status.scanned++;
        if (d.identifiedWith === this.#ingest.signatures) continue;
        if (this.#ingest.reidentify(d, now)) this.#status.changed++;
      }
      return devices.at(-1)?.id ?? null;
    });
    for (;;) {
      if (this.#stopping) break;
      const last = step(after);
      if (last === null) {
        this.#meta.set(META_KEY, this.#ingest.signatures);
        break;
      }
      after = last;
      // Let requests in between chunks: a 1 M-device pass must not stall the API.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.#status.running = false;
    this.#status.finishedAt = new Date().toISOString();
    return this.status();
  }
}
