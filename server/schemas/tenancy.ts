// API shapes of tenancy: operators (with their sector), sites, agents, tokens.
import { type Static, Type } from 'typebox';
import { SECTORS } from '../../core/policy/vocabulary.js';
import { Country, Id, IsoTime, NullableString } from './common.js';

/** An operator's sector: the one vocabulary policies and `report --sector` name (core/policy/vocabulary.ts). */
export const Sector = Type.Enum(SECTORS);
export type Sector = (typeof SECTORS)[number];

const ResourceName = Type.String({ minLength: 1, maxLength: 128, pattern: '^[^\\u0000-\\u001f\\u007f]+$' });
const Cidr = Type.String({ maxLength: 64, pattern: '^[0-9A-Fa-f.:]+/\\d{1,3}$' });

export const Operator = Type.Object(
  { id: Id, name: Type.String(), sector: Type.String(), country: Type.String(), createdAt: IsoTime },
  { additionalProperties: false },
);
export const OperatorCreate = Type.Object(
  { name: ResourceName, sector: Sector, country: Country },
  { additionalProperties: false },
);

export const Site = Type.Object(
  {
    id: Id,
    operatorId: Id,
    name: Type.String(),
    homeNet: Type.Array(Type.String()),
    createdAt: IsoTime,
  },
  { additionalProperties: false },
);
export const SiteCreate = Type.Object(
  { name: ResourceName, homeNet: Type.Optional(Type.Array(Cidr, { maxItems: 256 })) },
  { additionalProperties: false },
);

export const AgentSettings = Type.Object(
  {
    uploadIntervalSeconds: Type.Integer({ minimum: 5, maximum: 86_400 }),
    heartbeatIntervalSeconds: Type.Integer({ minimum: 5, maximum: 86_400 }),
    maxBatchDevices: Type.Integer({ minimum: 1, maximum: 5_000 }),
  },
  { additionalProperties: false },
);
export type AgentSettings = Static<typeof AgentSettings>;
export const DEFAULT_AGENT_SETTINGS: AgentSettings = {
  uploadIntervalSeconds: 60,
  heartbeatIntervalSeconds: 60,
  maxBatchDevices: 1_000,
};

export const Heartbeat = Type.Object(
  {
    version: Type.String({ maxLength: 64 }),
    uptimeSeconds: Type.Integer({ minimum: 0 }),
    spoolBytes: Type.Optional(Type.Integer({ minimum: 0 })),
    spoolBatches: Type.Optional(Type.Integer({ minimum: 0 })),
    captureDrops: Type.Optional(Type.Integer({ minimum: 0 })),
    capturePackets: Type.Optional(Type.Integer({ minimum: 0 })),
    decodeErrors: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Seconds without capture (a tcpdump child down) since the agent started. */
    captureGapSeconds: Type.Optional(Type.Integer({ minimum: 0 })),
    /** True while the spool cannot take more (bound reached after compaction, or a full disk). */
    spoolFull: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type Heartbeat = Static<typeof Heartbeat>;

export const Agent = Type.Object(
  {
    id: Id,
    siteId: Id,
    operatorId: Id,
    name: Type.String(),
    settings: AgentSettings,
    enrolledAt: NullableString,
    lastSeenAt: NullableString,
    lastHeartbeat: Type.Union([Heartbeat, Type.Null()]),
    createdAt: IsoTime,
  },
  { additionalProperties: false },
);
export const AgentCreate = Type.Object(
  { name: ResourceName, settings: Type.Optional(AgentSettings) },
  { additionalProperties: false },
);

/** A one-time secret handed out once: an enrollment token or an API token. */
export const IssuedSecret = Type.Object(
  { tokenId: Id, token: Type.String(), expiresAt: NullableString },
  { additionalProperties: false },
);

export const TokenRole = Type.Union([
  Type.Literal('admin'),
  Type.Literal('analyst'),
  Type.Literal('regulator'),
  Type.Literal('metrics'),
]);

export const TokenInfo = Type.Object(
  {
    id: Id,
    hint: Type.String(),
    role: Type.String(),
    operatorId: Type.Union([Id, Type.Null()]),
    siteId: Type.Union([Id, Type.Null()]),
    sector: NullableString,
    agentId: Type.Union([Id, Type.Null()]),
    label: Type.String(),
    createdAt: IsoTime,
    expiresAt: NullableString,
    revokedAt: NullableString,
    lastUsedAt: NullableString,
  },
  { additionalProperties: false },
);

/** Agent tokens come from enrollment; this route makes the people's and the scraper's tokens. */
export const TokenCreate = Type.Object(
  {
    role: TokenRole,
    operatorId: Type.Optional(Id),
    siteId: Type.Optional(Id),
    sector: Type.Optional(Sector),
    label: Type.Optional(Type.String({ maxLength: 128 })),
    /** Days until the token stops working; none means until revoked. */
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
  },
  { additionalProperties: false },
);

export type Operator = Static<typeof Operator>;
export type Site = Static<typeof Site>;
export type Agent = Static<typeof Agent>;
export type TokenInfo = Static<typeof TokenInfo>;
export type TokenCreate = Static<typeof TokenCreate>;
