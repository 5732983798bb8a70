// Scan scope (DESIGN.md §6): targets must lie inside configured CIDRs, excluded ranges are never
// touched, and every refusal happens before a packet is sent. Senders re-check each address.
import { type Cidr, CidrError, CidrSet, parseCidr } from '../../core/net/cidr.js';
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from '../../core/net/ip.js';

/** The default cap on hosts one scan may expand to (a /16). Raise it with `maxHosts`. */
export const DEFAULT_MAX_HOSTS = 65_536;

export class ScopeError extends Error {
  override readonly name = 'ScopeError';
}

/**
 * Never scannable whatever the configuration says: unspecified, multicast, broadcast and reserved
 * space (RFC 6890). A scope may not include them, so no probe can ever be sent to a group address.
 */
const FORBIDDEN = new CidrSet(
  ['0.0.0.0/8', '224.0.0.0/4', '240.0.0.0/4', '255.255.255.255/32', '::/128', 'ff00::/8'].map(parseCidr),
);

export interface ScopeConfig {
  /** CIDRs active discovery may touch. Required and non-empty: scope is explicit configuration. */
  include: readonly string[];
  /** CIDRs and hosts never touched, even inside `include`. */
  exclude?: readonly string[];
}

/** The scope a scan runs under. `allows` is the last check every sender makes before sending. */
export class ScanScope {
  readonly include: readonly Cidr[];
  readonly exclude: readonly Cidr[];
  readonly #include: CidrSet;
  readonly #exclude: CidrSet;

  constructor(config: ScopeConfig) {
    if (!config.include.length) {
      throw new ScopeError('no scope configured: give the in-scope CIDRs with --scope or a config file');
    }
    this.include = config.include.map((c) => cidr(c, 'scope'));
    this.exclude = (config.exclude ?? []).map((c) => cidr(c, 'exclude'));
    for (const c of this.include) {
      if (overlapsForbidden(c)) {
        throw new ScopeError(`scope ${c.text} overlaps multicast, broadcast or reserved space`);
      }
    }
    this.#include = new CidrSet(this.include);
    this.#exclude = new CidrSet(this.exclude);
  }

  /** True only for an address inside the scope, outside every exclusion and not a group address. */
  allows(ip: string): boolean {
    return this.#include.has(ip) && !this.#exclude.has(ip) && !FORBIDDEN.has(ip);
  }

  /** Throws unless `allows(ip)`: the guard senders call right before each socket is opened. */
  check(ip: string): void {
    if (!this.allows(ip)) throw new ScopeError(`refusing to send to ${ip}: outside the configured scope`);
  }

  isExcluded(ip: string): boolean {
    return this.#exclude.has(ip);
  }
}

function cidr(text: string, what: string): Cidr {
  try {
    return parseCidr(text);
  } catch (err) {
    if (err instanceof CidrError) throw new ScopeError(`${what}: ${err.message}`);
    throw err;
  }
}

const FORBIDDEN_CIDRS = FORBIDDEN.cidrs;

/** Two CIDRs overlap exactly when one contains the other. */
function overlapsForbidden(c: Cidr): boolean {
  return FORBIDDEN_CIDRS.some((f) => contains(f, c) || contains(c, f));
}

export interface TargetPlan {
  /** Addresses to probe, in ascending order, each allowed by the scope. */
  hosts: string[];
  /** In-target addresses skipped because an exclusion covers them (never touched). */
  excluded: number;
  /** Network and broadcast addresses of IPv4 targets wider than /31, skipped. */
  skippedSpecial: number;
}

/**
 * Expands targets (CIDRs or addresses) into the hosts to probe. Refuses, before anything is sent,
 * any target not wholly inside the scope and any expansion above `maxHosts`.
 */
export function planTargets(
  targets: readonly string[],
  scope: ScanScope,
  maxHosts = DEFAULT_MAX_HOSTS,
): TargetPlan {
  if (!targets.length) throw new ScopeError('no targets given');
  const parsed = targets.map((t) => cidr(t, 'target'));
  let total = 0;
  for (const t of parsed) {
    if (!scope.include.some((s) => contains(s, t))) {
      throw new ScopeError(`target ${t.text} is not inside the configured scope (${scopeText(scope)})`);
    }
    total += 2 ** ((t.version === 4 ? 32 : 128) - t.bits);
    if (total > maxHosts) {
      throw new ScopeError(`targets expand to more than ${maxHosts} addresses (raise --max-hosts to allow)`);
    }
  }
  const seen = new Set<string>();
  let excluded = 0;
  let skippedSpecial = 0;
  for (const t of parsed) {
    for (const ip of expand(t)) {
      if (ip.special) {
        skippedSpecial++;
        continue;
      }
      if (seen.has(ip.text)) continue;
      if (scope.isExcluded(ip.text)) {
        excluded++;
        continue;
      }
      // Defence in depth: the containment test above already implies this.
      scope.check(ip.text);
      seen.add(ip.text);
    }
  }
  const hosts = [...seen].sort(compareIp);
  return { hosts, excluded, skippedSpecial };
}

function scopeText(scope: ScanScope): string {
  return scope.include.map((c) => c.text).join(', ');
}

/** True when CIDR `inner` lies wholly inside `outer`. */
export function contains(outer: Cidr, inner: Cidr): boolean {
  if (outer.version !== inner.version || inner.bits < outer.bits) return false;
  if (outer.version === 4) {
    const mask = outer.bits === 0 ? 0 : (0xffffffff << (32 - outer.bits)) >>> 0;
    return ((inner.network as number) & mask) >>> 0 === outer.network;
  }
  return new CidrSet([outer]).hasV6(inner.network as Uint8Array);
}

function* expand(c: Cidr): Generator<{ text: string; special: boolean }> {
  if (c.version === 4) {
    const first = c.network as number;
    const count = 2 ** (32 - c.bits);
    for (let i = 0; i < count; i++) {
      // RFC 3021: /31 and /32 have no network or broadcast address.
      const special = c.bits < 31 && (i === 0 || i === count - 1);
      yield { text: formatIpv4(first + i), special };
    }
    return;
  }
  // Host bits are zero and the count is capped by maxHosts, so adding i never carries past the
  // last six bytes (48 bits stay exact in a double).
  const base = c.network as Uint8Array;
  const count = 2 ** (128 - c.bits);
  let low = 0;
  for (let b = 10; b < 16; b++) low = low * 256 + base[b]!;
  for (let i = 0; i < count; i++) {
    const bytes = Uint8Array.from(base);
    let v = low + i;
    for (let b = 15; b >= 10; b--) {
      bytes[b] = v % 256;
      v = Math.floor(v / 256);
    }
    yield { text: formatIpv6(bytes), special: false };
  }
}

function compareIp(a: string, b: string): number {
  const a4 = parseIpv4(a);
  const b4 = parseIpv4(b);
  if (a4 !== null && b4 !== null) return a4 - b4;
  if (a4 !== null) return -1;
  if (b4 !== null) return 1;
  const a6 = parseIpv6(a)!;
  const b6 = parseIpv6(b)!;
  for (let i = 0; i < 16; i++) if (a6[i] !== b6[i]) return a6[i]! - b6[i]!;
  return 0;
}
