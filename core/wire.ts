// The agent → collector wire contract (DESIGN.md §3 "Batch"): TypeBox schemas with caps on every
// array and string, shared by the collector's ingest route, the agent's uplink and `analyze --upload`.
// JSON, gzip on the wire. Identity is never sent: the collector decides it from the evidence.
import { type Static, type TSchema, Type } from 'typebox';
import type { ConnectionRecord, DeviceRecord } from './inventory.js';
import { MAX_OBSERVATION_TEXT } from './observation.js';

/** Caps a batch must respect (the collector also caps the inflated body size). */
export const WIRE_LIMITS = {
  devices: 5_000,
  connections: 20_000,
  observations: 20_000,
  /** Distinct observation summaries per device in one batch. */
  evidencePerDevice: 512,
  addressesPerDevice: 64,
  namesPerDevice: 64,
  servicesPerDevice: 256,
  namesPerConnection: 32,
  /** Observation text is cut at MAX_OBSERVATION_TEXT (+ "…"); a little slack for other producers. */
  text: MAX_OBSERVATION_TEXT + 64,
  /** DNS names are at most 253 characters (RFC 1035 §2.3.4). */
  name: 255,
} as const;

// ISO 8601 UTC with optional fraction, as Date#toISOString writes it.
const ISO_UTC = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z$';
const MAC = '^[0-9a-f]{2}(:[0-9a-f]{2}){5}$';
// Syntax only; the collector parses every address with core/net before storing it.
const IP = '^[0-9A-Fa-f.:]{2,45}$';
const DEVICE_ID = '^(mac:[0-9a-f]{2}(:[0-9a-f]{2}){5}|ip:[0-9A-Fa-f.:]{2,45})$';
const OBSERVATION_KEY = '^[a-z0-9_]{1,32}\\.[a-z0-9_]{1,48}$';
const COUNTRY = '^[A-Z]{2}$';

export const IsoTime = Type.String({ pattern: ISO_UTC, maxLength: 40 });
const Text = Type.String({ maxLength: WIRE_LIMITS.text });
const Name = Type.String({ minLength: 1, maxLength: WIRE_LIMITS.name });
const Source = Type.Union([Type.Literal('passive'), Type.Literal('active')]);
const Value = Type.Union([Text, Type.Number()]);
const Count = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** One aggregated observation of a device (core/inventory.ts ObservationSummary). */
export const WireEvidence = Type.Object(
  {
    key: Type.String({ pattern: OBSERVATION_KEY }),
    value: Value,
    source: Source,
    count: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
    firstSeen: IsoTime,
    lastSeen: IsoTime,
  },
  { additionalProperties: false },
);

/**
 * A device as the agent saw it since its previous batch: addresses, names and evidence. Counts are
 * deltas (the collector adds them up), so a batch must be sent once — the batchId guarantees that.
 */
export const WireDevice = Type.Object(
  {
    id: Type.String({ pattern: DEVICE_ID, maxLength: 50 }),
    mac: Nullable(Type.String({ pattern: MAC })),
    ips: Type.Array(Type.String({ pattern: IP }), { maxItems: WIRE_LIMITS.addressesPerDevice }),
    hostnames: Type.Array(Name, { maxItems: WIRE_LIMITS.namesPerDevice }),
    vlans: Type.Array(Type.Integer({ minimum: 0, maximum: 4095 }), { maxItems: 16 }),
    services: Type.Array(Type.String({ pattern: '^(tcp|udp)/\\d{1,5}$' }), {
      maxItems: WIRE_LIMITS.servicesPerDevice,
    }),
    roles: Type.Array(Type.String({ pattern: '^[a-z0-9_.-]{1,32}:(server|client)$' }), { maxItems: 64 }),
    firstSeen: IsoTime,
    lastSeen: IsoTime,
    observations: Type.Array(WireEvidence, { maxItems: WIRE_LIMITS.evidencePerDevice }),
  },
  { additionalProperties: false },
);

/** A device's aggregated traffic to one remote endpoint since the previous batch (deltas). */
export const WireConnection = Type.Object(
  {
    device: Type.String({ pattern: DEVICE_ID, maxLength: 50 }),
    remoteIp: Type.String({ pattern: IP }),
    /** outbound: the device opened it (remotePort set); inbound: a remote did (localPort set). */
    direction: Type.Union([Type.Literal('outbound'), Type.Literal('inbound')]),
    remotePort: Nullable(Type.Integer({ minimum: 0, maximum: 65535 })),
    localPort: Nullable(Type.Integer({ minimum: 0, maximum: 65535 })),
    proto: Type.Union([
      Type.Literal('tcp'),
      Type.Literal('udp'),
      Type.Literal('icmp'),
      Type.Literal('other'),
    ]),
    country: Nullable(Type.String({ pattern: COUNTRY })),
    asn: Nullable(Type.Integer({ minimum: 0, maximum: 4294967295 })),
    asOrg: Nullable(Type.String({ maxLength: 256 })),
    provider: Nullable(Type.String({ maxLength: 128 })),
    providerKind: Nullable(
      Type.Union([
        Type.Literal('cloud'),
        Type.Literal('hosting'),
        Type.Literal('cdn'),
        Type.Literal('datacenter'),
        Type.Literal('isp'),
      ]),
    ),
    names: Type.Array(Name, { maxItems: WIRE_LIMITS.namesPerConnection }),
    packets: Count,
    bytes: Count,
    firstSeen: IsoTime,
    lastSeen: IsoTime,
  },
  { additionalProperties: false },
);

