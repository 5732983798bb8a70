// API shapes of regulator reports (listing, download query) and of the per-operator schedule.
import { type Static, Type } from 'typebox';
import { Cursor, Id, IsoTime, Limit, NullableString } from './common.js';

const Lang = Type.Union([Type.Literal('en'), Type.Literal('ja')]);

export const ReportInfo = Type.Object(
  {
    id: Id,
    operatorId: Id,
    operator: Type.String(),
    period: Type.Object(
      { start: IsoTime, end: IsoTime, label: Type.String(), timeZone: Type.String() },
      { additionalProperties: false },
    ),
    generatedAt: IsoTime,
    keyId: Type.String({ description: 'the signing key: "ed25519:" + 32 hex digits' }),
    sha256: Type.String({ description: 'hex SHA-256 of the signed JSON, to compare after transfer' }),
    deliveredAt: Type.Union([IsoTime, Type.Null()]),
    tables: Type.Array(Type.String(), { description: 'CSV tables: pass one as ?format=csv&table=' }),
  },
  { additionalProperties: false },
);
export type ReportInfo = Static<typeof ReportInfo>;

export const ReportPage = Type.Object(
  {
    items: Type.Array(ReportInfo),
    page: Type.Object(
      { next: Type.Union([Type.String(), Type.Null()]), limit: Type.Integer() },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const ReportQuery = Type.Object(
  { operatorId: Type.Optional(Id), limit: Type.Optional(Limit), cursor: Type.Optional(Cursor) },
  { additionalProperties: false },
);

export const ReportDownloadQuery = Type.Object(
  {
    format: Type.Optional(
      Type.Union([Type.Literal('json'), Type.Literal('html'), Type.Literal('csv')], { default: 'json' }),
    ),
    lang: Type.Optional(Lang),
    table: Type.Optional(Type.String({ maxLength: 64, pattern: '^[a-z-]+\\.csv$' })),
  },
  { additionalProperties: false },
);
export type ReportDownloadQuery = Static<typeof ReportDownloadQuery>;

export const ScheduleBody = Type.Object(
  {
    cron: Type.String({ minLength: 1, maxLength: 200, description: 'five fields, or @monthly, @weekly…' }),
    timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA zone, e.g. Asia/Tokyo' }),
    lang: Type.Optional(Lang),
  },
  { additionalProperties: false },
);
export type ScheduleBody = Static<typeof ScheduleBody>;

export const Schedule = Type.Object(
  {
    operatorId: Id,
    configured: Type.Boolean({ description: 'false: monthly in UTC, English files (the default)' }),
    cron: Type.String(),
    timeZone: Type.String(),
    lang: Lang,
    updatedAt: Type.Union([IsoTime, Type.Null()]),
    updatedBy: NullableString,
    lastPeriodEnd: Type.Union([IsoTime, Type.Null()], { description: 'end of the last period reported' }),
    nextReportAt: Type.Union([IsoTime, Type.Null()], { description: 'when the next period ends' }),
  },
  { additionalProperties: false },
);
