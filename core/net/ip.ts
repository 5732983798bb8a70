// IP address text <-> bytes for IPv4 and IPv6 (RFC 4291 §2.2 text forms, RFC 5952 output).
// Strict parsing: anything that is not an address is null, never a best guess.

/** Dotted-quad IPv4 to its 32-bit value; null when not exactly four decimal octets. */
export function parseIpv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255 || (p.length > 1 && p[0] === '0')) return null;
    value = value * 256 + n;
  }
  return value;
}

/** IPv6 text (with :: and an optional embedded IPv4 tail) to 16 bytes; null when malformed. */
export function parseIpv6(text: string): Uint8Array | null {
  const zone = text.indexOf('%');
  const addr = zone >= 0 ? text.slice(0, zone) : text;
  if (!/^[0-9a-fA-F:.]+$/.test(addr) || addr.length > 45) return null;
  const halves = addr.split('::');
  if (halves.length > 2) return null;
  const groups = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const items = part.split(':');
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (i === items.length - 1 && item.includes('.')) {
        const v4 = parseIpv4(item);
        if (v4 === null) return null;
        out.push(v4 >>> 16, v4 & 0xffff);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(item)) return null;
        out.push(Number.parseInt(item, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return null;
  const fill = 8 - head.length - tail.length;
  if (halves.length === 2 ? fill < 1 : fill !== 0) return null;
  const all = [...head, ...new Array<number>(halves.length === 2 ? fill : 0).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((g, i) => {
    bytes[i * 2] = g >>> 8;
    bytes[i * 2 + 1] = g & 0xff;
  });
  return bytes;
}

export function formatIpv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 0xff}.${(value >>> 8) & 0xff}.${value & 0xff}`;
}

/** 16 bytes to RFC 5952 text: lower case, longest run of two or more zero groups as ::. */
export function formatIpv6(bytes: Uint8Array, offset = 0): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((bytes[offset + i * 2]! << 8) | bytes[offset + i * 2 + 1]!);
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hexs = g.map((x) => x.toString(16));
  if (bestStart < 0) return hexs.join(':');
  return `${hexs.slice(0, bestStart).join(':')}::${hexs.slice(bestStart + bestLen).join(':')}`;
}
