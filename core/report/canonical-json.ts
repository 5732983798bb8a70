// Canonical JSON by RFC 8785 (JSON Canonicalization Scheme): object members sorted by their names'
// UTF-16 code units, no whitespace, numbers and strings serialised as ECMAScript JSON.stringify
// does (RFC 8785 §3.2.2). Signatures are made over these bytes, so equal data means equal bytes.

export class CanonicalJsonError extends Error {
  override readonly name = 'CanonicalJsonError';
}

/** Lone surrogates are not I-JSON (RFC 7493), which RFC 8785 requires. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const MAX_DEPTH = 100;

export function canonicalJson(value: unknown): string {
  return write(value, '$', 0);
}

function write(value: unknown, path: string, depth: number): string {
  if (depth > MAX_DEPTH) throw new CanonicalJsonError(`${path}: nested deeper than ${MAX_DEPTH}`);
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`${path}: ${value} is not a JSON number`);
      // ECMAScript Number::toString, as RFC 8785 §3.2.2.3 requires (and -0 becomes 0).
      return JSON.stringify(value);
    case 'string':
      if (LONE_SURROGATE.test(value)) throw new CanonicalJsonError(`${path}: string has a lone surrogate`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value))
        return `[${value.map((v, i) => write(v, `${path}[${i}]`, depth + 1)).join(',')}]`;
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null)
        throw new CanonicalJsonError(`${path}: only plain objects can be canonicalised`);
      const keys = Object.keys(value).sort();
      const parts: string[] = [];
      for (const key of keys) {
        const v = (value as Record<string, unknown>)[key];
        if (v === undefined) throw new CanonicalJsonError(`${path}.${key}: undefined is not JSON`);
        if (LONE_SURROGATE.test(key))
          throw new CanonicalJsonError(`${path}: member name has a lone surrogate`);
        parts.push(`${JSON.stringify(key)}:${write(v, `${path}.${key}`, depth + 1)}`);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      throw new CanonicalJsonError(`${path}: ${typeof value} is not JSON`);
  }
}
