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
  /**
   * Content type of the record that ended the handshake (CCS, alert, application data), 0 if none
   * did. A number either way: V8 compiled this object's field for the small integers of the first
   * walks, then threw away the TLS decoder's code at the first null.
   */
  stoppedBy: number;
  anomalies: string[];
}

/**
 * The handshake stream as the concatenation of record fragments, without joining them unless a
 * message actually crosses a record boundary (the one place this decoder copies bytes). Fragments
 * are ranges of the input; the lists are made only from a second fragment on, since a hello
 * nearly always fits in one record.
 */
class FragmentedStream {
  readonly #bytes: Uint8Array;
  /** First fragment's offset in the input (the stream's position 0). */
  #from0 = 0;
  /** Later fragments: offset in the input, and position in the stream (null while there is one). */
  #froms: number[] | null = null;
  #starts: number[] | null = null;
  #length = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  /** Appends input bytes [from, end). */
  push(from: number, end: number): void {
    if (end <= from) return;
    if (this.#length === 0) this.#from0 = from;
    else if (this.#froms === null) {
      this.#froms = [this.#from0, from];
      this.#starts = [0, this.#length];
    } else {
      this.#froms.push(from);
      this.#starts!.push(this.#length);
    }
    this.#length += end - from;
  }

  get length(): number {
    return this.#length;
  }

  #partAt(pos: number): number {
    const starts = this.#starts;
    if (starts === null) return 0;
    let i = starts.length - 1;
    while (i > 0 && starts[i]! > pos) i--;
    return i;
  }

  /** Input offset of fragment i's first byte. */
  #from(i: number): number {
    return this.#froms === null ? this.#from0 : this.#froms[i]!;
  }

  /** Stream position of fragment i's first byte. */
  #start(i: number): number {
    return this.#starts === null ? 0 : this.#starts[i]!;
  }

  /** Bytes in fragment i. */
  #partLength(i: number): number {
    const starts = this.#starts;
    if (starts === null) return this.#length;
    return (i + 1 < starts.length ? starts[i + 1]! : this.#length) - starts[i]!;
  }

  byteAt(pos: number): number {
    const i = this.#partAt(pos);
    return this.#bytes[this.#from(i) + pos - this.#start(i)]!;
  }

  /** [start, end) of the stream: a view when inside one record, else a joined copy. */
  slice(start: number, end: number): Uint8Array {
    const i = this.#partAt(start);
    const base = this.#start(i);
    const from = this.#from(i);
    if (end - base <= this.#partLength(i))
      return this.#bytes.subarray(from + start - base, from + end - base);
    const out = new Uint8Array(end - start);
    let written = 0;
    for (let j = i; written < out.length; j++) {
      const at = j === i ? start - this.#start(j) : 0;
      const take = Math.min(this.#partLength(j) - at, out.length - written);
      const f = this.#from(j) + at;
      out.set(this.#bytes.subarray(f, f + take), written);
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
  const stream = new FragmentedStream(bytes);
  let stoppedBy = 0;
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
    stream.push(pos + 5, Math.min(end, bytes.length));
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
