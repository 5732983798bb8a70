// Schemas every route shares: the error body, id params, pagination, and the error responses each
// route lists next to its success response (one schema per status code, STYLE.md "Schema first").
import { type TSchema, Type } from 'typebox';

export const ErrorBody = Type.Object(
  {
    code: Type.String({ description: 'OM_ERR_… from docs/errors.md' }),
    message: Type.String(),
    requestId: Type.String(),
    details: Type.Array(Type.String()),
  },
  { additionalProperties: false },
);

// Every route with a token can answer these; routes add 400/404/409/413/415/429 as they apply.
const AUTH_ERRORS = [401, 403, 500, 503] as const;

/** Response schemas for the listed error statuses (plus the auth and server errors every route has). */
export function errors(...statuses: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {};
  for (const s of [...AUTH_ERRORS, ...statuses]) out[s] = ErrorBody;
  return out;
}

export const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
export const IsoTime = Type.String({ description: 'ISO 8601 UTC' });
export const NullableString = Type.Union([Type.String(), Type.Null()]);
export const Country = Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' });

/** Keyset pagination: pass `next` back as `cursor` for the following page; null at the end. */
export const PageInfo = Type.Object(
  { next: Type.Union([Type.String(), Type.Null()]), limit: Type.Integer() },
  { additionalProperties: false },
);

export const Limit = Type.Integer({ minimum: 1, maximum: 1000, default: 100 });
export const Cursor = Type.String({ maxLength: 512, pattern: '^[A-Za-z0-9_-]+$' });
export const Format = Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' });
export const Empty = Type.Null({ description: 'no content' });
