// Byte, text and framing helpers shared by the industrial decoders (agent/decode/<protocol>.ts).
// Readers take views and never copy; callers check lengths with need() before reading.

import type { ObservationValue } from '../../core/observation.js';
import { cleanText } from '../../core/observation.js';
import type { ObservationKey } from '../../core/observation-keys.js';
import { type DecodeError, isDecoderError, TruncatedError } from './errors.js';
import { SeenFacts } from './seen-facts.js';
import type { AppContext, Emitter } from './types.js';

export function u16be(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}

export function u16le(b: Uint8Array, o: number): number {
  return b[o]! | (b[o + 1]! << 8);
}

export function u32be(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

export function u32le(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}

/** A fixed-width text field: the view up to the first NUL, without trailing spaces (the usual padding). */
export function fixedText(b: Uint8Array, start: number, end: number): Uint8Array {
  let stop = start;
  while (stop < end && b[stop] !== 0) stop++;
  while (stop > start && b[stop - 1] === 0x20) stop--;
  return b.subarray(start, stop);
}

/** Single-byte text as ISO 8859-1; C0/C1 controls become spaces or U+FFFD so nothing hides in them. */
export function latin1(view: Uint8Array): string {
  let s = '';
  for (const c of view) {
    if (c < 0x20) s += ' ';
    else if (c >= 0x7f && c < 0xa0) s += '\ufffd';
    else s += String.fromCharCode(c);
  }
  return s;
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: false });

export function utf8(view: Uint8Array): string {
  return utf8Decoder.decode(view);
}

/** True when every byte is printable ASCII (0x20–0x7e) and there is at least `min` of them. */
export function isPrintable(view: Uint8Array, min = 1): boolean {
  if (view.length < min) return false;
  for (const c of view) if (c < 0x20 || c > 0x7e) return false;
  return true;
}

/** A decoded run of messages from one TCP direction (or one datagram holding several). */
export interface MessageRun<T> {
  messages: T[];
  /** Why decoding stopped before the end of the bytes: a cut message (normal at the flow cap) or a bad one. */
  stop: DecodeError | null;
}

/**
 * Reads messages back to back until the bytes end (types.ts: "decode every complete message").
 * The first message's error is thrown; a later error ends the run and is kept in `stop`, so one bad
 * message never loses the good ones before it. `max` caps the messages read from one buffer.
 */
export function readRun<T>(
  bytes: Uint8Array,
  max: number,
  readOne: (offset: number) => { message: T; next: number },
): MessageRun<T> {
  const messages: T[] = [];
  let offset = 0;
  while (offset < bytes.length && messages.length < max) {
    try {
      const { message, next } = readOne(offset);
      messages.push(message);
      offset = next;
    } catch (err) {
      if (!isDecoderError(err) || messages.length === 0) throw err;
      return { messages, stop: err };
    }
  }
  return { messages, stop: null };
}

/** Reports a run's early stop: a cut last message is normal; a malformed one is a named anomaly. */
export function reportStop(run: MessageRun<unknown>, protocol: string, out: Emitter): void {
  if (run.stop && !(run.stop instanceof TruncatedError)) out.anomaly(`${protocol}.malformed_message`);
}

/**
 * Which side of the conversation is the server (controller, outstation, PLC): the TCP connection's
 * direction when known, else the well-known port; null when neither says.
 */
export function serverSide(ctx: AppContext, ports: readonly number[]): 'src' | 'dst' | null {
  if (ctx.fromClient !== null) return ctx.fromClient ? 'dst' : 'src';
  const srcWellKnown = ports.includes(ctx.src.port);
  const dstWellKnown = ports.includes(ctx.dst.port);
  if (srcWellKnown && !dstWellKnown) return 'src';
  if (dstWellKnown && !srcWellKnown) return 'dst';
  return null;
}

/** Per protocol id (code literals, so a handful): its "<protocol>:server" and "<protocol>:client". */
const ROLE_TEXTS = new Map<string, readonly [string, string]>();

/**
 * An emitter that drops repeats within one observe() call (a buffer of 200 polls says "unit 1" once)
 * and cleans wire text; the flow table counts repeats across calls.
 */
export class OnceEmitter {
  readonly #out: Emitter;
  readonly #seen = new SeenFacts();
  constructor(out: Emitter) {
    this.#out = out;
  }
  observe(about: 'src' | 'dst', key: ObservationKey, value: ObservationValue): void {
    const v = typeof value === 'string' ? cleanText(value) : value;
    if (v === '') return;
    this.#once(about, key, v);
  }
  /** ot.role for the sender, "<protocol>:server" or "<protocol>:client". */
  role(about: 'src' | 'dst', protocol: string, role: 'server' | 'client'): void {
    // Our own text, made once per protocol: no cleaning, and the same string each time.
    let texts = ROLE_TEXTS.get(protocol);
    if (!texts) {
      texts = [`${protocol}:server`, `${protocol}:client`];
      ROLE_TEXTS.set(protocol, texts);
    }
    this.#once(about, 'ot.role', role === 'server' ? texts[0] : texts[1]);
  }
  #once(about: 'src' | 'dst', key: ObservationKey, v: ObservationValue): void {
    if (this.#seen.first(about, key, v)) this.#out.observe(about, key, v);
  }
  anomaly(name: string): void {
    this.#out.anomaly(name);
  }
}

/** The side opposite `side`. */
export function other(side: 'src' | 'dst'): 'src' | 'dst' {
  return side === 'src' ? 'dst' : 'src';
}

/** Hex with a fixed number of digits, "0x002a". */
export function hex(value: number, digits: number): string {
  return `0x${value.toString(16).padStart(digits, '0')}`;
}
