// The only two errors a decoder may throw (STYLE.md "Malformed input is normal input").
// Both name the protocol, the byte offset and the field, so a skipped packet can be explained.

export class DecodeError extends Error {
  override readonly name: string = 'DecodeError';
  constructor(
    readonly protocol: string,
    readonly offset: number,
    readonly field: string,
    detail: string,
  ) {
    // Malformed input is normal input: these are made by the thousand on hostile or odd traffic, and
    // a stack trace (the costly part of an Error) says nothing the protocol/offset/field do not.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(`${protocol}: ${field} at offset ${offset}: ${detail}`);
    Error.stackTraceLimit = limit;
  }
}

/** The bytes end before the message does: more bytes may complete it. */
export class TruncatedError extends DecodeError {
  override readonly name: string = 'TruncatedError';
  constructor(protocol: string, offset: number, field: string, needed: number, available: number) {
    super(protocol, offset, field, `needs ${needed} bytes, ${available} available`);
  }
}

export function isDecoderError(err: unknown): err is DecodeError {
  return err instanceof DecodeError;
}

/** Throws TruncatedError unless `length` bytes are available at `offset`. */
export function need(
  bytes: Uint8Array,
  offset: number,
  length: number,
  protocol: string,
  field: string,
): void {
  if (offset < 0 || length < 0 || offset + length > bytes.length) {
    throw new TruncatedError(protocol, offset, field, length, Math.max(0, bytes.length - offset));
  }
}
