// PROFINET DCP (EtherType 0x8892): Identify responses, Hello and Set requests — station name, ids, role, IP.
import { DecodeError, need } from './errors.js';
import { fixedText, hex, latin1, OnceEmitter, u16be, u32be } from './ot-bytes.js';
import {
  BLOCK,
  DEVICE_ROLES,
  ETHERTYPE_PROFINET,
  FRAME_ID,
  SERVICE_ID,
  SERVICE_TYPE,
} from './profinet-dcp.codes.js';
import type { AppContext, AppDecoder, Emitter } from './types.js';

const P = 'profinet-dcp';
/** Blocks read from one DCP frame (a full Identify response has about a dozen). */
export const DCP_MAX_BLOCKS = 64;

export interface DcpBlock {
  option: number;
  suboption: number;
  /** Block data after the 2-byte BlockInfo (responses, Hello) or BlockQualifier (Set requests). */
  data: Uint8Array;
}

export interface DcpPdu {
  frameId: number;
  serviceId: number;
  serviceType: number;
  xid: number;
  /** Blocks describing a station: a response or Hello (the sender) or a Set request (the receiver). */
  blocks: DcpBlock[];
  /** Whose blocks they are: the sender of a response or Hello, the target of a Set request. */
  about: 'src' | 'dst' | null;
}

/** Does this service carry station blocks with a 2-byte BlockInfo/BlockQualifier, and about whom? */
function blockOwner(serviceId: number, serviceType: number): 'src' | 'dst' | null {
  if (
    serviceType === SERVICE_TYPE.RESPONSE &&
    (serviceId === SERVICE_ID.IDENTIFY || serviceId === SERVICE_ID.GET)
  ) {
    return 'src';
  }
  if (serviceType === SERVICE_TYPE.REQUEST && serviceId === SERVICE_ID.HELLO) return 'src';
  if (serviceType === SERVICE_TYPE.REQUEST && serviceId === SERVICE_ID.SET) return 'dst';
  return null;
}

/**
 * DCP PDU (IEC 61158-6-10 §4.3.1.3): FrameID (2), ServiceID, ServiceType, Xid (4), ResponseDelay or
 * reserved (2), DCPDataLength (2); then blocks of Option, Suboption, DCPBlockLength (2) and data,
 * each padded to an even length.
 */
function decodeDcp(b: Uint8Array): DcpPdu {
  need(b, 0, 12, P, 'dcp.header');
  const frameId = u16be(b, 0);
  if (frameId < FRAME_ID.HELLO || frameId > FRAME_ID.IDENTIFY_RESPONSE) {
    throw new DecodeError(P, 0, 'dcp.frame_id', `frame id 0x${frameId.toString(16)} is not DCP`);
  }
  const serviceId = b[2]!;
  const serviceType = b[3]!;
  if (serviceId < SERVICE_ID.GET || serviceId > SERVICE_ID.HELLO) {
    throw new DecodeError(P, 2, 'dcp.service_id', `service ${serviceId}`);
  }
  const length = u16be(b, 10);
  need(b, 12, length, P, 'dcp.data_length');
  const end = 12 + length;
  const about = blockOwner(serviceId, serviceType);
  const pdu: DcpPdu = { frameId, serviceId, serviceType, xid: u32be(b, 4), blocks: [], about };
  // Get requests list bare option/suboption pairs, Identify requests filters: no station blocks.
  if (about === null) return pdu;
  let pos = 12;
  while (pos < end) {
    if (pos + 4 > end) throw new DecodeError(P, pos, 'dcp.block', 'cut block header');
    if (pdu.blocks.length >= DCP_MAX_BLOCKS)
      throw new DecodeError(P, pos, 'dcp.block_count', `over ${DCP_MAX_BLOCKS}`);
    const blockLength = u16be(b, pos + 2);
    if (pos + 4 + blockLength > end) {
      throw new DecodeError(
        P,
        pos + 2,
        'dcp.block_length',
        `block of ${blockLength} bytes overruns the DCP data`,
      );
    }
    if (blockLength < 2) throw new DecodeError(P, pos + 2, 'dcp.block_length', 'no BlockInfo/BlockQualifier');
    pdu.blocks.push({
      option: b[pos]!,
      suboption: b[pos + 1]!,
      data: b.subarray(pos + 6, pos + 4 + blockLength),
    });
    pos += 4 + blockLength + (blockLength & 1);
  }
  return pdu;
}

function roleNames(bits: number): string {
  return DEVICE_ROLES.filter(([bit]) => bits & bit)
    .map(([, name]) => name)
    .join(',');
}

export const profinetDcpDecoder: AppDecoder<DcpPdu> = {
  id: 'profinet-dcp',
  transports: ['link'],
  ports: [],
  ethertypes: [ETHERTYPE_PROFINET],
  sniff(bytes: Uint8Array, ctx: AppContext): boolean {
    if (ctx.ethertype !== undefined && ctx.ethertype !== ETHERTYPE_PROFINET) return false;
    if (bytes.length < 12 || bytes[0] !== 0xfe || bytes[1]! < 0xfc) return false;
    return bytes[2]! >= SERVICE_ID.GET && bytes[2]! <= SERVICE_ID.HELLO;
  },
  decode: decodeDcp,
  observe(pdu: DcpPdu, _ctx: AppContext, emitter: Emitter): void {
    const out = new OnceEmitter(emitter);
    const answer = pdu.serviceType !== SERVICE_TYPE.REQUEST || pdu.serviceId === SERVICE_ID.HELLO;
    out.role('src', P, answer ? 'server' : 'client');
    const about = pdu.about;
    if (!about) return;
    for (const block of pdu.blocks) {
      const d = block.data;
      switch ((block.option << 8) | block.suboption) {
        case BLOCK.NAME_OF_STATION:
          out.observe(about, 'profinet.name_of_station', latin1(fixedText(d, 0, d.length)));
          break;
        case BLOCK.DEVICE_VENDOR:
          out.observe(about, 'profinet.vendor_value', latin1(fixedText(d, 0, d.length)));
          break;
        case BLOCK.DEVICE_ID:
          if (d.length >= 4) {
            out.observe(about, 'profinet.vendor_id', hex(u16be(d, 0), 4));
            out.observe(about, 'profinet.device_id', hex(u16be(d, 2), 4));
          }
          break;
        case BLOCK.DEVICE_ROLE:
          if (d.length >= 1) out.observe(about, 'profinet.device_role', roleNames(d[0]!));
          break;
        case BLOCK.IP_PARAMETER:
          // IPAddress, Subnetmask, StandardGateway (4 bytes each); 0.0.0.0 means "no address".
          if (d.length >= 4 && u32be(d, 0) !== 0)
            out.observe(about, 'profinet.ip', [...d.subarray(0, 4)].join('.'));
          break;
      }
    }
  },
};
