// S7 SZL (system status list) records: joins a list cut over userdata fragments and reads identity records.
import { fixedText, latin1, type OnceEmitter, u16be } from './ot-bytes.js';
import {
  RETURN_SUCCESS,
  SZL_001C_KEYS,
  SZL_0011_INDEX,
  SZL_COMPONENT_ID,
  SZL_MODULE_ID,
} from './s7comm.codes.js';

export interface SzlHeader {
  id: number;
  index: number;
  recordLength: number;
  count: number;
}

export interface SzlFragment {
  response: boolean;
  sequence: number;
  /** Links the fragments of one list: a follow-up fragment repeats the first one's reference. */
  dataUnitRef: number;
  /** False when more fragments of this list follow. */
  last: boolean;
  returnCode: number;
  /** The SZL header on a list's first fragment; null on follow-up fragments and requests. */
  header: SzlHeader | null;
  /** Records (first fragment: after the SZL header) or their continuation. */
  data: Uint8Array;
}

/** A list's records as one buffer: the view itself when it came in one fragment, else the parts joined. */
function join(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Groups fragments into lists (first fragment + follow-ups with its reference) and reads each list. */
export function observeSzl(fragments: readonly SzlFragment[], out: OnceEmitter): void {
  const open = new Map<number, { header: SzlHeader; parts: Uint8Array[] }>();
  for (const f of fragments) {
    if (f.returnCode !== RETURN_SUCCESS) continue;
    if (f.header) {
      if (f.last) readList(f.header, f.data, out);
      else open.set(f.dataUnitRef, { header: f.header, parts: [f.data] });
      continue;
    }
    const list = open.get(f.dataUnitRef);
    if (!list) continue;
    list.parts.push(f.data);
    if (f.last) {
      open.delete(f.dataUnitRef);
      readList(list.header, join(list.parts), out);
    }
  }
  // A list whose last fragment is past the end of the bytes: its complete records still count.
  for (const list of open.values()) readList(list.header, join(list.parts), out);
}

function readList(header: SzlHeader, records: Uint8Array, out: OnceEmitter): void {
  const { recordLength: len, count } = header;
  const list = header.id & 0xff;
  if (len === 0 || (header.id & 0x0f00) === 0x0f00) return;
  for (let i = 0; i < count && (i + 1) * len <= records.length; i++) {
    const rec = records.subarray(i * len, (i + 1) * len);
    if (list === SZL_MODULE_ID) moduleRecord(rec, out);
    else if (list === SZL_COMPONENT_ID) componentRecord(rec, out);
  }
}

/**
 * W#16#xy11 record (28 bytes): index (2), MlfB order number (20 chars), BGTyp (2), Ausbg (2), Ausbe (2).
 * For the firmware record (index 7) Ausbg holds 'V' and the major version, Ausbe minor and patch.
 */
function moduleRecord(rec: Uint8Array, out: OnceEmitter): void {
  if (rec.length < 28) return;
  const index = u16be(rec, 0);
  if (index === SZL_0011_INDEX.MODULE || index === SZL_0011_INDEX.BASIC_HARDWARE) {
    const mlfb = latin1(fixedText(rec, 2, 22)).trim();
    if (mlfb) out.observe('src', 's7.order_number', mlfb);
  } else if (index === SZL_0011_INDEX.BASIC_FIRMWARE && rec[24] === 0x56) {
    out.observe('src', 's7.firmware', `V ${rec[25]}.${rec[26]}.${rec[27]}`);
  }
}

/**
 * W#16#xy1C record (34 bytes): index (2), then 32 bytes of text for the name, module, plant id,
 * copyright, serial and module type records (each NUL- or space-padded; some end in reserved zeros).
 */
function componentRecord(rec: Uint8Array, out: OnceEmitter): void {
  if (rec.length < 4) return;
  const key = SZL_001C_KEYS[u16be(rec, 0) as keyof typeof SZL_001C_KEYS];
  if (!key) return;
  const text = latin1(fixedText(rec, 2, Math.min(rec.length, 34))).trim();
  if (text) out.observe('src', key, text);
}
