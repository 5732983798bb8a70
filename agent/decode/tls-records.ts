// TLS record layer (RFC 8446 §5.1, RFC 5246 §6.2.1) to handshake messages (§4): walks records
// until the first non-handshake one, joins handshake fragments that span records, keeps a cut tail.
import { DecodeError, TruncatedError } from './errors.js';
import { CONTENT, MAX_RECORD_LENGTH } from './tls.codes.js';

export interface HandshakeMessage {
  type: number;
  /** Length the message header declares. */
  length: number;
  /** The body: a view into the input, or a joined copy when the message spans records. */
  body: Uint8Array;
  /** False when the bytes end before the declared length (the body is then a prefix). */
  complete: boolean;
  /** Offset of the message header in the handshake stream (records' headers excluded). */
  offset: number;
}

export interface RecordWalk {
  messages: HandshakeMessage[];
  /** Content type of the record that ended the handshake (CCS, alert, application data), if any. */
  stoppedBy: number | null;
  anomalies: string[];
}

/**
 * The handshake stream as the concatenation of record fragments, without joining them unless a
 * message actually crosses a record boundary (the one place this decoder copies bytes).
 */
class FragmentedStream {
  readonly #parts: Uint8Array[] = [];
  readonly #starts: number[] = [];
  #length = 0;

  push(part: Uint8Array): void {
    if (part.length === 0) return;
    this.#parts.push(part);
    this.#starts.push(this.#length);
    this.#length += part.length;
  }

  get length(): number {
    return this.#length;
  }

  #partAt(pos: number): number {
    let i = this.#starts.length - 1;
    while (i > 0 && this.#starts[i]! > pos) i--;
    return i;
  }

  byteAt(pos: number): number {
    const i = this.#partAt(pos);
    return this.#parts[i]![pos - this.#starts[i]!]!;
  }

  /** [start, end) of the stream: a view when inside one record, else a joined copy. */
  slice(start: number, end: number): Uint8Array {
    const i = this.#partAt(start);
    const part = this.#parts[i]!;
    const base = this.#starts[i]!;
    if (end - base <= part.length) return part.subarray(start - base, end - base);
    const out = new Uint8Array(end - start);
    let written = 0;
    for (let j = i; written < out.length; j++) {
      const p = this.#parts[j]!;
      const from = j === i ? start - base : 0;
      const take = Math.min(p.length - from, out.length - written);
      out.set(p.subarray(from, from + take), written);
      written += take;
    }
    return out;
  }
}

/**
 * Records from offset 0 until the bytes end or a non-handshake record starts; then the handshake
 * messages they carry. Throws TruncatedError when not even one record header is there, or when the
 * first handshake message is cut (the caller may still use a cut later one). `maxHandshakeLength`
 * caps what one message may declare.
 */
export function walkRecords(bytes: Uint8Array, maxHandshakeLength: number): RecordWalk {
  const anomalies: string[] = [];
  const stream = new FragmentedStream();
  let stoppedBy: number | null = null;
  let pos = 0;
  while (pos < bytes.length) {
    if (pos + 5 > bytes.length) {
      if (pos === 0) throw new TruncatedError('tls', 0, 'record.header', 5, bytes.length);
      break;
    }
    const type = bytes[pos]!;
    const length = (bytes[pos + 3]! << 8) | bytes[pos + 4]!;
    const bad =
      type < CONTENT.changeCipherSpec || type > CONTENT.heartbeat
        ? new DecodeError('tls', pos, 'record.type', `content type ${type}`)
        : bytes[pos + 1] !== 3 || bytes[pos + 2]! > 4
          ? new DecodeError('tls', pos + 1, 'record.version', `0x${hex4(bytes[pos + 1]!, bytes[pos + 2]!)}`)
          : length > MAX_RECORD_LENGTH
            ? new DecodeError('tls', pos + 3, 'record.length', `${length} bytes exceeds ${MAX_RECORD_LENGTH}`)
            : null;
    if (bad) {
      // Bytes that are not a record after good handshake records (a broken or non-TLS peer) end the
      // walk; what was read before them stands. Only a first record that is not TLS is an error.
      if (pos === 0) throw bad;
      anomalies.push(`tls.bad_record_after_handshake.${bad.field.slice(7)}`);
      break;
    }
    if (type !== CONTENT.handshake) {
      stoppedBy = type;
      break;
    }
    // RFC 8446 §5.1: handshake records must not be empty.
    if (length === 0) anomalies.push('tls.empty_handshake_record');
    const end = pos + 5 + length;
    stream.push(bytes.subarray(pos + 5, Math.min(end, bytes.length)));
    pos = end;
  }
  return { messages: splitMessages(stream, maxHandshakeLength), stoppedBy, anomalies };
}

/** Handshake header: msg_type (1), length (3), then the body (RFC 8446 §4). */
function splitMessages(stream: FragmentedStream, maxLength: number): HandshakeMessage[] {
  const messages: HandshakeMessage[] = [];
  let pos = 0;
  while (pos < stream.length) {
    if (pos + 4 > stream.length) {
      if (messages.length === 0)
        throw new TruncatedError('tls', pos, 'handshake.header', 4, stream.length - pos);
      break;
    }
    const type = stream.byteAt(pos);
    const length = (stream.byteAt(pos + 1) << 16) | (stream.byteAt(pos + 2) << 8) | stream.byteAt(pos + 3);
    if (length > maxLength) {
      throw new DecodeError(
        'tls',
        pos + 1,
        'handshake.length',
        `${length} bytes exceeds the ${maxLength} cap`,
      );
    }
    const end = pos + 4 + length;
    const complete = end <= stream.length;
    if (!complete && messages.length === 0) {
      throw new TruncatedError('tls', pos, 'handshake.body', length, stream.length - pos - 4);
    }
    messages.push({
      type,
      length,
      body: stream.slice(pos + 4, Math.min(end, stream.length)),
      complete,
      offset: pos,
    });
    if (!complete) break;
    pos = end;
  }
  return messages;
}

function hex4(a: number, b: number): string {
  return ((a << 8) | b).toString(16).padStart(4, '0');
}
