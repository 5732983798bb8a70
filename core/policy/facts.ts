// The facts a rule sees: a device's record fields plus derived ones (foreign, ot, otSegment) and
// the context (site, sector); a connection's fields plus its local device's as `device.<field>`.
import type { ConnectionRecord, DeviceRecord } from '../inventory.js';
import { CidrSet, parseCidrList } from '../net/cidr.js';
import { parseIpv4 } from '../net/ip.js';
import type { Facts, FactValue } from './types.js';
import { OT_CLASSES } from './vocabulary.js';

export interface EvaluationContext {
  site?: string | null;
  sector?: string | null;
  /** ISO alpha-2; when absent the policy's default (jp-espa: JP) applies; null leaves `foreign` unknown. */
  homeCountry?: string | null;
  /** CIDRs of the operator's OT networks: when given, `otSegment` is membership in them. */
  otNetworks?: readonly string[] | CidrSet;
  /**
   * Where the network's OT devices are, when the devices evaluated are only part of it (the
   * collector evaluates the devices of one batch against its whole site). Default: from the devices.
   */
  otSegments?: OtSegments;
}

const OT = new Set<string>(OT_CLASSES);

export function isOtDevice(d: Pick<DeviceRecord, 'class' | 'roles'>): boolean {
  return (d.class !== null && OT.has(d.class)) || d.roles.length > 0;
}

type Placed = Pick<DeviceRecord, 'class' | 'roles' | 'vlans' | 'ips'>;

/** The VLANs and IPv4 /24s OT devices were seen on: what `otSegment` is decided by without OT networks. */
export class OtSegments {
  readonly #vlans = new Set<number>();
  readonly #subnets = new Set<number>();
  #any = false;

  static of(devices: Iterable<Placed>): OtSegments {
    const s = new OtSegments();
    for (const d of devices) s.add(d);
    return s;
  }

