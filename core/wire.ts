// The agent → collector wire contract (DESIGN.md §3 "Batch"): TypeBox schemas with caps on every
// array and string, shared by the collector's ingest route, the agent's uplink and `analyze --upload`.
// JSON, gzip on the wire. Identity is never sent: the collector decides it from the evidence.
import { type Static, type TSchema, Type } from 'typebox';
import { PROVIDER_KINDS } from './inventory.js';
import { WIRE_LIMITS } from './wire-limits.js';

export { toWireConnection, toWireDevice } from './wire-convert.js';
// The limits and the converters have no schema library behind them: the long-running agent imports
// them without loading TypeBox (~20 MB of its RSS budget, measured).
export { WIRE_LIMITS } from './wire-limits.js';

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
    providerKind: Nullable(Type.Enum(PROVIDER_KINDS)),
    names: Type.Array(Name, { maxItems: WIRE_LIMITS.namesPerConnection }),
    packets: Count,
    bytes: Count,
    firstSeen: IsoTime,
    lastSeen: IsoTime,
  },
  { additionalProperties: false },
);

/**
 * 9999-12-31T23:59:59.999Z: the last time with a four-digit year. Later ones (JavaScript goes to
 * +275760) print as "+275760-…", which sorts before "2025" where times are compared as text.
 */
const LAST_FOUR_DIGIT_YEAR_MS = 253_402_300_799_999;

/** A single fact not yet merged into a device (the live agent's stream): the collector merges it. */
export const WireObservation = Type.Object(
  {
    ts: Type.Number({ minimum: 0, maximum: LAST_FOUR_DIGIT_YEAR_MS }),
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
