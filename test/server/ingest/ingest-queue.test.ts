// Group commit of uploads: batches submitted together share one transaction and are acknowledged
// after it commits; a batch refused by its checks or failing half-way is refused alone and leaves
// no row (the group is written again batch by batch); a replayed batch id stays a no-op.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Batch } from '../../../core/wire.js';
import { ApiError } from '../../../server/errors.js';
import { type AfterBatch, IngestQueue } from '../../../server/ingest/ingest-queue.js';
import type { Uploader } from '../../../server/ingest/ingest-service.js';
import { auth, batch, device, makeTenant, type TestApp, testApp } from '../helpers.js';

let t: TestApp;
let from: Uploader;
let agentToken: string;
let reader: Database.Database;
let macs = 0;

beforeAll(async () => {
  t = await testApp();
  const a = await makeTenant(t, 'Queue Co');
  from = { agentId: a.agentId, siteId: a.siteId, operatorId: a.operatorId };
  agentToken = a.agentToken;
  // A second connection sees only what was committed.
  reader = new Database(join(t.dir, 'collector.db'), { readonly: true });
});
afterAll(async () => {
  reader.close();
  await t.close();
});

/** A batch of `n` new devices with one banner each. */
function newDevices(n: number): Batch {
  const devices = Array.from({ length: n }, () => {
    const m = ++macs;
    return device(
      `02:00:00:00:${((m >> 8) & 0xff).toString(16).padStart(2, '0')}:${(m & 0xff).toString(16).padStart(2, '0')}`,
      {
        'ssh.banner': `SSH-2.0-dev-${m}`,
      },
    );
  });
  return batch(from.agentId, { devices });
}

/** Batches of each committed transaction, as the queue reports them. */
const committedGroups: number[] = [];
const queue = (after?: AfterBatch, maxBatches = 8) =>
  new IngestQueue(t.app.services.db, t.app.services.ingest, {
    maxBatches,
    after,
    committed: (n) => committedGroups.push(n),
  });
const committed = (sql: string, ...params: unknown[]) =>
  (reader.prepare(sql).get(...params) as { n: number }).n;
const batchRows = (b: Batch) => committed('SELECT count(*) AS n FROM batches WHERE batch_id = ?', b.batchId);
const deviceRows = (b: Batch) =>
  committed(
    'SELECT count(*) AS n FROM devices WHERE site_id = ? AND key IN (SELECT value FROM json_each(?))',
    from.siteId,
    JSON.stringify(b.devices.map((d) => d.id)),
  );
const evidenceRows = (b: Batch) =>
  committed(
    `SELECT count(*) AS n FROM evidence WHERE device_id IN (SELECT id FROM devices WHERE site_id = ? AND key IN
       (SELECT value FROM json_each(?)))`,
    from.siteId,
    JSON.stringify(b.devices.map((d) => d.id)),
  );

