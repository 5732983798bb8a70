// The weights of evidence (docs/identification.md): how much an observation of each key speaks for
// the device itself, and what facts (industrial roles, served ports) say about its class.
import type { DeviceClass } from '../inventory.js';
import type { ObservationKey } from '../observation-keys.js';

/**
 * Source weight by key prefix or full key (full key wins): multiplies a rule's certainty.
 * 1.0 — the device's own identity reply over an industrial protocol (S7 SZL, CIP identity, BACnet
 *       device object, Modbus 43/14, PROFINET DCP, MELSOFT, FINS): firmware writes it, users rarely can.
 * 0.95 — management self-descriptions (SNMP sysDescr/sysObjectID, LLDP, CDP): set by the OS image.
 * 0.85 — DHCP vendor class, mDNS TXT/service records, certificates the device presents.
 * 0.8 — banners a server sends (HTTP Server, SSH, FTP, Telnet, SSDP, RTSP, page titles) and nmap's
 *       reading of them: software, not hardware, and sometimes reconfigured or proxied.
 * 0.6 — DHCP parameter-request fingerprints (an OS family, shared by many products), User-Agents.
 * 0.5 — cloud names the device resolves or connects to: a phone running the vendor's app does too.
 * 0.4 — host names (DHCP, NetBIOS, mDNS names): chosen by users as often as by firmware.
 */
const SOURCE_WEIGHT: Readonly<Record<string, number>> = {
  s7: 1,
  enip: 1,
  bacnet: 1,
  modbus: 1,
  profinet: 1,
  melsoft: 1,
  melsec: 1,
  fins: 1,
  opcua: 0.8,
  snmp: 0.95,
  lldp: 0.95,
  cdp: 0.95,
  dhcp: 0.85,
  dhcpv6: 0.85,
  mdns: 0.85,
  tls: 0.85,
  http: 0.8,
  ssh: 0.8,
  ftp: 0.8,
  telnet: 0.8,
  smtp: 0.8,
  ssdp: 0.8,
  rtsp: 0.8,
  nmap: 0.8,
  'dhcp.param_list': 0.6,
  'http.user_agent': 0.6,
  'ssdp.user_agent': 0.6,
  'dns.query': 0.5,
  'tls.sni': 0.5,
  'http.host': 0.5,
  'dhcp.hostname': 0.4,
  'mdns.name': 0.4,
  'nbns.name': 0.4,
  'llmnr.name': 0.4,
};

/** Keys not listed above (and not prefixed by a listed protocol) weigh this much. */
export const DEFAULT_SOURCE_WEIGHT = 0.5;

/** A generic rule ("Linux", "lwIP") says less than a specific one of the same strength. */
export const GENERIC_FACTOR = 0.6;

/** A model or firmware read by a rule whose own vendor lost the vendor decision. */
export const OFF_VENDOR_FACTOR = 0.5;

/** OUI registrant that is a catalog vendor making whole devices (Moxa, Hikvision, Siemens). */
export const OUI_VENDOR_WEIGHT = 0.7;
/** OUI registrant that is a NIC/module/chipset maker (Espressif, Realtek): weak about the device's maker. */
export const OUI_CHIPSET_WEIGHT = 0.15;
/** A vendor whose catalog entry lists exactly one device class (DJI: drone) suggests that class. */
export const CATALOG_CLASS_WEIGHT = 0.3;

export function sourceWeight(key: ObservationKey | 'oui.registrant'): number {
  const full = SOURCE_WEIGHT[key];
  if (full !== undefined) return full;
  return SOURCE_WEIGHT[key.slice(0, key.indexOf('.'))] ?? DEFAULT_SOURCE_WEIGHT;
}

/**
 * What serving an industrial protocol says about the device's class ("ot.role" = "proto:server",
 * protocol names as the agent's decoders emit them).
 * Strong only where the protocol's servers are almost all one class: S7comm servers are S7 CPUs
 * (0.6; CPs and some drives also answer); DNP3 and IEC 104 outstations are RTUs or IEDs (0.4 rtu);
 * BACnet servers are building controllers (0.5); MELSOFT/FINS servers are PLCs (0.6). Modbus and
 * EtherNet/IP servers include drives, meters, gateways and I/O adapters, hence only 0.25.
 */
export const ROLE_CLASS: Readonly<Record<string, { cls: DeviceClass; weight: number }>> = {
  's7comm:server': { cls: 'plc', weight: 0.6 },
  'melsoft:server': { cls: 'plc', weight: 0.6 },
  'melsec:server': { cls: 'plc', weight: 0.6 },
  'fins:server': { cls: 'plc', weight: 0.6 },
  'bacnet:server': { cls: 'building-controller', weight: 0.5 },
  'dnp3:server': { cls: 'rtu', weight: 0.4 },
  'iec104:server': { cls: 'rtu', weight: 0.4 },
  'modbus:server': { cls: 'plc', weight: 0.25 },
  'enip:server': { cls: 'plc', weight: 0.25 },
};

/**
 * Served ports ("net.service" = "tcp/102") are weaker than a decoded role: the port answered, but
 * nothing says which protocol spoke (ISO-TSAP 102 is S7comm and IEC 61850 MMS alike; BACnet
 * clients bind 47808 too). Each weighs below the decision floor (combine.ts), so a port alone never
 * decides a class; it adds to a role or a rule that agrees. 5007 MELSEC, 5560 MELSOFT, 9600 FINS.
 */
export const SERVICE_CLASS: Readonly<Record<string, { cls: DeviceClass; weight: number }>> = {
  'tcp/102': { cls: 'plc', weight: 0.25 },
  'tcp/5007': { cls: 'plc', weight: 0.25 },
  'udp/5560': { cls: 'plc', weight: 0.25 },
  'udp/9600': { cls: 'plc', weight: 0.25 },
  'udp/47808': { cls: 'building-controller', weight: 0.25 },
  'tcp/20000': { cls: 'rtu', weight: 0.2 },
  'tcp/2404': { cls: 'rtu', weight: 0.2 },
  'tcp/554': { cls: 'camera', weight: 0.2 },
  'tcp/9100': { cls: 'printer', weight: 0.25 },
  'tcp/631': { cls: 'printer', weight: 0.15 },
};
