// MAC address facts the engine needs before any registry lookup (IEEE 802 §8.2 address bits).

export interface MacFacts {
  /** Lower-case colon form, or null when the text is not a 48-bit MAC. */
  mac: string | null;
  /** U/L bit set on a unicast address: assigned locally (randomised by the OS, or a VM/container). */
  locallyAdministered: boolean;
  /** I/G bit set: a group (multicast/broadcast) address, never one device's own. */
  group: boolean;
}

const MAC_RE =
  /^([0-9a-f]{2})[:-]?([0-9a-f]{2})[:-]?([0-9a-f]{2})[:-]?([0-9a-f]{2})[:-]?([0-9a-f]{2})[:-]?([0-9a-f]{2})$/i;

export function macFacts(text: string | null): MacFacts {
  const m = text ? MAC_RE.exec(text.trim()) : null;
  if (!m) return { mac: null, locallyAdministered: false, group: false };
  const first = Number.parseInt(m[1]!, 16);
  const group = (first & 0x01) !== 0;
  return {
    mac: m.slice(1, 7).join(':').toLowerCase(),
    locallyAdministered: !group && (first & 0x02) !== 0,
    group,
  };
}
