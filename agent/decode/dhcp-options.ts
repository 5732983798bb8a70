// DHCPv4 option areas (RFC 2132 §2, RFC 2131 §4.1 option overload, RFC 3396 long options) and the
// text forms of the options that carry names (RFC 4702 client FQDN, RFC 3004 user class).
import {
  DHCP_OPTION,
  DHCP_OPTION_SHAPE,
  FILE_OFFSET,
  FQDN_FLAG_ENCODED,
  SNAME_OFFSET,
} from './dhcp.codes.js';
import { plainName } from './dns-wire.js';
import { DecodeError, TruncatedError } from './errors.js';
import { type Problems, skip } from './problems.js';
import { isTextual, utf8 } from './wire-values.js';

/** Options read from one message, kept or skipped; each takes two bytes or more. */
export const MAX_DHCP_OPTIONS = 256;

export interface DhcpOption {
  code: number;
  /** Offset of the option's code byte in the message. */
  offset: number;
  value: Uint8Array;
}

/**
 * Reads the options of one area into `into`, in order. Pad (0) is skipped, End (255) stops. A cut
 * option in the main area (`cut`) is a TruncatedError that ends parsing; one overrunning the sname or
 * file field is malformed. A fixed-size option of the wrong length is skipped and kept in `problems`.
 */
export function readOptionArea(
  bytes: Uint8Array,
  start: number,
  end: number,
  cut: boolean,
  into: DhcpOption[],
  problems: Problems,
): void {
  let pos = start;
  while (pos < end) {
    const code = bytes[pos]!;
    if (code === DHCP_OPTION.END) return;
    if (code === DHCP_OPTION.PAD) {
      pos++;
      continue;
    }
    if (pos + 2 > end || pos + 2 + bytes[pos + 1]! > end) {
      const needed = pos + 2 > end ? 2 : 2 + bytes[pos + 1]!;
      if (cut) throw new TruncatedError('dhcp', pos, 'option', needed, end - pos);
      throw new DecodeError('dhcp', pos, 'option', `option ${code} overruns its field`);
    }
    if (into.length + problems.length >= MAX_DHCP_OPTIONS) {
      throw new DecodeError('dhcp', pos, 'options.count', `more than ${MAX_DHCP_OPTIONS} options`);
    }
    const length = bytes[pos + 1]!;
    const shape = DHCP_OPTION_SHAPE.get(code);
    if (shape && (shape.multiple ? length === 0 || length % shape.size !== 0 : length !== shape.size)) {
      const stop = skip(problems, new DecodeError('dhcp', pos, shape.field, `length ${length}`));
      if (stop) throw stop;
    } else {
      into.push({ code, offset: pos, value: bytes.subarray(pos + 2, pos + 2 + length) });
    }
    pos += 2 + length;
  }
}

/**
 * All option areas of a message: the options field, then `file` and `sname` when option 52 says they
 * hold options (RFC 2131 §4.1 gives that order). Problems are collected, never thrown.
 */
export function readOptions(bytes: Uint8Array, optionsStart: number, problems: Problems): DhcpOption[] {
  const options: DhcpOption[] = [];
  try {
    readOptionArea(bytes, optionsStart, bytes.length, true, options, problems);
    const overload = options.find((o) => o.code === DHCP_OPTION.OVERLOAD)?.value[0] ?? 0;
    if (overload & 1) readOptionArea(bytes, FILE_OFFSET, FILE_OFFSET + 128, false, options, problems);
    if (overload & 2) readOptionArea(bytes, SNAME_OFFSET, SNAME_OFFSET + 64, false, options, problems);
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
    if (problems.at(-1) !== err) problems.push(err);
  }
  return options;
}

/**
 * The value of an option: the one view, or for an option split over several instances the RFC 3396
 * concatenation (a copy, made only in that rare case). Null when absent.
 */
export function optionValue(options: readonly DhcpOption[], code: number): Uint8Array | null {
  let first: Uint8Array | null = null;
  let parts: Uint8Array[] | null = null;
  for (const o of options) {
    if (o.code !== code) continue;
    if (!first) first = o.value;
    else {
      parts ??= [first];
      parts.push(o.value);
    }
  }
  if (!parts) return first;
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    joined.set(p, at);
    at += p.length;
  }
  return joined;
}

/**
 * Option 81 (RFC 4702 §2): flags, two obsolete RCODE bytes, then the name in DNS wire format when flag
 * E is set (possibly partial: no root label), ASCII otherwise. Null when there is no usable name.
 */
export function fqdnText(value: Uint8Array): string | null {
  if (value.length <= 3) return null;
  const name = value.subarray(3);
  return value[0]! & FQDN_FLAG_ENCODED ? plainName(name) : utf8(name);
}

/**
 * Option 77: RFC 3004 §2 wants length-prefixed instances, but Windows and iPXE send bare text. The
 * RFC form is used only when the instances tile the value exactly and each is text.
 */
export function userClassText(value: Uint8Array): string {
  const instances: string[] = [];
  let p = 0;
  while (p < value.length) {
    const n = value[p]!;
    const data = value.subarray(p + 1, p + 1 + n);
    if (n === 0 || p + 1 + n > value.length || !isTextual(data)) return utf8(value);
    instances.push(utf8(data));
    p += 1 + n;
  }
  return instances.join(',');
}
