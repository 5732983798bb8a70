// The tenant a read is limited to, and keyset cursors. Every inventory read takes a Scope, so no
// query can forget its operator.
import { ApiError } from '../errors.js';

export interface Scope {
  operatorId: number;
  /** Set for analysts limited to one site. */
  siteId: number | null;
}

/** A page of rows and the cursor of the next page (null at the end). */
export interface Page<T> {
  items: T[];
  next: string | null;
}

/** Cursor: base64url of JSON [sortValue, id]. Opaque to clients; checked strictly when read back. */
export function encodeCursor(sortValue: string | number, id: number): string {
  return Buffer.from(JSON.stringify([sortValue, id])).toString('base64url');
}

export function decodeCursor(cursor: string, kind: 'number' | 'string'): [string | number, number] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new ApiError('OM_ERR_REQ_BAD_CURSOR');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    typeof parsed[0] !== kind ||
    !Number.isSafeInteger(parsed[1]) ||
    (typeof parsed[0] === 'string' && parsed[0].length > 64)
  ) {
    throw new ApiError('OM_ERR_REQ_BAD_CURSOR');
  }
  return [parsed[0] as string | number, parsed[1] as number];
}

/** A WHERE clause built from fixed fragments; user values only ever travel as parameters. */
export class Where {
  readonly #parts: string[] = [];
  readonly params: unknown[] = [];

  add(fragment: string, ...params: unknown[]): this {
    this.#parts.push(fragment);
    this.params.push(...params);
    return this;
  }

  toString(): string {
    return this.#parts.length ? `WHERE ${this.conditions()}` : '';
  }

  /** The conditions alone, ANDed ('1' when none), to combine with others. */
  conditions(): string {
    return this.#parts.length ? this.#parts.join(' AND ') : '1';
  }
}

/** Parses a time filter; ISO 8601 or a date. */
export function timeParam(text: string, name: string): string {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new ApiError('OM_ERR_REQ_VALIDATION', [`${name}: not a date or time`]);
  return new Date(ms).toISOString();
}
