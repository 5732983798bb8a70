// Ingest of one agent batch (DESIGN.md §3, §5): checked whole before any write, then written in
// one transaction — devices, their evidence and identity (decided here by the injected
// Identifier), connections, and the batch id that makes a replay a no-op.
import type { GeoLookup } from '../../core/geo/contracts.js';
import type { Identifier } from '../../core/identify/contracts.js';
import type { DeviceRecord, Identity, ObservationSummary } from '../../core/inventory.js';
import type { Batch, BatchAck } from '../../core/wire.js';
import type { Db } from '../db/database.js';
import {
  type EvidenceRow,
  type IngestRepo,
  identityKey,
  type SeenFacts,
  type StoredDevice,
} from '../repos/ingest-repo.js';
import {
  decided,
  emptyDevice,
  foldEvidence,
  mergeNames,
  mergeSeen,
  type PendingDevice,
  type PreparedBatch,
  prepareBatch,
  sameSeen,
} from './merge.js';

export interface Uploader {
  agentId: number;
  siteId: number;
  operatorId: number;
}

/** A device the batch wrote, as a record: what evaluation reads (core/inventory.ts DeviceRecord). */
export interface WrittenDevice {
  deviceId: number;
  record: DeviceRecord;
  /** Inserted by this batch (so nothing about it is stored yet). */
  isNew: boolean;
}

/**
 * Told about the devices of each accepted batch, inside its transaction (in a savepoint of its own):
 * findings are evaluated there. A failure there is reported to `failed` and does not refuse the
 * batch: an agent's data is never lost to a policy problem.
 */
export interface IngestListener {
  devicesWritten(from: Uploader, devices: WrittenDevice[], now: Date): void;
  failed(err: unknown, from: Uploader): void;
}

export interface IngestResult {
  ack: BatchAck;
  /** Rows written: devices + evidence + connections (0 for a replay). */
  rows: number;
}

/**
 * Devices looked up per statement. Bounds what one lookup holds: a hostile batch naming many
 * devices with full evidence (DEVICE_CAPS.evidence each) holds at most 100 × 2,000 rows at once.
 */
const LOOKUP_CHUNK = 100;

/** Batches between trims of the search index's change log (a range delete at the log's start). */
const PRUNE_SEARCH_LOG_EVERY = 64;

/** Evidence rows a batch writes: of devices it inserted (`fresh`) and deltas to stored ones. */
interface EvidenceRows {
  fresh: EvidenceRow[];
  added: EvidenceRow[];
}

export class IngestService {
  readonly #db: Db;
  readonly #repo: IngestRepo;
  readonly #identifier: Identifier;
  readonly #signatures: string;
  readonly #geo: GeoLookup | undefined;
  readonly #listener: IngestListener | undefined;
  #batchesSincePrune = 0;

  constructor(
    db: Db,
    repo: IngestRepo,
    identifier: Identifier,
    signatures: string,
    geo?: GeoLookup,
    listener?: IngestListener,
  ) {
    this.#db = db;
    this.#repo = repo;
    this.#identifier = identifier;
    this.#signatures = signatures;
    this.#geo = geo;
    this.#listener = listener;
  }

  /** Checks and writes one batch in a transaction of its own. */
  ingest(from: Uploader, batch: Batch, now: Date): IngestResult {
    const checked = this.check(from, batch);
    if ('replay' in checked) return checked.replay;
    return this.#db.transaction(() => this.write(from, batch, checked.prepared, now))();
  }

  /**
   * Everything that can reject a batch, before any write: the acknowledgement of a batch already
   * accepted, or the batch prepared for `write`. Throws OM_ERR_INGEST_INVALID.
   */
  check(from: Uploader, batch: Batch): { replay: IngestResult } | { prepared: PreparedBatch } {
    const replay = this.#repo.findBatch(from.agentId, batch.batchId);
    if (replay !== undefined)
      return { replay: { ack: { ...(JSON.parse(replay) as BatchAck), duplicate: true }, rows: 0 } };
    return { prepared: prepareBatch(batch) };
  }

