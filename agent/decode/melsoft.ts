// Mitsubishi MELSOFT engineering/discovery traffic on UDP 5560: roles and the PLC model it announces.
//
// Mitsubishi publishes no specification. The layout below was established from the one public capture
// (ITI/ICS-Security-Tools melsoft_UDP_clean_2.pcap: GX Works3 ↔ FX5U-32MT/ES, 368 command datagrams and
// 64 discovery datagrams) and cross-checked with Nozomi Networks' Wireshark dissector for the TCP variant
// (github.com/NozomiNetworks/blackhat23-melsoft). What holds in every frame of the capture:
// - a 21-byte frame header: byte 0 is 0x57 in requests and 0xd7 in responses; bytes 19–20 hold, little-
//   endian, the number of bytes after the header (368/368 datagrams) — Nozomi's "command header + command
//   data + footer size" at the same offset;
// - a command header at byte 21: its first byte repeats the request/response bit (0x1c / 0x9c), its third
//   byte counts the header bytes after that byte (0x16 in requests, 0x18 in responses, as Nozomi's 0x18 and
//   0x1a header lengths), and responses carry a 2-byte status at its byte 4 (0 in all 184);
// - command data: a 2-byte command code (big-endian) and a 2-byte reference, both echoed by the response
//   to each request (184/184 pairs), then 2 bytes whose meaning differs from Nozomi's "remaining size"
//   in this UDP variant (0 while data follows), then the command's data to the end of the frame.
// The answer to command 0x0121 (Nozomi: "Open Initial") starts with the CPU model as 16 ASCII bytes,
// NUL padded ("FX5U-32MT/ES"), followed by 2 bytes (0x4a29 little-endian, the value the discovery reply
// also carries — plausibly Mitsubishi's CPU model code, not confirmed). Certainty: high for the framing
// and the command echo (every frame agrees), medium for the model field (one PLC model observed), which is
// why it is taken only when it is printable text. The 4-byte discovery probe (0x5a 00 00 xx) and its reply
// (0xda 00 00 xx …) are read for presence only.
import { DecodeError, need } from './errors.js';
import {
  COMMAND_OPEN_INITIAL,
  DISCOVERY_REQUEST,
  DISCOVERY_RESPONSE,
  FRAME_HEADER,
  FRAME_REQUEST,
  FRAME_RESPONSE,
  MELSOFT_PORT,
} from './melsoft.codes.js';
import { fixedText, isPrintable, latin1, OnceEmitter, u16be, u16le } from './ot-bytes.js';
import type { AppContext, AppDecoder, Emitter } from './types.js';

const P = 'melsoft';

export interface MelsoftPdu {
  kind: 'command' | 'discovery';
  response: boolean;
  /** Command frames: the command code, its reference and (responses) the status; null for discovery. */
  command: number | null;
  reference: number | null;
  status: number | null;
  /** The command's data after code, reference and the two bytes that follow them. */
  data: Uint8Array;
}

function decodeMelsoft(b: Uint8Array): MelsoftPdu {
  need(b, 0, 4, P, 'frame.type');
  const first = b[0]!;
  if (first === DISCOVERY_REQUEST || first === DISCOVERY_RESPONSE) {
    if (b[1] !== 0 || b[2] !== 0) throw new DecodeError(P, 1, 'discovery.header', 'bytes 1–2 are not zero');
    const response = first === DISCOVERY_RESPONSE;
    return { kind: 'discovery', response, command: null, reference: null, status: null, data: b.subarray(4) };
  }
  if (first !== FRAME_REQUEST && first !== FRAME_RESPONSE) {
    throw new DecodeError(P, 0, 'frame.type', `first byte 0x${first.toString(16)}`);
  }
  need(b, 0, FRAME_HEADER, P, 'frame.header');
  const length = u16le(b, 19);
  if (FRAME_HEADER + length !== b.length) {
    throw new DecodeError(
      P,
      19,
      'frame.length',
      `${length} bytes announced, ${b.length - FRAME_HEADER} present`,
    );
  }
  const response = first === FRAME_RESPONSE;
  need(b, FRAME_HEADER, 4, P, 'command_header');
  if ((b[FRAME_HEADER]! & 0x80) !== (first & 0x80)) {
    throw new DecodeError(
      P,
      FRAME_HEADER,
      'command_header.type',
      'request/response bit differs from the frame',
    );
  }
  const dataStart = FRAME_HEADER + 2 + b[FRAME_HEADER + 2]!;
  if (dataStart + 6 > b.length || (response && dataStart < FRAME_HEADER + 6)) {
    throw new DecodeError(P, FRAME_HEADER + 2, 'command_header.size', `header size ${b[FRAME_HEADER + 2]}`);
  }
  return {
    kind: 'command',
    response,
    command: u16be(b, dataStart),
    reference: u16le(b, dataStart + 2),
    status: response ? u16le(b, FRAME_HEADER + 4) : null,
    data: b.subarray(dataStart + 6),
  };
}

/** The CPU model of an Open Initial answer: 16 bytes of NUL-padded text at the start of its data. */
export function melsoftModel(pdu: MelsoftPdu): string | null {
  if (!pdu.response || pdu.command !== COMMAND_OPEN_INITIAL || pdu.status !== 0 || pdu.data.length < 16)
    return null;
  const name = fixedText(pdu.data, 0, 16);
  if (!isPrintable(name, 2) || !/^[A-Z0-9]/.test(latin1(name))) return null;
  return latin1(name);
}

export const melsoftDecoder: AppDecoder<MelsoftPdu> = {
  id: 'melsoft',
  transports: ['udp'],
  ports: [MELSOFT_PORT],
  sniff(bytes: Uint8Array): boolean {
    const first = bytes[0];
    if (first === DISCOVERY_REQUEST || first === DISCOVERY_RESPONSE) {
      return bytes.length >= 4 && bytes[1] === 0 && bytes[2] === 0;
    }
    if (first !== FRAME_REQUEST && first !== FRAME_RESPONSE) return false;
    return bytes.length >= FRAME_HEADER + 10 && FRAME_HEADER + u16le(bytes, 19) === bytes.length;
  },
  decode: decodeMelsoft,
  observe(pdu: MelsoftPdu, _ctx: AppContext, emitter: Emitter): void {
    const out = new OnceEmitter(emitter);
    out.role('src', P, pdu.response ? 'server' : 'client');
    const model = melsoftModel(pdu);
    if (model) out.observe('src', 'melsoft.model', model);
  },
};
