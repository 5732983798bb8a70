import { describe, expect, it } from 'vitest';
import { EvidenceStore, HOT } from '../../../agent/observe/evidence-store.js';

describe('evidence store', () => {
  it('recordHot counts exactly as record does, whatever the order of values', () => {
    const hot = new EvidenceStore();
    const plain = new EvidenceStore();
    const a = hot.endpoint('00:1b:1b:00:00:01', '10.0.0.1')!;
    const b = plain.endpoint('00:1b:1b:00:00:01', '10.0.0.1')!;
    const values = [64, 64, 128, 64, 128, 128, 255, 64];
    values.forEach((v, i) => {
      hot.recordHot(a, HOT.TTL, 'ip.ttl', v, 1000 - i * 10);
      plain.record(b, 'ip.ttl', v, 1000 - i * 10);
    });
    expect([...a.facts.get('ip.ttl')!]).toEqual([...b.facts.get('ip.ttl')!]);
    expect([a.first, a.last]).toEqual([b.first, b.last]);
  });

  it('caps endpoints, values per key and names per address, and counts what it dropped', () => {
    const s = new EvidenceStore({ maxEndpoints: 2, maxValuesPerKey: 2, maxNamesPerAddress: 1 });
    const ep = s.endpoint('00:00:00:00:00:01', null)!;
    expect(s.endpoint('00:00:00:00:00:02', null)).not.toBeNull();
    expect(s.endpoint('00:00:00:00:00:03', null)).toBeNull();
    for (const v of ['a', 'b', 'c']) s.record(ep, 'ssh.banner', v, 1);
    expect(ep.facts.get('ssh.banner')!.size).toBe(2);
    s.nameAddress('8.8.8.8', 'dns.google');
    s.nameAddress('8.8.8.8', 'DNS.GOOGLE');
    s.nameAddress('8.8.8.8', 'other.example');
    expect([...s.names.get('8.8.8.8')!]).toEqual(['dns.google']);
    expect(s.dropped).toEqual({ endpoints: 1, 'values:ssh.banner': 1, names: 1 });
  });
});
