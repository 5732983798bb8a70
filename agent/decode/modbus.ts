// Modbus/TCP (port 502): unit ids and functions a server answers, 43/14 device identification, 17 server id.
import { DecodeError, isDecoderError, need } from './errors.js';
import { FC_MEI, FC_REPORT_SERVER_ID, isKnownFunction, MEI_READ_DEVICE_ID } from './modbus.codes.js';
import {
  hex,
  isPrintable,
  latin1,
  type MessageRun,
  OnceEmitter,
  reportStop,
  serverSide,
  u16be,
} from './ot-bytes.js';
import type { AppContext, AppDecoder, Emitter } from './types.js';

const P = 'modbus';
/** The well-known port, one array for every serverSide() call (not a literal per call). */
const PORTS: readonly number[] = [502];
/** Frames read from one buffer; a 4 KiB prefix holds at most 4096/8 = 512 of the smallest. */
export const MODBUS_MAX_FRAMES = 512;
/** Objects read from one 43/14 response (the id is one byte, so 256 bounds it anyway). */
export const MODBUS_MAX_OBJECTS = 256;

export interface DeviceIdObject {
  id: number;
  value: Uint8Array;
}

export interface ModbusFrame {
  readonly transactionId: number;
  readonly unitId: number;
  /** Function code as sent, with the exception bit (0x80) when set. */
  readonly functionCode: number;
  /** The PDU after the function code. */
  readonly data: Uint8Array;
  /** 43/14 response objects, when this frame is one (null otherwise). */
  readonly deviceId: DeviceIdObject[] | null;
}

export type ModbusPdu = MessageRun<ModbusFrame>;

/** One frame, made only when a caller asks for `messages` (tests, tools); observe reads the run. */
class Frame implements ModbusFrame {
  constructor(
    readonly transactionId: number,
    readonly unitId: number,
    readonly functionCode: number,
    readonly data: Uint8Array,
    readonly deviceId: DeviceIdObject[] | null,
  ) {}
}

/** What observe reads of a run of frames, by index. */
interface Frames {
  readonly count: number;
  unitAt(i: number): number;
  functionAt(i: number): number;
  dataAt(i: number): Uint8Array;
  deviceIdAt(i: number): DeviceIdObject[] | null;
}

/** Frames of a PDU made elsewhere (not by decode), read through its messages. */
class MessageFrames implements Frames {
  constructor(readonly messages: readonly ModbusFrame[]) {}
  get count(): number {
    return this.messages.length;
  }
  unitAt(i: number): number {
    return this.messages[i]!.unitId;
  }
  functionAt(i: number): number {
    return this.messages[i]!.functionCode;
  }
  dataAt(i: number): Uint8Array {
    return this.messages[i]!.data;
  }
  deviceIdAt(i: number): DeviceIdObject[] | null {
    return this.messages[i]!.deviceId;
  }
}

/**
 * A direction's frames as their offsets in the bytes: a polling direction holds 40–100 frames, and
 * an object per frame was most of what Modbus decoding allocated (an allocation sample: 45 MB, then
 * 24 MB with lighter frames, on the bench capture).
 */
class FrameRun implements ModbusPdu, Frames {
  /** Offset of each frame's MBAP header. */
  readonly offsets: number[] = [];
  /** Frame index → its 43/14 objects, for the frames that are one. */
  deviceIds: Map<number, DeviceIdObject[]> | null = null;
  stop: DecodeError | null = null;
  #messages: ModbusFrame[] | null = null;

  constructor(readonly bytes: Uint8Array) {}

  get count(): number {
    return this.offsets.length;
  }

  get messages(): ModbusFrame[] {
    this.#messages ??= this.offsets.map(
      (o, i) =>
        new Frame(
          u16be(this.bytes, o),
          this.unitAt(i),
          this.functionAt(i),
          this.dataAt(i),
          this.deviceIdAt(i),
        ),
    );
    return this.#messages;
  }

  unitAt(i: number): number {
    return this.bytes[this.offsets[i]! + 6]!;
  }

  functionAt(i: number): number {
    return this.bytes[this.offsets[i]! + 7]!;
  }

  /** The PDU after the function code. */
  dataAt(i: number): Uint8Array {
    const o = this.offsets[i]!;
    return this.bytes.subarray(o + 8, o + 6 + u16be(this.bytes, o + 4));
  }

  deviceIdAt(i: number): DeviceIdObject[] | null {
    return this.deviceIds?.get(i) ?? null;
  }
}

