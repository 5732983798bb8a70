// Multicast DNS and DNS-SD (RFC 6762, RFC 6763) on UDP 5353: the host names, service types, instance
// names and TXT keys a device announces about itself.
import { cleanText } from '../../core/observation.js';
import type { ObservationKey } from '../../core/observation-keys.js';
import { DNS_OPCODE, DNS_TYPE } from './dns.codes.js';
import {
  DNS_HEADER_LENGTH,
  type DnsMessage,
  type DnsRecord,
  decodeDnsMessage,
  nameLabels,
} from './dns-wire.js';
import { MDNS_TXT_KEY_BY_LOWER, REVERSE_SUFFIXES, SERVICE_ENUMERATION } from './mdns.codes.js';
import { reportProblems } from './problems.js';
import type { AppDecoder, Emitter } from './types.js';
import { utf8 } from './wire-values.js';

const PORT = 5353;

export const mdnsDecoder: AppDecoder<DnsMessage> = {
  id: 'mdns',
  transports: ['udp'],
  ports: [PORT],

  sniff(bytes, ctx) {
    if (ctx.src.port !== PORT && ctx.dst.port !== PORT) return false;
    return bytes.length >= DNS_HEADER_LENGTH && ((bytes[2]! >> 3) & 0x0f) === DNS_OPCODE.QUERY;
  },

  decode(bytes) {
    return decodeDnsMessage(bytes, 'mdns');
  },

  observe(msg, ctx, out) {
    reportProblems(msg.problems, out);
    if (msg.header.opcode !== DNS_OPCODE.QUERY) return;
    // §6: every record of a response is the responder's own. §8.1: a probe is a query whose authority
    // section holds the records the sender is about to claim. §7.1: answers inside a query are known
    // answers about other devices, never attributed to the sender.
    const own = msg.header.response ? msg.records : msg.records.filter((r) => r.section === 'authority');
    if (own.length) announce(own, ctx.src.ip, out);
  },
};

function announce(records: DnsRecord[], senderIp: string | null, out: Emitter): void {
  const emit = onceEmitter(out);
  const foreign = foreignHosts(records, senderIp);
  if (foreign.size) out.anomaly('mdns.foreign_host');
  const hostOf = new Map<string, string>();
  for (const r of records)
    if (r.data.kind === 'srv') hostOf.set(r.name.toLowerCase(), r.data.target.toLowerCase());
  const foreignInstance = (name: string): boolean => foreign.has(hostOf.get(name.toLowerCase()) ?? '');

  const service = (name: string, withInstance: boolean): void => {
    const parts = serviceParts(name);
    if (!parts) return;
    emit('mdns.service', parts.service);
    if (withInstance && parts.instance !== null) emit('mdns.instance', parts.instance);
  };

  for (const r of records) {
    const d = r.data;
    if (d.kind === 'address') {
      // Some stacks (open62541) also put address records on service instance names: not host names.
      if (serviceParts(r.name)) continue;
      out.nameAddress(d.address, cleanText(r.name), 'mdns');
      if (!foreign.has(r.name.toLowerCase())) emit('mdns.name', r.name);
    } else if (d.kind === 'srv') {
      if (foreign.has(d.target.toLowerCase())) continue;
      service(r.name, true);
      emit('mdns.name', d.target);
    } else if (d.kind === 'txt') {
      if (!foreignInstance(r.name)) txtKeys(d.strings, emit);
    } else if (d.kind === 'name' && r.type === DNS_TYPE.PTR) {
      const owner = r.name.toLowerCase();
      if (REVERSE_SUFFIXES.some((s) => owner.endsWith(s))) {
        // Reverse mapping: the target is this host's name.
        if (!foreign.has(d.name.toLowerCase())) emit('mdns.name', d.name);
      } else if (owner === SERVICE_ENUMERATION || owner.startsWith(`${SERVICE_ENUMERATION}.`)) {
        service(d.name, false);
      } else if (!foreignInstance(d.name)) {
        // <service>.<domain> PTR <instance>.<service>.<domain> (RFC 6763 §4.1); subtypes point alike.
        service(d.name, true);
      }
    }
  }
}

