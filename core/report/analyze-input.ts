// Reads an `analyze --json` document (DESIGN.md §4) as hostile input: size-capped by the caller,
// JSON-parsed, then checked field by field against the public contract before anything uses it.
import { type Static, Type } from 'typebox';
import { Value } from 'typebox/value';
import { type ConnectionRecord, DEVICE_CLASSES, type DeviceRecord, PROVIDER_KINDS } from '../inventory.js';

const Str = Type.String({ maxLength: 4096 });
const MaybeStr = Type.Union([Str, Type.Null()]);
const Iso = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$',
});
const Country = Type.Union([Type.String({ pattern: '^[A-Z]{2}$' }), Type.Null()]);
const Texts = Type.Array(Str, { maxItems: 10_000 });

/** The device fields policies and summaries read; other fields are allowed and passed through. */
const Device = Type.Object({
  id: Str,
  mac: MaybeStr,
  ips: Texts,
  hostnames: Texts,
  vendor: MaybeStr,
  vendorCountry: Country,
  vendorParent: MaybeStr,
  watchlists: Texts,
  registrant: MaybeStr,
  registrantCountry: Country,
  randomizedMac: Type.Boolean(),
  class: Type.Union([Type.Enum(DEVICE_CLASSES), Type.Null()]),
  model: MaybeStr,
  firmware: MaybeStr,
  os: MaybeStr,
  confidence: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()]),
  vlans: Type.Array(Type.Integer({ minimum: 0, maximum: 4095 }), { maxItems: 4096 }),
  services: Texts,
  roles: Texts,
  firstSeen: Iso,
  lastSeen: Iso,
});

const Connection = Type.Object({
  device: Str,
  remoteIp: Str,
  remotePort: Type.Union([Type.Integer({ minimum: 0, maximum: 65535 }), Type.Null()]),
  localPort: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 65535 }), Type.Null()])),
  direction: Type.Optional(Type.Union([Type.Literal('outbound'), Type.Literal('inbound')])),
  proto: Type.Union([Type.Literal('tcp'), Type.Literal('udp'), Type.Literal('icmp'), Type.Literal('other')]),
  country: Country,
  asn: Type.Union([Type.Integer({ minimum: 0, maximum: 4294967295 }), Type.Null()]),
  asOrg: MaybeStr,
  provider: MaybeStr,
  providerKind: Type.Union([Type.Enum(PROVIDER_KINDS), Type.Null()]),
  names: Texts,
  packets: Type.Integer({ minimum: 0 }),
  bytes: Type.Integer({ minimum: 0 }),
  firstSeen: Iso,
  lastSeen: Iso,
});

/** Caps: a plant inventory is thousands of devices, not millions. */
export const ANALYZE_LIMITS = { devices: 200_000, connections: 2_000_000 } as const;

const AnalyzeDoc = Type.Object({
  devices: Type.Array(Device, { maxItems: ANALYZE_LIMITS.devices }),
  connections: Type.Array(Connection, { maxItems: ANALYZE_LIMITS.connections }),
});

export type AnalyzeInput = Static<typeof AnalyzeDoc>;

export class InputError extends Error {
  override readonly name = 'InputError';
}

/** Parses and checks the document; throws InputError naming the first problems by JSON path. */
export function parseAnalyzeDocument(text: string): {
  devices: DeviceRecord[];
  connections: ConnectionRecord[];
} {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new InputError(`not JSON: ${(err as Error).message}`);
  }
  if (!Value.Check(AnalyzeDoc, doc)) {
    const first = [...Value.Errors(AnalyzeDoc, doc)]
      .slice(0, 3)
      .map((e) => `${e.instancePath || '/'}: ${e.message}`);
    throw new InputError(`not an analyze --json document: ${first.join('; ')}`);
  }
  const d = doc as { devices: DeviceRecord[]; connections: ConnectionRecord[] };
  // Timestamps are compared as text in summaries: normalise offsets to UTC "Z" form.
  const utc = (t: string, path: string) => {
    const ms = Date.parse(t);
    if (!Number.isFinite(ms)) throw new InputError(`${path}: '${t}' is not a real date`);
    return new Date(ms).toISOString();
  };
  return {
    devices: d.devices.map((x, i) => ({
      ...x,
      reasons: x.reasons ?? [],
      observations: x.observations ?? [],
      firstSeen: utc(x.firstSeen, `/devices/${i}/firstSeen`),
      lastSeen: utc(x.lastSeen, `/devices/${i}/lastSeen`),
    })),
    connections: d.connections.map((c, i) => ({
      ...c,
      firstSeen: utc(c.firstSeen, `/connections/${i}/firstSeen`),
      lastSeen: utc(c.lastSeen, `/connections/${i}/lastSeen`),
    })),
  };
}