/**
 * MBAP header (Modbus Messaging on TCP/IP Implementation Guide V1.0b §3.1.3): transaction id (2),
 * protocol id (2, always 0), length (2: unit id + PDU, so 2..254), unit id (1); then the PDU.
 * Checks the frame at `offset`, adds it to the run and returns where the next one starts.
 */
function readFrame(run: FrameRun, offset: number, responses: boolean | null): number {
  const bytes = run.bytes;
  need(bytes, offset, 7, P, 'mbap.header');
  const protocolId = u16be(bytes, offset + 2);
  if (protocolId !== 0) throw new DecodeError(P, offset + 2, 'mbap.protocol_id', `${protocolId} is not 0`);
  const length = u16be(bytes, offset + 4);
  if (length < 2 || length > 254)
    throw new DecodeError(P, offset + 4, 'mbap.length', `${length} outside 2..254`);
  need(bytes, offset + 6, length, P, 'mbap.pdu');
  const functionCode = bytes[offset + 7]!;
  if (functionCode === 0) throw new DecodeError(P, offset + 7, 'pdu.function', 'function code 0');
  const start = offset + 8;
  const end = offset + 6 + length;
  // From the server a 43/14 frame is a response; when the direction is unknown, only a frame of
  // response size (≥ 6 bytes after the function code; a request has 3) is read as one.
  const isDeviceId =
    functionCode === FC_MEI &&
    end > start &&
    bytes[start] === MEI_READ_DEVICE_ID &&
    (responses === true || (responses === null && end - start >= 6));
  if (isDeviceId) {
    const objects = readDeviceId(bytes.subarray(start, end), start);
    run.deviceIds ??= new Map();
    run.deviceIds.set(run.offsets.length, objects);
  }
  run.offsets.push(offset);
  return end;
}

/** Frames back to back, as readRun reads them (ot-bytes.ts): the first one's error is thrown. */
function readFrames(bytes: Uint8Array, responses: boolean | null): FrameRun {
  const run = new FrameRun(bytes);
  let offset = 0;
  while (offset < bytes.length && run.offsets.length < MODBUS_MAX_FRAMES) {
    try {
      offset = readFrame(run, offset, responses);
    } catch (err) {
      if (!isDecoderError(err) || run.offsets.length === 0) throw err;
      run.stop = err;
      return run;
    }
  }
  return run;
}

/**
 * Read Device Identification response (§6.21): MEI type 0x0E, read device id code, conformity level,
 * more follows, next object id, number of objects, then {object id, length, value} each.
 */
function readDeviceId(data: Uint8Array, base: number): DeviceIdObject[] {
  if (data.length < 6) throw new DecodeError(P, base, 'mei.header', `response of ${data.length} bytes`);
  const count = data[5]!;
  if (count > MODBUS_MAX_OBJECTS) throw new DecodeError(P, base + 5, 'mei.count', `${count} objects`);
  const objects: DeviceIdObject[] = [];
  let pos = 6;
  for (let i = 0; i < count; i++) {
    if (pos + 2 > data.length) {
      throw new DecodeError(P, base + pos, 'mei.count', `${count} objects but only ${i} fit the frame`);
    }
    const len = data[pos + 1]!;
    if (pos + 2 + len > data.length) {
      throw new DecodeError(
        P,
        base + pos + 1,
        'mei.object_length',
        `object of ${len} bytes overruns the frame`,
      );
    }
    objects.push({ id: data[pos]!, value: data.subarray(pos + 2, pos + 2 + len) });
    pos += 2 + len;
  }
  return objects;
}