  /**
   * Writes a checked batch. Call inside a transaction, which the caller rolls back whole when this
   * throws (the batch may be half-written then).
   */
  write(from: Uploader, batch: Batch, prepared: PreparedBatch, now: Date): IngestResult {
    if (!this.#db.inTransaction) throw new Error('IngestService.write: call it inside a transaction');
    const receivedAt = now.toISOString();
    // A twin may have been written since the check (an earlier batch of the same transaction).
    const twin = this.#repo.findBatch(from.agentId, batch.batchId);
    if (twin !== undefined) return { ack: { ...(JSON.parse(twin) as BatchAck), duplicate: true }, rows: 0 };
    const ids = new Map<string, number>();
    const written: WrittenDevice[] = [];
    // Evidence is written after devices and connections, many rows per statement
    // (server/repos/evidence-rows.ts); nothing in between reads it.
    const rows: EvidenceRows = { fresh: [], added: [] };
    let capped = 0;
    const pendings = [...prepared.devices.values()];
    for (let at = 0; at < pendings.length; at += LOOKUP_CHUNK) {
      // Stored devices and their evidence read a chunk at a time: one statement each, not one
      // per device, and never more than a chunk's evidence in memory.
      const chunk = pendings.slice(at, at + LOOKUP_CHUNK);
      const known = this.#repo.findDevices(
        from.siteId,
        chunk.map((p) => p.key),
      );
      const evidenceOf = this.#repo.evidenceOf([...known.values()].map((d) => d.id));
      for (const pending of chunk) {
        const stored = known.get(pending.key);
        const storedEvidence = stored ? (evidenceOf.get(stored.id) ?? []) : [];
        const r = this.#upsertDevice(from, pending, stored, storedEvidence, receivedAt, rows);
        ids.set(pending.key, r.id);
        written.push(r.written);
        capped += r.capped;
      }
    }
    let connections = 0;
    const named = new Map<string, number>();
    for (const c of prepared.connections) {
      let deviceId = ids.get(c.device) ?? named.get(c.device);
      if (deviceId === undefined) {
        const known = this.#repo.findDevice(from.siteId, c.device);
        if (known) {
          deviceId = known.id;
          named.set(c.device, deviceId);
          // Known before and named only by a connection here: its findings may change too.
          written.push({ deviceId, record: recordOf(c.device, known, known.identity), isNew: false });
        }
      }
      if (deviceId === undefined) {
        // Traffic of a device the batch did not describe: it exists, its identity is unknown.
        const mac = c.device.startsWith('mac:') ? c.device.slice(4) : null;
        const r = this.#upsertDevice(
          from,
          emptyDevice(c.device, mac, c.firstSeen),
          undefined,
          [],
          receivedAt,
          rows,
        );
        deviceId = r.id;
        ids.set(c.device, deviceId);
        written.push(r.written);
      }
      const facts = this.#geo?.lookup(c.remoteIp);
      this.#repo.addConnection(
        {
          deviceId,
          siteId: from.siteId,
          operatorId: from.operatorId,
          remoteIp: c.remoteIp,
          direction: c.direction,
          port: (c.direction === 'outbound' ? c.remotePort : c.localPort) ?? 0,
          proto: c.proto,
          country: facts ? facts.country : c.country,
          asn: facts ? facts.asn : c.asn,
          asOrg: facts ? facts.asOrg : c.asOrg,
          provider: facts ? facts.provider : c.provider,
          providerKind: facts ? facts.providerKind : c.providerKind,
          names: c.names,
          packets: c.packets,
          bytes: c.bytes,
          firstSeen: c.firstSeen,
          lastSeen: c.lastSeen,
        },
        (stored) => mergeNames(stored, c.names),
      );
      connections++;
    }
    this.#repo.insertEvidence(rows.fresh);
    this.#repo.addEvidence(rows.added);
    const evidence = rows.fresh.length + rows.added.length;
    if (this.#listener) this.#tell(this.#listener, from, written, now);
    const ack: BatchAck = {
      batchId: batch.batchId,
      duplicate: false,
      receivedAt,
      devices: ids.size,
      evidence,
      connections,
      observations: batch.observations.length,
      skipped: { unknownKeys: prepared.unknownKeys, capped },
    };
    // The search index's change log, trimmed now and then to what the index has not taken in yet.
    if (++this.#batchesSincePrune >= PRUNE_SEARCH_LOG_EVERY) {
      this.#batchesSincePrune = 0;
      this.#repo.pruneSearchLog();
    }
    this.#repo.recordBatch(
      from.agentId,
      batch.batchId,
      batch.seq,
      from.siteId,
      receivedAt,
      JSON.stringify(ack),
    );
    return { ack, rows: ids.size + evidence + connections };
  }

  /** Runs the listener in a savepoint: its failure rolls back only its own writes. */
  #tell(listener: IngestListener, from: Uploader, written: WrittenDevice[], now: Date): void {
    try {
      this.#db.transaction(() => listener.devicesWritten(from, written, now))();
    } catch (err) {
      listener.failed(err, from);
    }
  }

  #upsertDevice(
    from: Uploader,
    pending: PendingDevice,
    stored: StoredDevice | undefined,
    storedEvidence: ObservationSummary[],
    now: string,
    rows: EvidenceRows,
  ): { id: number; capped: number; written: WrittenDevice } {
    const { merged, added, capped } = foldEvidence(storedEvidence, pending.evidence);
    const seen = mergeSeen(stored, pending, merged);
    const identity = this.#identifier.identify({ mac: seen.mac, observations: merged });
    let id: number;
    if (!stored) {
      id = this.#repo.insertDevice(
        from.siteId,
        from.operatorId,
        pending.key,
        seen,
        identity,
        this.#signatures,
      );
    } else {
      id = stored.id;
      if (!sameSeen(seenOf(stored), seen)) {
        this.#repo.updateSeen(id, seen, seen.lastSeen.slice(0, 10) !== stored.lastSeen.slice(0, 10));
        if (seen.search !== stored.search) this.#repo.logSearchChange(id);
      }
      this.#writeIdentity(stored, identity, 'ingest', now);
    }
    if (stored) for (const e of added) rows.added.push({ deviceId: id, e });
    // New device: `merged` already folded repeats inside the batch, so each row is distinct.
    else for (const e of merged) rows.fresh.push({ deviceId: id, e });
    return {
      id,
      capped,
      written: { deviceId: id, record: recordOf(pending.key, seen, identity), isNew: !stored },
    };
  }

  /** Stores a newly decided identity and records the change of decided fields; false when unchanged. */
  #writeIdentity(
    stored: StoredDevice,
    identity: Identity,
    cause: 'ingest' | 'reidentify',
    now: string,
  ): boolean {
    const changed = stored.identityKey !== identityKey(identity);
    if (!changed && stored.identifiedWith === this.#signatures) return false;
    this.#repo.updateIdentity(stored.id, identity, this.#signatures);
    const before = decided(stored.identity);
    const after = decided(identity);
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      this.#repo.recordIdentityChange(stored.id, now, cause, this.#signatures, before, after);
    }
    return changed;
  }

  /** Re-decides one stored device from its stored evidence (signatures changed). */
  reidentify(stored: StoredDevice, now: string): boolean {
    const identity = this.#identifier.identify({
      mac: stored.mac,
      observations: this.#repo.evidence(stored.id),
    });
    return this.#writeIdentity(stored, identity, 'reidentify', now);
  }

  get signatures(): string {
    return this.#signatures;
  }
}

/** The record evaluation reads: seen facts and the identity just decided (no evidence: rules do not read it). */
function recordOf(key: string, seen: SeenFacts, identity: Identity): DeviceRecord {
  return {
    id: key,
    mac: seen.mac,
    ips: seen.ips,
    hostnames: seen.hostnames,
    ...identity,
    vlans: seen.vlans,
    services: seen.services,
    roles: seen.roles,
    firstSeen: seen.firstSeen,
    lastSeen: seen.lastSeen,
    observations: [],
  };
}

function seenOf(d: StoredDevice) {
  return {
    mac: d.mac,
    ips: d.ips,
    hostnames: d.hostnames,
    vlans: d.vlans,
    services: d.services,
    roles: d.roles,
    firstSeen: d.firstSeen,
    lastSeen: d.lastSeen,
    search: d.search,
  };
}
