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
    expect(hot.factsOf(a, 'ip.ttl')).toEqual(plain.factsOf(b, 'ip.ttl'));
    expect(hot.factsOf(a, 'ip.ttl').map((f) => f.value)).toEqual([64, 128, 255]);
    expect([a.first, a.last]).toEqual([b.first, b.last]);
  });

  it('caps endpoints, values per key and names per address, and counts what it dropped', () => {
    const s = new EvidenceStore({ maxEndpoints: 2, maxValuesPerKey: 2, maxNamesPerAddress: 1 });
    const ep = s.endpoint('00:00:00:00:00:01', null)!;
    expect(s.endpoint('00:00:00:00:00:02', null)).not.toBeNull();
    expect(s.endpoint('00:00:00:00:00:03', null)).toBeNull();
    for (const v of ['a', 'b', 'c']) s.record(ep, 'ssh.banner', v, 1);
    expect(s.factsOf(ep, 'ssh.banner').map((f) => f.value)).toEqual(['a', 'b']);
    s.nameAddress('8.8.8.8', 'dns.google');
    s.nameAddress('8.8.8.8', 'DNS.GOOGLE');
    s.nameAddress('8.8.8.8', 'other.example');
    expect([...s.names.get('8.8.8.8')!]).toEqual(['dns.google']);
    expect(s.dropped).toEqual({ endpoints: 1, 'values:ssh.banner': 1, names: 1 });
  });
});

describe('evidence store eviction', () => {
  it('frees the facts of evicted endpoints; kept endpoints keep their facts and hot slots', () => {
    const s = new EvidenceStore();
    const a = s.endpoint('00:00:00:00:00:0a', null)!;
    const b = s.endpoint('00:00:00:00:00:0b', null)!;
    s.recordHot(a, HOT.SERVICE, 'net.service', 'tcp/80', 1, 80);
    s.recordHot(b, HOT.SERVICE, 'net.service', 'tcp/22', 1, 22);
    s.record(b, 'ssh.banner', 'SSH-2.0-x', 2);
    const { remap, evicted } = s.evict((ep) => ep !== a);
    expect(evicted).toEqual([a]);
    expect(Array.from(remap)).toEqual([-1, 0]);
    expect(b.id).toBe(0);
    // b's hot slot moved with it: the same digest bumps its own fact.
    expect(s.bumpHot(b, HOT.SERVICE, 22, 5)).toBe(true);
    expect(s.bumpHot(b, HOT.SERVICE, 80, 5)).toBe(false);
    // A new endpoint takes the freed rows and starts with empty hot slots.
    const c = s.endpoint('00:00:00:00:00:0c', null)!;
    expect(s.bumpHot(c, HOT.SERVICE, 80, 6)).toBe(false);
    s.record(c, 'ssh.banner', 'SSH-2.0-y', 6);
    expect(s.factsOf(c, 'ssh.banner')).toEqual([
      { value: 'SSH-2.0-y', count: 1, first: 6, last: 6, source: 'passive', sent: 0 },
    ]);
    expect(s.factsOf(b, 'net.service')).toEqual([
      { value: 'tcp/22', count: 2, first: 1, last: 5, source: 'passive', sent: 0 },
    ]);
    expect(s.factsOf(b, 'ssh.banner').map((f) => f.value)).toEqual(['SSH-2.0-x']);
  });
});