/** A single fact not yet merged into a device (the live agent's stream): the collector merges it. */
export const WireObservation = Type.Object(
  {
    ts: Type.Number({ minimum: 0, maximum: 8.64e15 }),
    source: Source,
    key: Type.String({ pattern: OBSERVATION_KEY }),
    value: Value,
    mac: Type.Optional(Type.String({ pattern: MAC })),
    ip: Type.Optional(Type.String({ pattern: IP })),
    port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
    proto: Type.Optional(Type.Union([Type.Literal('tcp'), Type.Literal('udp'), Type.Literal('link')])),
  },
  { additionalProperties: false },
);

export const Batch = Type.Object(
  {
    /** The collector-assigned agent id (from enrollment); must match the uploading token. */
    agentId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
    /** Unique per agent; a repeated batchId is acknowledged and ignored. A UUID fits. */
    batchId: Type.String({ pattern: '^[A-Za-z0-9_-]{8,64}$' }),
    /** The agent's own counter, kept for ordering and gap detection. */
    seq: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
    createdAt: IsoTime,
    devices: Type.Array(WireDevice, { maxItems: WIRE_LIMITS.devices }),
    connections: Type.Array(WireConnection, { maxItems: WIRE_LIMITS.connections }),
    observations: Type.Array(WireObservation, { maxItems: WIRE_LIMITS.observations }),
  },
  { additionalProperties: false },
);

/** What the collector answers to an accepted (or replayed) batch. */
export const BatchAck = Type.Object(
  {
    batchId: Type.String(),
    /** True when this batchId had been accepted before: nothing was written this time. */
    duplicate: Type.Boolean(),
    receivedAt: IsoTime,
    devices: Type.Integer(),
    evidence: Type.Integer(),
    connections: Type.Integer(),
    observations: Type.Integer(),
    /** Facts left out and why: unknown observation keys (a newer agent), per-device caps. */
    skipped: Type.Object(
      { unknownKeys: Type.Integer(), capped: Type.Integer() },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

/** The agent's view of its own settings, served by GET /v1/agent/config. */
export const AgentConfig = Type.Object(
  {
    agentId: Type.Integer(),
    siteId: Type.Integer(),
    /** The site's own networks (CIDRs): traffic elsewhere is a connection to report. */
    homeNet: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 256 }),
    uploadIntervalSeconds: Type.Integer({ minimum: 5, maximum: 86_400 }),
    heartbeatIntervalSeconds: Type.Integer({ minimum: 5, maximum: 86_400 }),
    maxBatchDevices: Type.Integer({ minimum: 1, maximum: WIRE_LIMITS.devices }),
    /** Capture settings the collector overrides (the agent checks the filter before using it). */
    capture: Type.Optional(
      Type.Object(
        {
          filter: Type.Optional(Type.String({ maxLength: 4096 })),
          snapLength: Type.Optional(Type.Integer({ minimum: 64, maximum: 262_144 })),
        },
        { additionalProperties: false },
      ),
    ),
    /** Scheduled active scan of the site (null: none); see DESIGN.md §6 for its bounds. */
    scan: Type.Optional(
      Type.Union([
        Type.Null(),
        Type.Object(
          {
            everyMinutes: Type.Integer({ minimum: 1, maximum: 525_600 }),
            targets: Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 256 }),
            exclude: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 256 }),
            safe: Type.Boolean(),
          },
          { additionalProperties: false },
        ),
      ]),
    ),
  },
  { additionalProperties: false },
);

export type WireEvidence = Static<typeof WireEvidence>;
export type WireDevice = Static<typeof WireDevice>;
export type WireConnection = Static<typeof WireConnection>;
export type WireObservation = Static<typeof WireObservation>;
export type Batch = Static<typeof Batch>;
export type BatchAck = Static<typeof BatchAck>;
export type AgentConfig = Static<typeof AgentConfig>;

/** The wire form of an inventory device: its seen facts and evidence, without the agent's identity. */
export function toWireDevice(device: DeviceRecord): WireDevice {
  return {
    id: device.id,
    mac: device.mac,
    ips: device.ips.slice(0, WIRE_LIMITS.addressesPerDevice),
    hostnames: device.hostnames.slice(0, WIRE_LIMITS.namesPerDevice),
    vlans: device.vlans.slice(0, 16),
    services: device.services.slice(0, WIRE_LIMITS.servicesPerDevice),
    roles: device.roles.slice(0, 64),
    firstSeen: device.firstSeen,
    lastSeen: device.lastSeen,
    observations: device.observations.slice(0, WIRE_LIMITS.evidencePerDevice).map((o) => ({
      key: o.key,
      value: o.value,
      source: o.source,
      count: o.count,
      firstSeen: o.firstSeen,
      lastSeen: o.lastSeen,
    })),
  };
}

export function toWireConnection(c: ConnectionRecord): WireConnection {
  return {
    device: c.device,
    remoteIp: c.remoteIp,
    direction: c.direction,
    remotePort: c.remotePort,
    localPort: c.localPort,
    proto: c.proto,
    country: c.country,
    asn: c.asn,
    asOrg: c.asOrg,
    provider: c.provider,
    providerKind: c.providerKind,
    names: c.names.slice(0, WIRE_LIMITS.namesPerConnection),
    packets: c.packets,
    bytes: c.bytes,
    firstSeen: c.firstSeen,
    lastSeen: c.lastSeen,
  };
}