describe('IngestQueue', () => {
  it('writes the batches of one turn in one transaction and acknowledges them after its commit', async () => {
    const bs = [newDevices(3), newDevices(2), newDevices(4)];
    const seenByReader: number[] = [];
    const q = queue((_from, r) => {
      // Inside the group: what the earlier batches wrote is not committed yet.
      seenByReader.push(bs.map(batchRows).reduce((x, y) => x + y, 0));
      expect(t.app.services.db.inTransaction).toBe(true);
      expect(r.ack.duplicate).toBe(false);
    });
    const acks = await Promise.all(bs.map((b) => q.submit(from, b, new Date())));
    expect(seenByReader).toEqual([0, 0, 0]);
    expect(committedGroups.at(-1)).toBe(3);
    expect(acks.map((r) => r.ack.devices)).toEqual([3, 2, 4]);
    expect(acks.map((r) => r.rows)).toEqual([6, 4, 8]);
    expect(bs.map(batchRows)).toEqual([1, 1, 1]);
    expect(bs.map(deviceRows)).toEqual([3, 2, 4]);
  });

  it('refuses a batch that fails half-way alone: none of its rows, all of the others', async () => {
    const bs = [newDevices(2), newDevices(3), newDevices(2)];
    const q = queue((_from, r) => {
      // Fails after the service wrote the devices, their evidence and the batch id.
      if (r.ack.batchId === bs[1]!.batchId) throw new Error('disk on fire');
    });
    const told = committedGroups.length;
    const settled = await Promise.allSettled(bs.map((b) => q.submit(from, b, new Date())));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({ message: 'disk on fire' });
    // The group was rolled back; the others were written again alone.
    expect(committedGroups.slice(told)).toEqual([1, 1]);
    expect(bs.map(batchRows)).toEqual([1, 0, 1]);
    expect(bs.map(deviceRows)).toEqual([2, 0, 2]);
    expect(bs.map(evidenceRows)).toEqual([2, 0, 2]);
    // Refused, so the agent sends it again: it is written then.
    const again = await queue().submit(from, bs[1]!, new Date());
    expect(again.ack).toMatchObject({ duplicate: false, devices: 3, evidence: 3 });
    expect(deviceRows(bs[1]!)).toBe(3);
  });

  it('refuses an invalid batch with its 4xx error, the batches beside it are written', async () => {
    const good = newDevices(2);
    const twice = newDevices(1);
    twice.devices.push(twice.devices[0]!);
    const told = committedGroups.length;
    const q = queue();
    const settled = await Promise.allSettled([twice, good].map((b) => q.submit(from, b, new Date())));
    expect(settled[0]!.status).toBe('rejected');
    expect((settled[0] as PromiseRejectedResult).reason).toBeInstanceOf(ApiError);
    expect(settled[1]!.status).toBe('fulfilled');
    expect([batchRows(twice), batchRows(good), deviceRows(good)]).toEqual([0, 1, 2]);
    // Refused by its checks, before any write: the group was not rolled back and redone.
    expect(committedGroups.slice(told)).toEqual([1]);
  });

  it('keeps a replayed batch id a no-op inside one group and after it', async () => {
    const b = newDevices(2);
    const q = queue();
    const [first, twin] = await Promise.all([q.submit(from, b, new Date()), q.submit(from, b, new Date())]);
    expect(first.ack).toMatchObject({ duplicate: false, devices: 2, evidence: 2 });
    expect(first.rows).toBe(4);
    expect(twin.ack).toMatchObject({ duplicate: true, devices: 2, evidence: 2, batchId: b.batchId });
    expect(twin.rows).toBe(0);
    const counts = () => committed('SELECT sum(count) AS n FROM evidence');
    const before = counts();
    const later = await q.submit(from, b, new Date());
    expect(later.ack.duplicate).toBe(true);
    expect(counts()).toBe(before);
    expect(batchRows(b)).toBe(1);
  });

  it('when SQLite ends the transaction, writes each batch again alone: only the failing one is refused', async () => {
    const bs = [newDevices(2), newDevices(2), newDevices(2)];
    const told = committedGroups.length;
    const q = queue((_from, r) => {
      // What SQLite does on SQLITE_FULL or an I/O error: the whole transaction is rolled back.
      if (r.ack.batchId === bs[1]!.batchId) t.app.services.db.exec('ROLLBACK');
    });
    const settled = await Promise.allSettled(bs.map((b) => q.submit(from, b, new Date())));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(t.app.services.db.inTransaction).toBe(false);
    expect(bs.map(batchRows)).toEqual([1, 0, 1]);
    expect(bs.map(deviceRows)).toEqual([2, 0, 2]);
    // The group did not commit; the two good batches did, one transaction each.
    expect(committedGroups.slice(told)).toEqual([1, 1]);
  });

  it('writes at most maxBatches per transaction, in the order submitted, and then is idle', async () => {
    const bs = Array.from({ length: 5 }, () => newDevices(1));
    const groups: number[][] = [];
    let current: number[] = [];
    const q = queue((_from, r) => {
      const i = bs.findIndex((b) => b.batchId === r.ack.batchId);
      // A batch whose predecessors are committed starts a new group.
      if (current.length > 0 && batchRows(bs[current.at(-1)!]!) === 1) {
        groups.push(current);
        current = [];
      }
      current.push(i);
    }, 2);
    const done = Promise.all(bs.map((b) => q.submit(from, b, new Date())));
    expect(q.pending).toBe(5);
    await q.idle();
    expect(q.pending).toBe(0);
    await done;
    groups.push(current);
    expect(groups).toEqual([[0, 1], [2, 3], [4]]);
    expect(committedGroups.slice(-3)).toEqual([2, 2, 1]);
  });

  it('over HTTP: batches posted together are acknowledged or refused each on its own, counted, the agent heard from', async () => {
    const metric = async (line: RegExp) => {
      const text = (await t.app.inject({ method: 'GET', url: '/metrics', headers: auth(t.admin) })).body;
      return Number(line.exec(text)?.[1] ?? 0);
    };
    const transactions = /^originmap_ingest_transactions_total (\d+)$/m;
    const before = await metric(transactions);
    const activity = () =>
      committed('SELECT count(*) AS n FROM agent_activity WHERE agent_id = ?', from.agentId);
    // Only the queues built here (no activity hook) wrote before: the agent was never heard from.
    expect(activity()).toBe(0);
    const good = [newDevices(2), newDevices(3)];
    const bad = newDevices(1);
    bad.devices[0]!.lastSeen = '2020-01-01T00:00:00.000Z';
    const replies = await Promise.all(
      [good[0]!, bad, good[1]!].map((b) =>
        t.app.inject({ method: 'POST', url: '/v1/ingest', headers: auth(agentToken), payload: b }),
      ),
    );
    expect(replies.map((r) => r.statusCode)).toEqual([200, 400, 200]);
    expect(replies[1]!.json()).toMatchObject({ code: 'OM_ERR_INGEST_INVALID' });
    expect([...good, bad].map(deviceRows)).toEqual([2, 3, 0]);
    const after = await metric(transactions);
    expect(after).toBeGreaterThan(before);
    expect(after - before).toBeLessThanOrEqual(2);
    // The upload recorded the agent's activity, committed with its batch.
    expect(activity()).toBe(1);
  });

  it('IngestService.write refuses to run outside a transaction', () => {
    const b = newDevices(1);
    const checked = t.app.services.ingest.check(from, b);
    expect('prepared' in checked).toBe(true);
    if (!('prepared' in checked)) return;
    expect(() => t.app.services.ingest.write(from, b, checked.prepared, new Date())).toThrow(
      /inside a transaction/,
    );
    expect(batchRows(b)).toBe(0);
  });

  it('refuses a group size that is not a positive integer', () => {
    expect(() => queue(undefined, 0)).toThrow(/maxBatches/);
    expect(() => queue(undefined, 1.5)).toThrow(/maxBatches/);
  });
});
