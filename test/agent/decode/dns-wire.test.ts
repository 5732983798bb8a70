import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_RECORDS,
  decodeDnsMessage,
  MAX_NAME_POINTERS,
  nameLabels,
  plainName,
  readName,
} from '../../../agent/decode/dns-wire.js';
import { DecodeError, TruncatedError } from '../../../agent/decode/errors.js';
import { hex } from './helpers.js';

// RFC 1035 §4.1: a response for www.example.com: CNAME edge.example.net, A 192.0.2.7.
const CNAME_RESPONSE = hex(`
  1234 8180 0001 0002 0000 0000          # id, QR|RD|RA, 1 question, 2 answers
  03 777777 07 6578616d706c65 03 636f6d 00 # @12 www.example.com
  0001 0001                              # A, IN
  c00c 0005 0001 0000012c 0012           # @33 answer: ptr→12, CNAME, IN, ttl 300, rdlength 18
  04 65646765 07 6578616d706c65 03 6e6574 00 # @45 edge.example.net
  c02d 0001 0001 0000012c 0004 c0000207  # @63 answer: ptr→45, A, IN, ttl 300, 192.0.2.7
`);

/** A message with one question "a" (@12) and the given raw answer records after it. */
function withAnswers(count: number, records: string): Uint8Array {
  const n = count.toString(16).padStart(4, '0');
  return hex(`0000 8400 0001 ${n} 0000 0000  01 61 00  0001 0001 ${records}`);
}

