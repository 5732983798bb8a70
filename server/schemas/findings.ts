// API shapes of findings (listing row, detail with the status history and the rule's sources),
// the triage body, the listing filters, and the per-operator policy configuration.
import { type Static, Type } from 'typebox';
import { Country, Cursor, Format, Id, IsoTime, Limit, NullableString } from './common.js';

const Status = Type.Union([
  Type.Literal('open'),
  Type.Literal('acknowledged'),
  Type.Literal('waived'),
  Type.Literal('resolved'),
]);
const Severity = Type.Union([
  Type.Literal('info'),
  Type.Literal('low'),
  Type.Literal('medium'),
  Type.Literal('high'),
  Type.Literal('critical'),
]);

export const Waiver = Type.Object(
  {
    reason: Type.String(),
    approver: Type.String(),
    until: IsoTime,
    grantedBy: Type.String(),
    grantedAt: IsoTime,
  },
  { additionalProperties: false },
);

export const Finding = Type.Object(
  {
    id: Id,
    key: Type.String({ description: 'stable id of rule and subject: "f-" + 24 hex digits' }),
    siteId: Id,
    deviceId: Type.Union([Id, Type.Null()], {
      description: 'null for a group of connections of several devices',
    }),
    rule: Type.String(),
    severity: Severity,
    subjectKind: Type.Union([Type.Literal('device'), Type.Literal('connection')]),
    subject: Type.String({ description: 'device key, connection key, or group:<field>=<value>,…' }),
    message: Type.String(),
    facts: Type.Record(Type.String(), Type.Unknown(), {
      description: 'the facts the rule tested and printed',
    }),
    firstSeen: IsoTime,
    lastSeen: IsoTime,
    status: Status,
    statusAt: IsoTime,
    waiver: Type.Union([Waiver, Type.Null()]),
  },
  { additionalProperties: false },
);
export type Finding = Static<typeof Finding>;

export const FindingChange = Type.Object(
  {
    seq: Type.Integer(),
    at: IsoTime,
    by: Type.String({ description: '"system", or the label of the token that made the change' }),
    tokenId: Type.Union([Id, Type.Null()]),
    from: Type.Union([Status, Type.Null()]),
    to: Status,
    note: NullableString,
  },
  { additionalProperties: false },
);
export type FindingChange = Static<typeof FindingChange>;

export const FindingDetail = Type.Object(
  {
    finding: Finding,
    history: Type.Array(FindingChange),
    rule: Type.Union([
      Type.Object(
        {
          title: Type.String(),
          pack: Type.String(),
          overriddenBy: NullableString,
          sources: Type.Array(Type.String(), { description: 'citations that justify the rule' }),
        },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
  },
  { additionalProperties: false },
);

export const FindingQuery = Type.Object(
  {
    siteId: Type.Optional(Id),
    deviceId: Type.Optional(Id),
    status: Type.Optional(Status),
    severity: Type.Optional(Severity),
    rule: Type.Optional(Type.String({ minLength: 1, maxLength: 128, pattern: '^[a-z0-9.-]+$' })),
    subjectKind: Type.Optional(Type.Union([Type.Literal('device'), Type.Literal('connection')])),
    lastSeenAfter: Type.Optional(Type.String({ maxLength: 40 })),
    limit: Type.Optional(Limit),
    cursor: Type.Optional(Cursor),
    format: Type.Optional(Format),
  },
  { additionalProperties: false },
);
export type FindingQuery = Static<typeof FindingQuery>;

export const FindingPage = Type.Object(
  {
    items: Type.Array(Finding),
    page: Type.Object(
      { next: Type.Union([Type.String(), Type.Null()]), limit: Type.Integer() },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

const Text = Type.String({ minLength: 1, maxLength: 1000 });

/** One triage action; waive needs reason, approver and until (checked with every problem listed). */
export const TriageBody = Type.Object(
  {
    action: Type.Union([
      Type.Literal('acknowledge'),
      Type.Literal('resolve'),
      Type.Literal('reopen'),
      Type.Literal('waive'),
    ]),
    note: Type.Optional(Text),
    reason: Type.Optional(Text),
    approver: Type.Optional(Text),
    until: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601 instant the waiver ends' })),
  },
  { additionalProperties: false },
);
export type TriageBody = Static<typeof TriageBody>;

/** The per-operator policy as an admin sets it; every problem is reported, JSON path or file:line. */
export const PolicyConfigBody = Type.Object(
  {
    packs: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 16 }),
    homeCountry: Type.Optional(Type.Union([Country, Type.Null()])),
    otNetworks: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 256 })),
    policy: Type.Optional(
      Type.Union([Type.String({ description: 'the operator policy file (YAML), as text' }), Type.Null()]),
    ),
  },
  { additionalProperties: false },
);
export type PolicyConfigBody = Static<typeof PolicyConfigBody>;

export const PolicyRule = Type.Object(
  {
    id: Type.String(),
    subject: Type.String(),
    severity: Severity,
    title: Type.String(),
    enabled: Type.Boolean(),
    pack: Type.String(),
    overriddenBy: NullableString,
  },
  { additionalProperties: false },
);

export const PolicyConfig = Type.Object(
  {
    operatorId: Id,
    configured: Type.Boolean({ description: 'false: the defaults for the operator apply' }),
    packs: Type.Array(Type.String()),
    homeCountry: Type.Union([Country, Type.Null()], { description: "null: the operator's country" }),
    otNetworks: Type.Array(Type.String()),
    policy: NullableString,
    updatedAt: Type.Union([IsoTime, Type.Null()]),
    updatedBy: NullableString,
    effective: Type.Object(
      {
        sources: Type.Array(Type.String()),
        homeCountry: Type.String(),
        rules: Type.Array(PolicyRule),
        problems: Type.Array(Type.String(), {
          description: 'why the stored policy no longer loads (e.g. after an upgrade); findings wait',
        }),
        evaluatedWith: NullableString,
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type PolicyConfig = Static<typeof PolicyConfig>;