/** Report Server ID (§6.13): byte count, server id (device specific), run indicator, additional data. */
export function serverIdText(data: Uint8Array): string | null {
  const count = data[0];
  if (count === undefined || count + 1 > data.length) return null;
  // The server id's length is device specific, so the text is the longest printable run (≥ 3 chars).
  let best: Uint8Array | null = null;
  let start = -1;
  for (let i = 1; i <= count + 1; i++) {
    const c = i <= count ? data[i]! : 0;
    const printable = c >= 0x20 && c <= 0x7e;
    if (printable && start < 0) start = i;
    if (!printable && start >= 0) {
      if (!best || i - start > best.length) best = data.subarray(start, i);
      start = -1;
    }
  }
  return best && best.length >= 3 ? latin1(best).trim() : null;
}

const OBJECT_KEYS = {
  0: 'modbus.vendor',
  1: 'modbus.product_code',
  2: 'modbus.revision',
  3: 'modbus.vendor_url',
  4: 'modbus.product_name',
  5: 'modbus.model_name',
} as const;

export const modbusDecoder: AppDecoder<ModbusPdu> = {
  id: 'modbus',
  transports: ['tcp'],
  ports: PORTS,
  sniff(bytes: Uint8Array): boolean {
    if (bytes.length < 8 || bytes[2] !== 0 || bytes[3] !== 0) return false;
    const length = (bytes[4]! << 8) | bytes[5]!;
    // The protocol id is MBAP's only constant: the function code must be a defined one too, and a second
    // frame in the bytes must have a zero protocol id as well.
    if (length < 2 || length > 254 || !isKnownFunction(bytes[7]!)) return false;
    const next = 6 + length;
    return bytes.length < next + 4 || (bytes[next + 2] === 0 && bytes[next + 3] === 0);
  },
  decode(bytes: Uint8Array, ctx: AppContext): ModbusPdu {
    const server = serverSide(ctx, PORTS);
    const responses = server === null ? null : server === 'src';
    return readFrames(bytes, responses);
  },
  observe(pdu: ModbusPdu, ctx: AppContext, emitter: Emitter): void {
    const out = new OnceEmitter(emitter);
    reportStop(pdu, P, emitter);
    // What decode returned is read in place; a PDU made elsewhere is read through its messages.
    const run: Frames = pdu instanceof FrameRun ? pdu : new MessageFrames(pdu.messages);
    const count = run.count;
    // A 43/14 response names its sender the server even when the connection's direction is unknown.
    let anyDeviceId = false;
    for (let i = 0; i < count && !anyDeviceId; i++) anyDeviceId = run.deviceIdAt(i) !== null;
    const server = serverSide(ctx, PORTS) ?? (anyDeviceId ? 'src' : null);
    if (server === null) return;
    if (server === 'dst') {
      out.role('src', P, 'client');
      return;
    }
    out.role('src', P, 'server');
    let unit = -1;
    let fc = -1;
    for (let i = 0; i < count; i++) {
      const unitId = run.unitAt(i);
      const functionCode = run.functionAt(i);
      const deviceId = run.deviceIdAt(i);
      // A poll repeats one request: a frame like the one before it, with no text, says nothing new.
      if (unitId === unit && functionCode === fc && deviceId === null && fc !== FC_REPORT_SERVER_ID) continue;
      unit = unitId;
      fc = functionCode;
      out.observe('src', 'modbus.unit_id', unitId);
      // An exception response (function | 0x80) says the function is not served: not "answered".
      if (functionCode & 0x80) continue;
      out.observe('src', 'modbus.function', functionCode);
      if (functionCode === FC_REPORT_SERVER_ID) {
        const text = serverIdText(run.dataAt(i));
        if (text) out.observe('src', 'modbus.server_id', text);
      }
      for (let j = 0; deviceId !== null && j < deviceId.length; j++) {
        const object = deviceId[j]!;
        const text = latin1(object.value).trim();
        const key = OBJECT_KEYS[object.id as keyof typeof OBJECT_KEYS];
        if (key) out.observe('src', key, text);
        else if (isPrintable(object.value))
          out.observe('src', 'modbus.device_object', `${hex(object.id, 2)}=${text}`);
      }
    }
  },
};
