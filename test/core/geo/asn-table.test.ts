import { describe, expect, it } from 'vitest';
import { AsnTable, readIpv6Text } from '../../../core/geo/asn-table.js';
import { parseIpv4, parseIpv6 } from '../../../core/net/ip.js';

const enc = (s: string) => new TextEncoder().encode(s);
const v4 = (ip: string) => Uint32Array.of(parseIpv4(ip)!);
const v6 = (ip: string) => {
  const b = parseIpv6(ip)!;
  const d = new DataView(b.buffer);
  return Uint32Array.of(d.getUint32(0), d.getUint32(4), d.getUint32(8), d.getUint32(12));
};

describe('IPv4 ASN table (decimal CSV)', () => {
  const csv = [
    `${parseIpv4('1.0.0.0')},${parseIpv4('1.0.0.255')},13335,"Example, Inc."`,
    `${parseIpv4('1.0.4.0')},${parseIpv4('1.0.7.255')},38803,Plain Name Pty Ltd\r`,
    `${parseIpv4('2.0.0.0')},${parseIpv4('2.0.0.9')},64500,"Quoted ""nick"" AS"`,
    '',
    'not,a,row',
    `${parseIpv4('3.0.0.9')},${parseIpv4('3.0.0.1')},1,reversed`,
    `99999999999,1,1,too big`,
    `${parseIpv4('4.0.0.0')},${parseIpv4('4.0.0.255')},0,AS zero`,
    `${parseIpv4('5.0.0.0')},${parseIpv4('5.0.0.255')},65001`,
  ].join('\n');
  const t = new AsnTable(enc(csv), 1);

  it('finds inclusive ranges and nothing in the gaps', () => {
    expect(t.lookup(v4('1.0.0.0'))).toEqual({ asn: 13335, org: 'Example, Inc.' });
    expect(t.lookup(v4('1.0.0.255'))).toEqual({ asn: 13335, org: 'Example, Inc.' });
    expect(t.lookup(v4('1.0.1.0'))).toBeNull();
    expect(t.lookup(v4('1.0.7.255'))).toEqual({ asn: 38803, org: 'Plain Name Pty Ltd' });
    expect(t.lookup(v4('0.255.255.255'))).toBeNull();
    expect(t.lookup(v4('255.255.255.255'))).toBeNull();
    expect(t.lookup(v4('2.0.0.5'))).toEqual({ asn: 64500, org: 'Quoted "nick" AS' });
  });

  it('skips and counts rows that do not parse', () => {
    expect(t.stats).toEqual({ ranges: 3, skippedRows: 5, overlaps: 0 });
    expect(t.asName(38803)).toBe('Plain Name Pty Ltd');
    expect(t.asName(1)).toBeUndefined();
  });

  it('sorts unsorted rows and lets the earlier range win an overlap', () => {
    const u = new AsnTable(enc('200,300,2,B\n100,199,1,A\n250,400,3,C\n'), 1);
    expect(u.lookup(Uint32Array.of(150))?.asn).toBe(1);
    expect(u.lookup(Uint32Array.of(260))?.asn).toBe(2);
    expect(u.lookup(Uint32Array.of(350))).toBeNull();
    expect(u.stats.overlaps).toBe(1);
  });

  it('handles an empty file', () => {
    const e = new AsnTable(enc(''), 1);
    expect(e.lookup(Uint32Array.of(1))).toBeNull();
    expect(e.stats.ranges).toBe(0);
  });
});

