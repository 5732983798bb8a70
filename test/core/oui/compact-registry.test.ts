import { describe, expect, it } from 'vitest';
import { CompactRegistry, encodeCompactRegistry } from '../../../core/oui/compact-registry.js';
import { OuiRegistry, ouiDataPath, readMacRegistry } from '../../../core/oui/registry.js';
import { REGISTRY_FIXTURE } from './registry-fixture.js';

const enc = (o: unknown) => new TextEncoder().encode(JSON.stringify(o, null, 1));

const MACS = [
  '00:1b:1b:56:7a:bc', // MA-S
  '00:1b:1b:55:00:01', // MA-M
  '00:1b:1b:00:00:01', // MA-L
  '00:50:c2:ab:10:00', // MA-S inside an IEEE block
  '00:50:c2:ab:20:00', // MA-S entry that is null: hides the MA-L block
  '00:50:c2:00:00:01', // the IEEE block itself: null
  '00:22:33:44:55:66', // organisation only
  '00:44:55:00:00:00', // address line, no country
  '00:99:99:00:00:00', // not registered
  '02:1b:1b:00:00:01', // locally administered
  '01:1b:1b:00:00:01', // group
  '001b.1b56.7abc',
  'garbage',
];

function compactOf(json: OuiRegistry): CompactRegistry {
  const reg = CompactRegistry.fromBinary(Buffer.from(encodeCompactRegistry(json.entries())));
  if (!reg) throw new Error('compact form rejected');
  return reg;
}

describe('compact IEEE registry', () => {
  const json = new OuiRegistry(enc(REGISTRY_FIXTURE));
  const compact = compactOf(json);

  it('answers every lookup as the JSON index does', () => {
    for (const mac of MACS) expect(compact.lookup(mac), mac).toEqual(json.lookup(mac));
    expect(compact.lookup('00:1b:1b:56:7a:bc')).toEqual({
      organisation: 'Small "Quoted" Société',
      country: 'FR',
      prefixBits: 36,
    });
    expect(compact.lookup('00:50:c2:ab:20:00')).toBeNull();
  });

  it('lists the same registrants', () => {
    expect([...compact.all()]).toEqual([...json.all()]);
  });

  it('rejects bytes that are not a whole, consistent compact form', () => {
    const good = Buffer.from(encodeCompactRegistry(json.entries()));
    expect(CompactRegistry.fromBinary(good)).not.toBeNull();
    expect(CompactRegistry.fromBinary(good.subarray(0, good.length - 1))).toBeNull();
    expect(CompactRegistry.fromBinary(Buffer.alloc(10))).toBeNull();
    const badMagic = Buffer.from(good);
    badMagic[0]! ^= 0xff;
    expect(CompactRegistry.fromBinary(badMagic)).toBeNull();
    // Prefixes out of order: the first two keys (MA-S rows) swapped.
    const unordered = Buffer.from(good);
    const a = unordered.readDoubleLE(24);
    unordered.writeDoubleLE(unordered.readDoubleLE(32), 24);
    unordered.writeDoubleLE(a, 32);
    expect(CompactRegistry.fromBinary(unordered)).toBeNull();
    // A text offset past the end of the text.
    const n = good.readUInt32LE(4) + good.readUInt32LE(8) + good.readUInt32LE(12);
    const badOffset = Buffer.from(good);
    badOffset.writeUInt32LE(0xffff_ffff, 24 + 8 * n + 4);
    expect(CompactRegistry.fromBinary(badOffset)).toBeNull();
  });

  it('reads a buffer at an offset that is not 8-aligned', () => {
    const good = encodeCompactRegistry(json.entries());
    const shifted = Buffer.alloc(good.length + 3);
    shifted.set(good, 3);
    const reg = CompactRegistry.fromBinary(shifted.subarray(3));
    expect(reg?.lookup('00:1b:1b:56:7a:bc')?.country).toBe('FR');
  });
});

describe('compact form of the packaged registry (oui-data)', () => {
  const json = readMacRegistry(ouiDataPath());
  const compact = compactOf(json);

  it('resolves every prefix, and its neighbours, to the same registrant', () => {
    let checked = 0;
    for (const { digits, prefix } of json.entries()) {
      const hex = prefix.toString(16).padStart(digits, '0');
      for (const tail of ['000', '8ff', 'fff']) {
        const mac = `${hex}${tail}00000`.slice(0, 12);
        expect(compact.lookup(mac), mac).toEqual(json.lookup(mac));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(150_000);
    expect([...compact.all()].length).toBe([...json.all()].length);
  });
});
