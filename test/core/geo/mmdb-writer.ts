// A minimal MaxMind DB writer for tests, written from the format specification
// (https://maxmind.github.io/MaxMind-DB/): an IPv6 search tree with 24-bit records, IPv4
// networks under ::/96, a data section of maps, strings and unsigned integers, and the metadata
// map after the "\xAB\xCD\xEFMaxMind.com" marker. Enough to build GeoLite2-shaped fixtures.
import { parseCidr } from '../../../core/net/cidr.js';

type Value = string | number | Value[] | { [k: string]: Value };

function control(type: number, size: number): number[] {
  // Sizes 29..284: 29 in the control byte, size - 29 in the byte after any extended type byte.
  if (size > 284) throw new Error('test writer: sizes above 284 are not needed here');
  const low = size < 29 ? size : 29;
  const extra = size < 29 ? [] : [size - 29];
  // Types above 7 are "extended": type 0 in the control byte, type - 7 in the next byte.
  return type <= 7 ? [(type << 5) | low, ...extra] : [low, type - 7, ...extra];
}

function uint(type: number, n: number | bigint): number[] {
  const bytes: number[] = [];
  for (let v = BigInt(n); v > 0n; v >>= 8n) bytes.unshift(Number(v & 0xffn));
  return [...control(type, bytes.length), ...bytes];
}

function encode(v: Value): number[] {
  if (typeof v === 'string') {
    const b = [...new TextEncoder().encode(v)];
    return [...control(2, b.length), ...b];
  }
  if (typeof v === 'number') return uint(6, v); // uint32
  if (Array.isArray(v)) return [...control(11, v.length), ...v.flatMap(encode)];
  const entries = Object.entries(v);
  return [...control(7, entries.length), ...entries.flatMap(([k, x]) => [...encode(k), ...encode(x)])];
}

/** Networks ("8.8.8.0/24", "2001:4860::/32") with their records; networks must not nest. */
export function buildMmdb(databaseType: string, networks: Record<string, Value>): Buffer {
  const nodes: [number, number][] = [[-1, -1]];
  const data: number[] = [];
  const leaves: { node: number; side: 0 | 1; offset: number }[] = [];
  for (const [cidr, record] of Object.entries(networks)) {
    const c = parseCidr(cidr);
    const bits: number[] = [];
    if (c.version === 4) {
      for (let i = 0; i < 96; i++) bits.push(0);
      for (let i = 0; i < c.bits; i++) bits.push(((c.network as number) >>> (31 - i)) & 1);
    } else {
      const net = c.network as Uint8Array;
      for (let i = 0; i < c.bits; i++) bits.push((net[i >> 3]! >> (7 - (i & 7))) & 1);
    }
    let node = 0;
    for (let i = 0; i < bits.length - 1; i++) {
      const side = bits[i] as 0 | 1;
      if (nodes[node]![side] < 0) {
        nodes.push([-1, -1]);
        nodes[node]![side] = nodes.length - 1;
      }
      node = nodes[node]![side];
    }
    leaves.push({ node, side: bits.at(-1) as 0 | 1, offset: data.length });
    data.push(...encode(record));
  }
  const count = nodes.length;
  for (const l of leaves) nodes[l.node]![l.side] = -2 - l.offset; // marked as data
  const tree = Buffer.alloc(count * 6);
  nodes.forEach(([left, right], i) => {
    for (const [k, r] of [left, right].entries()) {
      const value = r === -1 ? count : r <= -2 ? count + 16 + (-2 - r) : r;
      tree.writeUIntBE(value, i * 6 + k * 3, 3);
    }
  });
  const metadata = encode({
    binary_format_major_version: 2,
    binary_format_minor_version: 0,
    build_epoch: 1_700_000_000,
    database_type: databaseType,
    description: { en: 'originmap test fixture' },
    ip_version: 6,
    languages: ['en'],
    node_count: count,
    record_size: 24,
  });
  return Buffer.concat([
    tree,
    Buffer.alloc(16),
    Buffer.from(data),
    Buffer.from([0xab, 0xcd, 0xef, ...Buffer.from('MaxMind.com')]),
    Buffer.from(metadata),
  ]);
}