describe('IPv6 ASN table (text CSV)', () => {
  const t = new AsnTable(
    enc(
      [
        '2001:200::,2001:200:1b9:ffff:ffff:ffff:ffff:ffff,2500,WIDE Project',
        '2001:500:30ff::,2001:500:30ff::2f,396585,Registry A',
        '2001:500:30ff::30,2001:500:30ff::30,396552,Registry B',
        '2001:db8::g,2001:db8::1,1,bad hex',
        '1.2.3.4,1.2.3.5,1,ipv4 in ipv6 file',
      ].join('\n'),
    ),
    4,
  );
  it('compares all 128 bits', () => {
    expect(t.lookup(v6('2001:200:1b9::1'))?.asn).toBe(2500);
    expect(t.lookup(v6('2001:200:1ba::'))).toBeNull();
    expect(t.lookup(v6('2001:500:30ff::2f'))?.asn).toBe(396585);
    expect(t.lookup(v6('2001:500:30ff::30'))?.asn).toBe(396552);
    expect(t.lookup(v6('2001:500:30ff::31'))).toBeNull();
    expect(t.stats).toEqual({ ranges: 3, skippedRows: 2, overlaps: 0 });
  });

  it('reads RFC 4291 text forms and rejects the rest', () => {
    const out = new Uint32Array(4);
    const read = (s: string) => (readIpv6Text(enc(s), 0, s.length, out, 0) ? [...out] : null);
    expect(read('::')).toEqual([0, 0, 0, 0]);
    expect(read('::1')).toEqual([0, 0, 0, 1]);
    expect(read('2001:db8::')).toEqual([0x20010db8, 0, 0, 0]);
    expect(read('1:2:3:4:5:6:7:8')).toEqual([0x10002, 0x30004, 0x50006, 0x70008]);
    expect(read('FFFF::ffff')).toEqual([0xffff0000, 0, 0, 0xffff]);
    for (const bad of [
      '',
      ':',
      ':1',
      '1:',
      '1::2::3',
      '12345::',
      '1:2:3:4:5:6:7:8:9',
      '1:2:3:4:5:6:7::8',
      'g::',
      '::1.2.3.4',
    ]) {
      expect(read(bad), bad).toBeNull();
    }
  });
});

describe('AsnTable binary form', () => {
  it('answers exactly as the table it was written from, and refuses anything else', () => {
    const csv = Buffer.from(
      '1.0.0.0,1.0.0.255,13335,Cloudflare\n8.8.8.0,8.8.8.255,15169,"Google, LLC"\n',
      'latin1',
    );
    const num = Buffer.from('16777216,16777471,13335,Cloudflare\n134744064,134744319,15169,"Google, LLC"\n');
    const table = new AsnTable(num, 1);
    const copy = AsnTable.fromBinary(table.toBinary())!;
    for (const ip of [16777216, 16777300, 134744072, 134744320, 0]) {
      const w = Uint32Array.of(ip);
      expect(copy.lookup(w)).toEqual(table.lookup(w));
    }
    expect(copy.lookup(Uint32Array.of(134744072))).toEqual({ asn: 15169, org: 'Google, LLC' });
    expect(AsnTable.fromBinary(csv)).toBeNull();
    const bin = table.toBinary();
    expect(AsnTable.fromBinary(bin.subarray(0, bin.length - 4))).toBeNull();
  });

  it('keeps every AS name, UTF-8 included, and refuses a damaged name index', () => {
    const num = Buffer.from(
      '1,1,7,Zürich Net AG\n2,2,3,"Comma, Inc."\n3,3,900,\n4,4,65000,東京テレコム\n5,5,3,Other Name\n',
    );
    const table = new AsnTable(num, 1);
    const bin = table.toBinary();
    const copy = AsnTable.fromBinary(bin)!;
    for (const asn of [7, 3, 900, 65000, 1, 64999, 0xffffffff])
      expect(copy.asName(asn), String(asn)).toBe(table.asName(asn));
    expect(copy.asName(65000)).toBe('東京テレコム');
    expect(copy.lookup(Uint32Array.of(3))).toEqual({ asn: 900, org: null });
    // The name index sits just before the blob: make the first end offset point past it.
    const head = JSON.parse(bin.subarray(0, bin.indexOf(10)).toString()) as {
      orgs: number;
      orgBytes: number;
    };
    const damaged = Buffer.from(bin);
    const endsAt = damaged.length - head.orgBytes - head.orgs * 4;
    damaged.writeUInt32LE(head.orgBytes + 1, endsAt);
    expect(AsnTable.fromBinary(damaged)).toBeNull();
  });
});