describe('dns-wire: decodeDnsMessage', () => {
  it('reads the header, the question and compressed CNAME and A answers', () => {
    const m = decodeDnsMessage(CNAME_RESPONSE, 'dns');
    expect(m.header).toMatchObject({
      id: 0x1234,
      response: true,
      opcode: 0,
      rcode: 0,
      qdcount: 1,
      ancount: 2,
    });
    expect(m.questions).toEqual([{ name: 'www.example.com', type: 1, class: 1, classFlag: false }]);
    expect(m.records.map((r) => [r.section, r.name, r.type, r.ttl, r.data])).toEqual([
      ['answer', 'www.example.com', 5, 300, { kind: 'name', name: 'edge.example.net' }],
      ['answer', 'edge.example.net', 1, 300, { kind: 'address', address: '192.0.2.7' }],
    ]);
    expect(m.problems).toEqual([]);
  });

  it('returns RDATA as views into the message, not copies', () => {
    const m = decodeDnsMessage(CNAME_RESPONSE, 'dns');
    const a = m.records[1]!;
    expect(a.rdata.buffer).toBe(CNAME_RESPONSE.buffer);
    expect(a.rdataOffset).toBe(75);
  });

  it('reads AAAA, SRV, TXT and PTR RDATA and the mDNS cache-flush bit', () => {
    const m = decodeDnsMessage(
      withAnswers(
        4,
        `c00c 001c 8001 00000078 0010 20010db8000000000000000000000001 # AAAA 2001:db8::1, cache-flush
         c00c 0021 0001 00000078 0008 0000 0000 0202 c00c              # SRV 0 0 514 → a
         c00c 0010 0001 00000078 0009 05 74793d4850 02 613d            # TXT "ty=HP" "a="
         c00c 000c 0001 00000078 0002 c00c                             # PTR → a`,
      ),
      'mdns',
    );
    expect(m.records.map((r) => r.data)).toEqual([
      { kind: 'address', address: '2001:db8::1' },
      { kind: 'srv', priority: 0, weight: 0, port: 514, target: 'a' },
      { kind: 'txt', strings: [hex('74793d4850'), hex('613d')] },
      { kind: 'name', name: 'a' },
    ]);
    expect(m.records[0]!.classFlag).toBe(true);
    expect(m.records[0]!.class).toBe(1);
  });

  it('keeps RDATA raw when asked (NetBIOS types collide with DNS ones)', () => {
    const m = decodeDnsMessage(withAnswers(1, 'c00c 0021 0001 00000000 0001 00'), 'nbns', { rdata: false });
    expect(m.records[0]!.data).toEqual({ kind: 'raw' });
  });

  it('throws TruncatedError on a cut header', () => {
    const err = catchError(() => decodeDnsMessage(hex('1234 8180 0001 00'), 'dns'));
    expect(err).toBeInstanceOf(TruncatedError);
    expect(err).toMatchObject({ protocol: 'dns', field: 'header', offset: 0 });
  });

  it('throws DecodeError when the counts overflow the cap', () => {
    const err = catchError(() => decodeDnsMessage(hex('0000 8000 0001 ffff 0000 0000'), 'dns'));
    expect(err).toBeInstanceOf(DecodeError);
    expect(err).toMatchObject({ field: 'header.counts', offset: 4 });
    expect(String(err)).toContain(`cap of ${DEFAULT_MAX_RECORDS}`);
  });

  it('skips a record whose name is a compression loop and goes on', () => {
    const m = decodeDnsMessage(
      withAnswers(
        2,
        `c013 0001 0001 00000000 0004 c0000201  # @19 name points to itself
         c00c 0001 0001 00000000 0004 c0000202  # a good record after it`,
      ),
      'dns',
    );
    expect(m.records.map((r) => r.data)).toEqual([{ kind: 'address', address: '192.0.2.2' }]);
    expect(m.problems).toHaveLength(1);
    expect(m.problems[0]).toMatchObject({ field: 'answer.name', offset: 19 });
    expect(m.problems[0]!.message).toContain('compression loop');
  });

  it('rejects a pointer back into the run it ends (a loop through two pointers)', () => {
    // @19: label "b" then a pointer to 19 → b.b.b… forever without the run-start rule.
    const m = decodeDnsMessage(withAnswers(1, '01 62 c013 0001 0001 00000000 0000'), 'dns');
    expect(m.records).toEqual([]);
    expect(m.problems[0]).toMatchObject({ field: 'answer.name', offset: 21 });
  });

  it(`stops following after ${MAX_NAME_POINTERS} pointers`, () => {
    // An unknown-type record @19 whose RDATA @30 is a chain of pointers, each to the one before;
    // the first points to the question name @12.
    const chain = ['c00c'];
    for (let i = 1; i <= MAX_NAME_POINTERS; i++) chain.push(`c0${(30 + (i - 1) * 2).toString(16)}`);
    const last = 30 + (chain.length - 1) * 2;
    const rdlength = (chain.length * 2).toString(16).padStart(4, '0');
    const m = decodeDnsMessage(
      withAnswers(
        2,
        `00 ff00 0001 00000000 ${rdlength} ${chain.join(' ')}  c0${last.toString(16)} 0001 0001 00000000 0000`,
      ),
      'dns',
    );
    expect(m.records).toHaveLength(1);
    expect(m.problems[0]!.message).toContain(`more than ${MAX_NAME_POINTERS} compression pointers`);
  });

  it('stops at a name longer than 255 octets', () => {
    const label = `3f${'61'.repeat(63)}`;
    const m = decodeDnsMessage(hex(`0000 0000 0001 0000 0000 0000 ${label.repeat(5)} 00 0001 0001`), 'dns');
    expect(m.questions).toEqual([]);
    expect(m.problems[0]).toMatchObject({ field: 'question.name' });
    expect(m.problems[0]!.message).toContain('longer than 255');
  });

  it('stops at a reserved label type', () => {
    const m = decodeDnsMessage(hex('0000 0000 0001 0000 0000 0000 41 61 00 0001 0001'), 'dns');
    expect(m.problems[0]).toMatchObject({ field: 'question.name', offset: 12 });
    expect(m.problems[0]!.message).toContain('reserved label type 0x40');
  });

  it('skips an A record of the wrong length and keeps the next one', () => {
    const m = decodeDnsMessage(
      withAnswers(2, 'c00c 0001 0001 00000000 0005 c000020101  c00c 0001 0001 00000000 0004 c0000202'),
      'dns',
    );
    expect(m.records.map((r) => r.data)).toEqual([{ kind: 'address', address: '192.0.2.2' }]);
    expect(m.problems[0]).toMatchObject({ field: 'answer.rdata', offset: 31 });
  });

  it('keeps the records before a cut one and reports the cut as TruncatedError', () => {
    const m = decodeDnsMessage(
      withAnswers(2, 'c00c 0001 0001 00000000 0004 c0000201  c00c 0001 0001 0000'),
      'dns',
    );
    expect(m.records).toHaveLength(1);
    expect(m.problems[0]).toBeInstanceOf(TruncatedError);
    expect(m.problems[0]).toMatchObject({ field: 'answer', offset: 37 });
  });

  it('rejects a TXT string that overruns its record and more than 256 strings', () => {
    const overrun = decodeDnsMessage(withAnswers(1, 'c00c 0010 0001 00000000 0002 05 61'), 'dns');
    expect(overrun.problems[0]).toMatchObject({ field: 'answer.rdata' });
    const many = decodeDnsMessage(withAnswers(1, `c00c 0010 0001 00000000 0101 ${'00'.repeat(257)}`), 'dns');
    expect(many.problems[0]!.message).toContain('more than 256 TXT strings');
  });

  it('rejects a name in RDATA that overruns the RDATA', () => {
    const m = decodeDnsMessage(withAnswers(1, 'c00c 000c 0001 00000000 0002 03 6162 63 00'), 'dns');
    expect(m.problems[0]).toMatchObject({ field: 'answer.rdata' });
    expect(m.problems[0]).not.toBeInstanceOf(TruncatedError);
  });
});

