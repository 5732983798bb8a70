// Child process of the collector benchmark: plays the agents (concurrent uploads over real HTTP,
// each batch generated and gzipped beforehand, sent by the real upload client) or an analyst
// (sequential listing requests, timed). A separate process, as agents run on other machines, so
// that the collector's CPU time can be measured alone.
import { gzipBatch, UploadError, uploadGzipped } from '../../agent/uplink/upload.js';
import { makeBatch } from './bench-data.js';

export interface UploadJob {
  mode: 'upload';
  url: string;
  agents: { agentId: number; token: string }[];
  batchesPerAgent: number;
  batchSize: number;
  /** Device index offset, so that phases add new devices. */
  firstIndex: number;
  seed: number;
  /** Set to re-report devices already sent (same devices, new batch ids, later last-seen). */
  tag?: string;
}

export interface ListJob {
  mode: 'list';
  url: string;
  token: string;
  /** Path and query of each scenario, requested `repeat` times (or until `budgetMs` is spent). */
  scenarios: { name: string; path: string }[];
  repeat: number;
  budgetMs: number;
}

export interface UploadResult {
  batches: number;
  rows: number;
  devices: number;
  evidence: number;
  errors: string[];
  ms: number;
}

async function upload(job: UploadJob): Promise<UploadResult> {
  const result: UploadResult = { batches: 0, rows: 0, devices: 0, evidence: 0, errors: [], ms: 0 };
  // Every body is made and gzipped before the clock starts: on this 2-core box the agents'
  // own work would otherwise be charged to the collector (real agents run on other machines).
  const bodies: Buffer[][] = [];
  for (let a = 0; a < job.agents.length; a++) {
    const mine: Buffer[] = [];
    for (let b = 0; b < job.batchesPerAgent; b++) {
      const index = job.firstIndex + (a * job.batchesPerAgent + b) * job.batchSize;
      mine.push(
        await gzipBatch(
          makeBatch(
            job.agents[a]!.agentId,
            b,
            index,
            job.batchSize,
            job.seed + index,
            Date.now(),
            job.tag ?? '',
          ),
        ),
      );
    }
    bodies.push(mine);
  }
  process.send!({ ready: true });
  const started = performance.now();
  await Promise.all(
    job.agents.map(async (agent, a) => {
      for (const body of bodies[a]!) {
        try {
          const ack = await uploadGzipped(body, { url: job.url, token: agent.token, timeoutMs: 120_000 });
          // A replayed batch is answered from its stored acknowledgement, counts and all, with nothing
          // written: counting its rows would time work that was not done (a --db of an earlier run).
          if (ack.duplicate) {
            result.errors.push(`duplicate: ${ack.batchId} was already stored; its rows are not counted`);
            continue;
          }
          result.batches++;
          result.devices += ack.devices;
          result.evidence += ack.evidence;
          result.rows += ack.devices + ack.evidence;
        } catch (err) {
          result.errors.push(err instanceof UploadError ? `${err.kind}: ${err.message}` : String(err));
        }
      }
    }),
  );
  result.ms = performance.now() - started;
  return result;
}

async function list(job: ListJob): Promise<Record<string, { ms: number[]; errors: number; items: number }>> {
  const out: Record<string, { ms: number[]; errors: number; items: number }> = {};
  for (const s of job.scenarios) out[s.name] = { ms: [], errors: 0, items: 0 };
  // A few requests first so that connection set-up and JIT warm-up are not measured.
  for (const s of job.scenarios)
    await fetch(job.url + s.path, { headers: { authorization: `Bearer ${job.token}` } }).then((r) =>
      r.arrayBuffer(),
    );
  for (const s of job.scenarios) {
    const started = performance.now();
    // A slow scenario (a full scan) stops at its time budget, after at least 20 samples.
    for (let i = 0; i < job.repeat && (i < 20 || performance.now() - started < job.budgetMs); i++) {
      const t0 = performance.now();
      const res = await fetch(job.url + s.path, { headers: { authorization: `Bearer ${job.token}` } });
      const body = (await res.json()) as { items?: unknown[]; observations?: unknown[] };
      out[s.name]!.ms.push(performance.now() - t0);
      if (res.status !== 200) out[s.name]!.errors++;
      else out[s.name]!.items = body.items?.length ?? body.observations?.length ?? 0;
    }
  }
  return out;
}

process.once('message', (job: UploadJob | ListJob) => {
  const run = job.mode === 'upload' ? upload(job) : list(job);
  run.then(
    (r) => process.send!(r, () => process.exit(0)),
    (err: unknown) => process.send!({ fatal: String(err) }, () => process.exit(1)),
  );
});
