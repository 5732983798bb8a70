// Field readers of the probe loader: ports, steps and payloads, expectations, OIDs and DNS
// questions, each problem reported at its own line through `fail`.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { type DnsQuestion, type Expect, type Payload, type Step, TEXT_PLACEHOLDERS } from './probe-spec.js';

const DNS_TYPES = new Set(['PTR', 'A', 'AAAA', 'TXT', 'SRV', 'ANY']);
/** Longest payload a probe may send, bytes. */
const MAX_PAYLOAD = 1024;

export type Fail = (node: Node | null | undefined, message: string) => void;

export function parsePorts(n: Node | undefined, fail: Fail): number[] {
  if (n === undefined) return [];
  if (!isSeq(n)) {
    fail(n, "'ports' must be a list of port numbers");
    return [];
  }
  const out: number[] = [];
  for (const item of n.items) {
    const v = isScalar(item) ? item.value : null;
    if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > 65535)
      fail(item as Node, 'port must be 1..65535');
    else if (out.includes(v as number)) fail(item as Node, `port ${v} listed twice`);
    else out.push(v as number);
  }
  return out;
}

export function parseSteps(n: Node | undefined, fail: Fail): Step[] {
  if (n === undefined) return [];
  if (!isSeq(n) || !n.items.length) {
    fail(n, "'steps' must be a non-empty list");
    return [];
  }
  const steps: Step[] = [];
  for (const [index, item] of n.items.entries()) {
    if (!isMap(item)) {
      fail(item as Node, 'a step must be a map with send (and expect)');
      continue;
    }
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '?';
      if (key !== 'send' && key !== 'expect') fail(pair.key as Node, `unknown step key '${key}'`);
    }
    const sendNode = item.get('send', true) as Node | undefined;
    const alternatives = isSeq(sendNode) ? sendNode.items : [sendNode];
    if (sendNode === undefined) {
      fail(item, "a step needs 'send'");
      continue;
    }
    if (index > 0 && alternatives.length > 1) fail(sendNode, 'only the first step may list alternatives');
    const send: Payload[] = [];
    for (const alt of alternatives) {
      const payload = parsePayload(alt as Node, fail);
      if (payload) send.push(payload);
    }
    const expect = parseExpect(item.get('expect', true) as Node | undefined, fail);
    steps.push(expect ? { send, expect } : { send });
  }
  return steps;
}

function parsePayload(n: Node | undefined, fail: Fail): Payload | null {
  if (!isMap(n)) {
    fail(n, 'a payload is a map with hex or text');
    return null;
  }
  const hex = n.get('hex', true) as Node | undefined;
  const text = n.get('text', true) as Node | undefined;
  for (const pair of n.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '?';
    if (key !== 'hex' && key !== 'text') fail(pair.key as Node, `unknown payload key '${key}'`);
  }
  if ((hex === undefined) === (text === undefined)) {
    fail(n, 'a payload has exactly one of hex or text');
    return null;
  }
  if (hex !== undefined) {
    const srcNodeAt: number[] = [];
    const bytes = parseHex(hex, fail, srcNodeAt);
    if (!bytes) return null;
    return srcNodeAt.length ? { bytes, srcNodeAt } : { bytes };
  }
  if (!isScalar(text) || typeof text.value !== 'string' || !text.value) {
    fail(text, 'text must be a non-empty string');
    return null;
  }
  for (const m of text.value.matchAll(/\{[^}]*\}/g)) {
    if (!(TEXT_PLACEHOLDERS as readonly string[]).includes(m[0])) {
      fail(text, `unknown placeholder ${m[0]} (allowed: ${TEXT_PLACEHOLDERS.join(' ')})`);
      return null;
    }
  }
  if (text.value.length > MAX_PAYLOAD) fail(text, `text longer than ${MAX_PAYLOAD} bytes`);
  return { text: text.value };
}

function parseHex(n: Node, fail: Fail, srcNodeAt?: number[]): Uint8Array | null {
  const allowed = srcNodeAt ? /^([0-9a-fA-F\s]|\{srcnode\})+$/ : /^[0-9a-fA-F\s]+$/;
  if (!isScalar(n) || typeof n.value !== 'string' || !allowed.test(n.value)) {
    fail(n, `hex must be a string of hex digits (spaces allowed${srcNodeAt ? ', and {srcnode}' : ''})`);
    return null;
  }
  let digits = '';
  for (const token of n.value.replace(/\s+/g, '').split(/(\{srcnode\})/)) {
    if (token !== '{srcnode}') {
      digits += token;
      continue;
    }
    if (digits.length % 2) {
      fail(n, '{srcnode} must start on a byte boundary');
      return null;
    }
    srcNodeAt?.push(digits.length / 2);
    digits += '00';
  }
  if (digits.length % 2) {
    fail(n, `hex has an odd number of digits (${digits.length})`);
    return null;
  }
  if (digits.length / 2 > MAX_PAYLOAD) {
    fail(n, `payload longer than ${MAX_PAYLOAD} bytes`);
    return null;
  }
  return Uint8Array.from(Buffer.from(digits, 'hex'));
}

function parseExpect(n: Node | undefined, fail: Fail): Expect | null {
  if (n === undefined) return null;
  if (!isMap(n)) {
    fail(n, 'expect is a map with offset and hex');
    return null;
  }
  const offset = n.get('offset', true) as Node | undefined;
  const hex = n.get('hex', true) as Node | undefined;
  if (!isScalar(offset) || !Number.isInteger(offset.value) || (offset.value as number) < 0) {
    fail(offset ?? n, 'expect.offset must be a non-negative integer');
    return null;
  }
  const bytes = hex ? parseHex(hex, fail) : null;
  if (!bytes) {
    if (!hex) fail(n, 'expect needs hex');
    return null;
  }
  return { offset: offset.value as number, bytes };
}

export function parseOids(n: Node | undefined, fail: Fail): string[] {
  if (n === undefined) return [];
  if (!isSeq(n)) {
    fail(n, "'oids' must be a list");
    return [];
  }
  const out: string[] = [];
  for (const item of n.items) {
    const v = isScalar(item) ? item.value : null;
    if (typeof v !== 'string' || !/^[0-2](\.(0|[1-9]\d{0,8}))+$/.test(v))
      fail(item as Node, `'${String(v)}' is not a dotted OID`);
    else out.push(v);
  }
  return out;
}

export function parseQuestions(n: Node | undefined, fail: Fail): DnsQuestion[] {
  if (n === undefined) return [];
  if (!isSeq(n)) {
    fail(n, "'questions' must be a list");
    return [];
  }
  const out: DnsQuestion[] = [];
  for (const item of n.items) {
    if (!isMap(item)) {
      fail(item as Node, 'a question is a map with name and type');
      continue;
    }
    const name = item.get('name');
    const type = item.get('type');
    if (typeof name !== 'string' || !(name === '{reverse}' || /^[A-Za-z0-9_.-]{1,253}$/.test(name))) {
      fail(item, `question name '${String(name)}' is not a DNS name or {reverse}`);
    } else if (typeof type !== 'string' || !DNS_TYPES.has(type)) {
      fail(item, `question type '${String(type)}' is not one of ${[...DNS_TYPES].join(', ')}`);
    } else out.push({ name, type: type as DnsQuestion['type'] });
  }
  return out;
}
