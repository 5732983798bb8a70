// Which device each endpoint belongs to (DESIGN.md §3 "Device": MAC first; IP only where no MAC
// is visible). The MAC a packet carries is the last hop's: a router forwarding a routed subnet
// shows many addresses under one MAC, so those addresses become devices of their own.
import type { Endpoint, EvidenceStore } from './evidence-store.js';

/** A MAC showing more IPv4 addresses than this that it never claimed by ARP is forwarding, not owning. */
export const ROUTER_MIN_UNCLAIMED_IPV4 = 3;

export interface Assignment {
  /** Endpoint id → device key ("mac:…" or "ip:…"), or undefined when it is no device. */
  deviceOf: (string | undefined)[];
  /** Device key → addresses proven to belong to it (ARP/NDP claims and frames). */
  addresses: Map<string, Set<string>>;
  /** MACs judged to be routing other stations' traffic. */
  routers: Set<string>;
}

export function assignDevices(store: EvidenceStore): Assignment {
  const { endpoints } = store;
  // Each loop is a function of its own: V8 compiles a long loop while it runs, and code after the
  // loop that had not run yet would send that compiled loop back to the interpreter.
  const { claimedBy, claims } = claimsOf(store);
  const routers = findRouters(endpoints, claimedBy);

  // Owner of an address: the one MAC that claimed it, or else the one non-router MAC it was seen with.
  // Only an endpoint without a MAC asks (none, in a capture of Ethernet frames), so the addresses seen
  // with each MAC are gathered on the first question.
  let seenWith: Map<string, Set<string>> | null = null;
  const ownerOf = (ip: string): string | undefined => {
    const claimed = claimedBy.get(ip);
    if (claimed?.size === 1) return claimed.values().next().value;
    if (claimed && claimed.size > 1) return undefined; // contested (failover pair, spoofing): keep it by IP
    seenWith ??= macsSeenWith(endpoints, routers);
    const withMac = seenWith.get(ip);
    return withMac?.size === 1 ? withMac.values().next().value : undefined;
  };
  return { ...devicesOf(endpoints, claims, routers, ownerOf), routers };
}

/** Claims: ARP/NDP/DHCP bindings recorded as mac.ip on the MAC's own endpoint. */
function claimsOf(store: EvidenceStore): {
  /** ip → MACs claiming it */
  claimedBy: Map<string, Set<string>>;
  /** mac → ips it claimed */
  claims: Map<string, Set<string>>;
} {
  const { endpoints, rows } = store;
  const claimedBy = new Map<string, Set<string>>();
  const claims = new Map<string, Set<string>>();
  for (const ep of endpoints) {
    if (!ep.mac) continue;
    for (let r = store.head(ep, 'mac.ip'); r >= 0; r = rows.next(r)) {
      const text = String(rows.value(r));
      add(claimedBy, text, ep.mac);
      add(claims, ep.mac, text);
    }
  }
  return { claimedBy, claims };
}

/** Each endpoint's device, and the addresses of each device. */
function devicesOf(
  endpoints: readonly Endpoint[],
  claims: ReadonlyMap<string, Set<string>>,
  routers: ReadonlySet<string>,
  ownerOf: (ip: string) => string | undefined,
): Pick<Assignment, 'deviceOf' | 'addresses'> {
  const deviceOf: (string | undefined)[] = [];
  const addresses = new Map<string, Set<string>>();
  for (const ep of endpoints) {
    let key: string | undefined;
    // Without a MAC, only an address that sent something (or that a MAC owns) is evidence of a device.
    if (!ep.mac && !ep.sent && !(ep.ip && ownerOf(ep.ip))) {
      deviceOf[ep.id] = undefined;
      continue;
    }
    const own = ep.mac ? !routers.has(ep.mac) || !ep.ip || claims.get(ep.mac)?.has(ep.ip) === true : false;
    if (own) key = `mac:${ep.mac}`;
    else if (ep.ip) {
      const owner = ep.mac ? undefined : ownerOf(ep.ip);
      key = owner ? `mac:${owner}` : `ip:${ep.ip}`;
    }
    deviceOf[ep.id] = key;
    if (!key) continue;
    if (ep.ip) add(addresses, key, ep.ip);
    // The endpoint's own MAC device (key is `mac:${ep.mac}` exactly when own: a MAC endpoint never takes an owner).
    const claimed = own ? claims.get(ep.mac!) : undefined;
    if (claimed) for (const ip of claimed) add(addresses, key, ip);
  }
  return { deviceOf, addresses };
}

/**
 * MACs that forward other stations' traffic: seen with an address another MAC claimed, or with more
 * than ROUTER_MIN_UNCLAIMED_IPV4 IPv4 addresses nobody claimed. The addresses a MAC is seen with are
 * its (mac, ip) endpoints, one per address (the store keeps one endpoint per pair), so they are
 * counted endpoint by endpoint, with no set of addresses per MAC.
 */
function findRouters(
  endpoints: readonly Endpoint[],
  claimedBy: ReadonlyMap<string, Set<string>>,
): Set<string> {
  const routers = new Set<string>();
  const unclaimedV4 = new Map<string, number>();
  for (const ep of endpoints) {
    if (!ep.mac || !ep.ip) continue;
    const owners = claimedBy.get(ep.ip);
    if (owners?.has(ep.mac)) continue;
    if (owners && owners.size > 0) routers.add(ep.mac);
    if (!ep.ip.includes(':')) {
      const n = (unclaimedV4.get(ep.mac) ?? 0) + 1;
      unclaimedV4.set(ep.mac, n);
      if (n > ROUTER_MIN_UNCLAIMED_IPV4) routers.add(ep.mac);
    }
  }
  return routers;
}

/** Address → the MACs it was seen with that are not routers. */
function macsSeenWith(
  endpoints: readonly Endpoint[],
  routers: ReadonlySet<string>,
): Map<string, Set<string>> {
  const seenWith = new Map<string, Set<string>>();
  for (const ep of endpoints) if (ep.mac && ep.ip && !routers.has(ep.mac)) add(seenWith, ep.ip, ep.mac);
  return seenWith;
}

function add(map: Map<string, Set<string>>, key: string, value: string): void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(value);
}
