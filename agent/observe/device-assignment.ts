// Which device each endpoint belongs to (DESIGN.md §3 "Device": MAC first; IP only where no MAC
// is visible). The MAC a packet carries is the last hop's: a router forwarding a routed subnet
// shows many addresses under one MAC, so those addresses become devices of their own.
import type { EvidenceStore } from './evidence-store.js';

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
  const { endpoints, rows } = store;
  // Claims: ARP/NDP/DHCP bindings recorded as mac.ip on the MAC's own endpoint.
  const claimedBy = new Map<string, Set<string>>(); // ip → MACs claiming it
  const claims = new Map<string, Set<string>>(); // mac → ips it claimed
  for (const ep of endpoints) {
    if (!ep.mac) continue;
    for (let r = store.head(ep, 'mac.ip'); r >= 0; r = rows.next(r)) {
      const text = String(rows.value(r));
      add(claimedBy, text, ep.mac);
      add(claims, ep.mac, text);
    }
  }
  // Seen: addresses a MAC sent or received frames for.
  const seen = new Map<string, Set<string>>();
  for (const ep of endpoints) if (ep.mac && ep.ip) add(seen, ep.mac, ep.ip);

  // forEach, not for-of over entries: this runs once, before it is optimised, where each step of an
  // entries iterator allocates a pair and a result.
  const routers = new Set<string>();
  seen.forEach((ips, mac) => {
    let unclaimedV4 = 0;
    let foreignClaim = false;
    ips.forEach((ip) => {
      const owners = claimedBy.get(ip);
      if (owners?.has(mac)) return;
      if (owners && owners.size > 0) foreignClaim = true;
      if (!ip.includes(':')) unclaimedV4++;
    });
    if (foreignClaim || unclaimedV4 > ROUTER_MIN_UNCLAIMED_IPV4) routers.add(mac);
  });

  // Owner of an address: the one MAC that claimed it, or else the one non-router MAC it was seen with.
  const seenWith = new Map<string, Set<string>>();
  seen.forEach((ips, mac) => {
    if (!routers.has(mac))
      ips.forEach((ip) => {
        add(seenWith, ip, mac);
      });
  });
  const ownerOf = (ip: string): string | undefined => {
    const claimed = claimedBy.get(ip);
    if (claimed?.size === 1) return claimed.values().next().value;
    if (claimed && claimed.size > 1) return undefined; // contested (failover pair, spoofing): keep it by IP
    const withMac = seenWith.get(ip);
    return withMac?.size === 1 ? withMac.values().next().value : undefined;
  };

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
  return { deviceOf, addresses, routers };
}

function add(map: Map<string, Set<string>>, key: string, value: string): void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(value);
}
