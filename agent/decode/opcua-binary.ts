// OPC UA Binary encoding (OPC 10000-6 §5.2): a bounded cursor over built-in types, views only.
import { DecodeError, TruncatedError } from './errors.js';
import { u16le, u32le } from './ot-bytes.js';

const P = 'opcua';
/** Elements read from one array (endpoints, servers, user token policies, strings). */
export const OPCUA_MAX_ARRAY = 256;
/** Nesting of DiagnosticInfo inner infos followed. */
const MAX_DIAGNOSTIC_DEPTH = 8;

export interface LocalizedText {
  locale: Uint8Array | null;
  text: Uint8Array | null;
}

/**
 * Reads little-endian built-in types between `start` and `end`. When the message was cut by the end of
 * the captured bytes (`cut`), reading past the end is a TruncatedError; otherwise it is malformed.
 */
export class UaReader {
  readonly #b: Uint8Array;
  readonly #end: number;
  readonly #cut: boolean;
  #pos: number;

  constructor(b: Uint8Array, start: number, end: number, cut: boolean) {
    this.#b = b;
    this.#pos = start;
    this.#end = end;
    this.#cut = cut;
  }

  get pos(): number {
    return this.#pos;
  }

  #take(n: number, field: string): number {
    const at = this.#pos;
    if (n < 0 || at + n > this.#end) {
      if (this.#cut) throw new TruncatedError(P, at, field, n, this.#end - at);
      throw new DecodeError(P, at, field, `${n} bytes overrun the message`);
    }
    this.#pos = at + n;
    return at;
  }

  skip(n: number, field: string): void {
    this.#take(n, field);
  }

  u8(field: string): number {
    return this.#b[this.#take(1, field)]!;
  }

  u16(field: string): number {
    return u16le(this.#b, this.#take(2, field));
  }

  u32(field: string): number {
    return u32le(this.#b, this.#take(4, field));
  }

  i32(field: string): number {
    return this.u32(field) | 0;
  }

  /** String and ByteString (§5.2.2.4): Int32 length, -1 for null, then the bytes. */
  bytes(field: string): Uint8Array | null {
    const length = this.i32(field);
    if (length === -1) return null;
    if (length < -1) throw new DecodeError(P, this.#pos - 4, field, `length ${length}`);
    const at = this.#take(length, field);
    return this.#b.subarray(at, at + length);
  }

  /** LocalizedText (§5.2.2.14): mask 0x01 locale, 0x02 text. */
  localizedText(field: string): LocalizedText {
    const mask = this.u8(field);
    return {
      locale: mask & 0x01 ? this.bytes(field) : null,
      text: mask & 0x02 ? this.bytes(field) : null,
    };
  }

  /** NodeId or ExpandedNodeId (§5.2.2.9–10); returns the numeric id of namespace 0, else null. */
  nodeId(field: string): number | null {
    const encoding = this.u8(field);
    let id: number | null = null;
    switch (encoding & 0x3f) {
      case 0:
        id = this.u8(field);
        break;
      case 1:
        id = this.u8(field) === 0 ? this.u16(field) : null;
        break;
      case 2: {
        const ns = this.u16(field);
        const value = this.u32(field);
        id = ns === 0 ? value : null;
        break;
      }
      case 3:
      case 5:
        this.u16(field);
        this.bytes(field);
        break;
      case 4:
        this.skip(18, field);
        break;
      default:
        throw new DecodeError(P, this.#pos - 1, field, `NodeId encoding 0x${encoding.toString(16)}`);
    }
    if (encoding & 0x80) this.bytes(field); // namespace URI
    if (encoding & 0x40) this.u32(field); // server index
    return id;
  }

  /** ExtensionObject (§5.2.2.15): TypeId, encoding (0 none, 1 ByteString, 2 XmlElement), body. */
  extensionObject(field: string): void {
    this.nodeId(field);
    const encoding = this.u8(field);
    if (encoding > 2) throw new DecodeError(P, this.#pos - 1, field, `body encoding ${encoding}`);
    if (encoding !== 0) this.bytes(field);
  }

  /** DiagnosticInfo (§5.2.2.12): mask, then the fields it names; inner infos recurse. */
  diagnosticInfo(field: string, depth = 0): void {
    if (depth > MAX_DIAGNOSTIC_DEPTH)
      throw new DecodeError(P, this.#pos, field, 'inner diagnostics too deep');
    const mask = this.u8(field);
    // SymbolicId, NamespaceUri, Locale, LocalizedText: Int32 each.
    for (const bit of [0x01, 0x02, 0x08, 0x04]) if (mask & bit) this.skip(4, field);
    if (mask & 0x10) this.bytes(field);
    if (mask & 0x20) this.skip(4, field);
    if (mask & 0x40) this.diagnosticInfo(field, depth + 1);
  }

  /** Array (§5.2.5): Int32 count, -1 for null, then the elements. */
  array<T>(field: string, read: () => T): T[] {
    const count = this.i32(field);
    if (count === -1) return [];
    if (count < -1 || count > OPCUA_MAX_ARRAY)
      throw new DecodeError(P, this.#pos - 4, field, `${count} elements`);
    const out: T[] = [];
    for (let i = 0; i < count; i++) out.push(read());
    return out;
  }
}