  /** Learns an OT device's VLANs and /24s (others are ignored); true when something was new. */
  add(d: Placed): boolean {
    if (!isOtDevice(d)) return false;
    let grew = !this.#any;
    this.#any = true;
    for (const v of d.vlans) {
      if (!this.#vlans.has(v)) grew = true;
      this.#vlans.add(v);
    }
    for (const ip of d.ips) {
      const s = slash24(ip);
      if (s === null) continue;
      if (!this.#subnets.has(s)) grew = true;
      this.#subnets.add(s);
    }
    return grew;
  }

  /** True once an OT device is known: without one, `otSegment` is unknown rather than false. */
  get any(): boolean {
    return this.#any;
  }

  sharedVlan(d: Pick<DeviceRecord, 'vlans'>): number | undefined {
    return d.vlans.find((v) => this.#vlans.has(v));
  }

  sharedSubnetIp(d: Pick<DeviceRecord, 'ips'>): string | undefined {
    return d.ips.find((a) => {
      const s = slash24(a);
      return s !== null && this.#subnets.has(s);
    });
  }
}

function foreign(country: string | null, home: string | null): boolean | null {
  return country === null || home === null ? null : country !== home;
}

function slash24(ip: string): number | null {
  const v = parseIpv4(ip);
  return v === null ? null : v >>> 8;
}

/** Builds facts for one inventory: precomputes which VLANs and /24s hold OT devices. */
export class FactBuilder {
  readonly #home: string | null;
  readonly #site: string | null;
  readonly #sector: string | null;
  readonly #otNets: CidrSet | null;
  readonly #segments: OtSegments;
  readonly #devices = new Map<string, Facts>();
  readonly #byId: ReadonlyMap<string, DeviceRecord>;
  readonly #prefixedCache = new Map<string, Facts>();

  constructor(devices: readonly DeviceRecord[], context: EvaluationContext, homeCountry: string | null) {
    this.#home = homeCountry;
    this.#site = context.site ?? null;
    this.#sector = context.sector ?? null;
    const nets = context.otNetworks;
    this.#otNets =
      nets === undefined ? null : nets instanceof CidrSet ? nets : new CidrSet(parseCidrList(nets.join(',')));
    this.#segments = context.otSegments ?? OtSegments.of(devices);
    this.#byId = new Map(devices.map((d) => [d.id, d]));
  }

  device(d: DeviceRecord): Facts {
    const cached = this.#devices.get(d.id);
    if (cached) return cached;
    const [otSegment, otSegmentBasis] = this.#segment(d);
    const facts: Record<string, FactValue> = {
      id: d.id,
      mac: d.mac,
      ips: d.ips,
      hostnames: d.hostnames,
      vendor: d.vendor,
      vendorCountry: d.vendorCountry,
      vendorParent: d.vendorParent,
      watchlists: d.watchlists,
      registrant: d.registrant,
      registrantCountry: d.registrantCountry,
      randomizedMac: d.randomizedMac,
      class: d.class,
      model: d.model,
      firmware: d.firmware,
      os: d.os,
      confidence: d.confidence,
      vlans: d.vlans,
      services: d.services,
      roles: d.roles,
      vendorForeign: foreign(d.vendorCountry, this.#home),
      registrantForeign: foreign(d.registrantCountry, this.#home),
      ot: isOtDevice(d),
      otSegment,
      otSegmentBasis,
      site: this.#site,
      sector: this.#sector,
    };
    this.#devices.set(d.id, facts);
    return facts;
  }

  /**
   * A connection's facts; the local device's are null when it is not in the inventory. The
   * `device.*` facts live on a per-device prototype shared by all its connections: copying them
   * into every connection made evaluation garbage-collector bound on large inventories.
   */
  connection(c: ConnectionRecord): Facts {
    const facts: Record<string, FactValue> = Object.create(this.#prefixed(c.device));
    facts.remoteIp = c.remoteIp;
    // Records from before connections had a direction were all outbound (core/report/analyze-input.ts).
    facts.direction = c.direction ?? 'outbound';
    facts.remotePort = c.remotePort;
    facts.localPort = c.localPort ?? null;
    facts.servicePort = facts.direction === 'inbound' ? facts.localPort : c.remotePort;
    facts.proto = c.proto;
    facts.country = c.country;
    facts.foreign = foreign(c.country, this.#home);
    facts.asn = c.asn;
    facts.asOrg = c.asOrg;
    facts.provider = c.provider;
    facts.providerKind = c.providerKind;
    facts.names = c.names;
    facts.packets = c.packets;
    facts.bytes = c.bytes;
    facts.connections = 1;
    facts.site = this.#site;
    facts.sector = this.#sector;
    return facts;
  }

  #prefixed(id: string): Facts {
    let p = this.#prefixedCache.get(id);
    if (p) return p;
    const local = this.#byId.get(id);
    const out: Record<string, FactValue> = Object.create(null);
    if (local) {
      for (const [k, v] of Object.entries(this.device(local)))
        if (k !== 'site' && k !== 'sector') out[`device.${k}`] = v;
    } else {
      out['device.id'] = id;
    }
    p = Object.freeze(out);
    this.#prefixedCache.set(id, p);
    return p;
  }

  /** otSegment and the evidence that decided it (kept in the finding's facts). */
  #segment(d: DeviceRecord): [boolean | null, string | null] {
    if (this.#otNets) return [d.ips.some((ip) => this.#otNets!.has(ip)), 'configured OT networks'];
    if (isOtDevice(d)) return [true, 'the device itself is OT'];
    if (!this.#segments.any) return [null, null];
    const vlan = this.#segments.sharedVlan(d);
    if (vlan !== undefined) return [true, `shares VLAN ${vlan} with an OT device`];
    const ip = this.#segments.sharedSubnetIp(d);
    if (ip !== undefined) return [true, `${ip} is in the same /24 as an OT device`];
    return [false, 'no shared VLAN or /24 with an OT device'];
  }
}