/** "<Instance>.<_service>.<_proto>.<domain>" → service "_service._proto" and the instance label (RFC 6763 §4.1, §7.1). */
export function serviceParts(name: string): { service: string; instance: string | null } | null {
  // Most names (every host name of an address record) hold no "_tcp"/"_udp" at all: no label can match.
  if (!hasProtoText(name)) return null;
  const labels = nameLabels(name);
  let i = labels.length - 1;
  while (i >= 1 && !/^_(tcp|udp)$/i.test(labels[i]!)) i--;
  if (i < 1 || !labels[i - 1]!.startsWith('_')) return null;
  const service = `${labels[i - 1]}.${labels[i]}`.toLowerCase();
  const candidate = i >= 2 ? labels[i - 2]! : null;
  const instance = candidate !== null && candidate.toLowerCase() !== '_sub' ? candidate : null;
  return { service, instance };
}

/** True when "_tcp" or "_udp" occurs in the text, ASCII case-insensitively (an escape adds only '\\'). */
function hasProtoText(name: string): boolean {
  for (let i = name.indexOf('_'); i >= 0 && i + 3 < name.length; i = name.indexOf('_', i + 1)) {
    const a = name.charCodeAt(i + 1) | 0x20;
    const b = name.charCodeAt(i + 2) | 0x20;
    const c = name.charCodeAt(i + 3) | 0x20;
    if (c === 0x70 && ((a === 0x74 && b === 0x63) || (a === 0x75 && b === 0x64))) return true;
  }
  return false;
}

/** TXT "key=value" strings whose key says who made the device or what it is (mdns.codes.ts). */
function txtKeys(strings: Uint8Array[], emit: (key: ObservationKey, value: string) => void): void {
  for (const s of strings) {
    const eq = s.indexOf(0x3d);
    if (eq <= 0) continue;
    const key = MDNS_TXT_KEY_BY_LOWER.get(utf8(s.subarray(0, eq)).toLowerCase());
    if (!key) continue;
    const value = cleanText(utf8(s.subarray(eq + 1)));
    if (value) emit('mdns.txt', `${key}=${value}`);
  }
}

/**
 * Hosts whose addresses in this message are all comparable with the sender's and none is the sender's:
 * records a proxy or reflector repeats for another device (Bonjour Sleep Proxy, Avahi reflector).
 * IPv4 compares with IPv4; IPv6 only link-local with link-local (a host may send from one address
 * and announce others).
 */
function foreignHosts(records: DnsRecord[], senderIp: string | null): Set<string> {
  const result = new Set<string>();
  if (!senderIp) return result;
  const comparable = (ip: string): boolean =>
    senderIp.includes(':')
      ? ip.includes(':') && isLinkLocal6(ip) && isLinkLocal6(senderIp)
      : !ip.includes(':');
  const hosts = new Map<string, boolean>();
  for (const r of records) {
    if (r.data.kind !== 'address' || !comparable(r.data.address)) continue;
    const host = r.name.toLowerCase();
    hosts.set(host, (hosts.get(host) ?? false) || r.data.address === senderIp);
  }
  for (const [host, isSender] of hosts) if (!isSender) result.add(host);
  return result;
}

function isLinkLocal6(ip: string): boolean {
  return /^fe[89ab][0-9a-f]:/i.test(ip);
}

/** Emits each key/value once per message about the sender: a response repeats names across records. */
function onceEmitter(out: Emitter): (key: ObservationKey, value: string) => void {
  const seen = new Set<string>();
  return (key, value) => {
    const text = cleanText(value);
    const id = `${key}\u0000${text}`;
    if (!text || seen.has(id)) return;
    seen.add(id);
    out.observe('src', key, text);
  };
}