describe('dns-wire: names', () => {
  it('escapes dots inside labels and nameLabels undoes it', () => {
    const bytes = hex('0000 0000 0001 0000 0000 0000  08 4a6f2e205072696e  05 6c6f63616c 00 0001 0001');
    const { name, next } = readName(bytes, 12, 'mdns', 'question.name');
    expect(name).toBe('Jo\\. Prin.local');
    expect(next).toBe(28);
    expect(nameLabels(name)).toEqual(['Jo. Prin', 'local']);
    expect(nameLabels('a..b.')).toEqual(['a', '', 'b', '']);
    expect(nameLabels('a\\\\.b')).toEqual(['a\\', 'b']);
    expect(nameLabels('')).toEqual([]);
  });

  it('decodes UTF-8 labels (mDNS instance names)', () => {
    const bytes = hex('0000 0000 0001 0000 0000 0000  06 e38397e383aa 00');
    expect(readName(bytes, 12, 'mdns', 'q').name).toBe('プリ');
  });

  it('builds names of plain and escaped or UTF-8 labels in any order, across pointers', () => {
    // At 12: "a", "b", "x.y" (escaped), "c"; at 23: "プ" + pointer to 14 ("b"…); at 29: "dd" + pointer to 23.
    const bytes = hex(
      '0000 0000 0001 0000 0000 0000  01 61 01 62 03 782e79 01 63 00  03 e38397 c00e  02 6464 c017',
    );
    expect(readName(bytes, 12, 'mdns', 'q')).toEqual({ name: 'a.b.x\\.y.c', next: 23 });
    expect(readName(bytes, 23, 'mdns', 'q')).toEqual({ name: 'プ.b.x\\.y.c', next: 29 });
    expect(readName(bytes, 29, 'mdns', 'q')).toEqual({ name: 'dd.プ.b.x\\.y.c', next: 34 });
    // The longest legal name: 127 one-byte labels (255 octets with the root).
    const long = hex(`0000 0000 0001 0000 0000 0000 ${'01 61 '.repeat(127)} 00`);
    expect(readName(long, 12, 'dns', 'q').name).toBe(Array(127).fill('a').join('.'));
  });

  it('reads uncompressed option names, partial or rooted', () => {
    expect(plainName(hex('04 686f7374 07 6578616d706c65 00'))).toBe('host.example');
    expect(plainName(hex('04 686f7374'))).toBe('host');
    expect(plainName(hex('c00c'))).toBeNull();
    expect(plainName(hex('05 6162'))).toBeNull();
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}
