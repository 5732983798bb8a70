// INTERIM reply readers, used only for a decoder id that agent/decode/registry.ts does not register
// yet. Each file here is deleted when its protocol's decoder lands (same id, same observation keys).
import { APP_DECODERS } from '../../decode/registry.js';
import type { AppDecoder } from '../../decode/types.js';
import { bacnetReply } from './bacnet.js';
import { enipReply } from './enip.js';
import { finsReply } from './fins.js';
import { mdnsReply } from './mdns.js';
import { modbusReply } from './modbus.js';
import { s7commReply } from './s7comm.js';
import { snmpReply } from './snmp.js';
import { ssdpReply } from './ssdp.js';

export const INTERIM_DECODERS: readonly AppDecoder[] = [
  ssdpReply,
  snmpReply,
  mdnsReply,
  modbusReply,
  s7commReply,
  enipReply,
  bacnetReply,
  finsReply,
] as AppDecoder[];

/** The registry's decoder with this id, else the interim reader, else undefined. */
export function replyDecoder(id: string): AppDecoder | undefined {
  return APP_DECODERS.find((d) => d.id === id) ?? INTERIM_DECODERS.find((d) => d.id === id);
}
