// The interim reply readers keep the decoder contract (agent/decode/fuzz.test.ts does the same for
// the registry): on random and mutated replies they throw only DecodeError/TruncatedError.
import { describe, expect, it } from 'vitest';
import { INTERIM_DECODERS } from '../../../agent/active/interim/index.js';
import { isDecoderError } from '../../../agent/decode/errors.js';
import { ctx, hex, RecordingEmitter } from '../decode/helpers.js';

/** Well-formed replies, built from the specs the readers cite. */
const SEEDS: Record<string, string[]> = {
  modbus: [
    '0001 0000 0011 ff 2b 0e 01 83 00 00 02 00 03 414243 01 02 5858',
    '0002 0000 0006 ff 11 03 01 ff 41',
  ],
  s7comm: [
    '0300 0045 02f080 32 07 0000 0002 000c 0028 000112 08 12 84 01 01 0000 0000 ff 09 0024 0011 0000 001c 0001 ' +
      '0001 36455337203331352d32454831342d3041423020 0000 0004 0001',
  ],
  enip: [
    '6300 2a00 00000000 00000000 0000000000000000 00000000 0100 0c00 2400 0100 0002af12c6120b0b 0000000000000000 0100 0c00 a600 0b02 3000 c3b2a160 03 414243 03',
  ],
  bacnet: [
    '810a 0019 0100 30 01 0c 0c 023fffff 19 79 3e 75 06 00 5369656d 3f',
    '810a 0014 0100 1000 c4 02200401 22 05c4 91 03 21 07',
  ],
  fins: [`c0 00 02 00 63 00 00 11 00 ef 0501 0000 ${'41'.repeat(20)} ${'42'.repeat(20)}`],
  snmp: [
    '3029 020101 0406 7075626c6963 a21c 020101 020100 020100 3011 300f 06082b06010201010100 0403 414243',
  ],
  ssdp: [
    Buffer.from(
      'HTTP/1.1 200 OK\r\nSERVER: Linux/3.0, UPnP/1.0, x/1\r\nST: upnp:rootdevice\r\n\r\n',
    ).toString('hex'),
  ],
  mdns: ['1234 8400 0000 0001 0000 0000 0131 0130 00 000c 0001 0000000a 0005 03616263 00'],
};

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x1_0000_0000;
  };
}

describe('interim reply readers', () => {
  for (const decoder of INTERIM_DECODERS) {
    it(`${decoder.id}: hostile replies raise only decoder errors`, () => {
      const rand = rng(0x5eed ^ decoder.id.length);
      const seeds = (SEEDS[decoder.id] ?? []).map(hex);
      for (const seed of seeds) {
        // Every seed decodes and yields observations as it is.
        const c = ctx(decoder.transports[0]!, { fromClient: decoder.transports[0] === 'tcp' ? false : null });
        const out = new RecordingEmitter();
        decoder.observe(decoder.decode(seed, c), c, out);
        expect(out.observations.length, decoder.id).toBeGreaterThan(0);
      }
      for (let i = 0; i < 400; i++) {
        const base =
          seeds.length && rand() < 0.7
            ? Uint8Array.from(seeds[i % seeds.length]!)
            : Uint8Array.from({ length: Math.floor(rand() * 80) }, () => Math.floor(rand() * 256));
        for (let e = 0; e < 1 + Math.floor(rand() * 6) && base.length; e++)
          base[Math.floor(rand() * base.length)] = Math.floor(rand() * 256);
        const bytes = rand() < 0.2 ? base.subarray(0, Math.floor(rand() * base.length)) : base;
        for (const transport of decoder.transports) {
          const c = ctx(transport, { fromClient: transport === 'tcp' ? false : null });
          try {
            decoder.observe(decoder.decode(bytes, c), c, new RecordingEmitter());
          } catch (err) {
            if (!isDecoderError(err))
              throw new Error(`${decoder.id}: ${String(err)} on ${Buffer.from(bytes).toString('hex')}`);
          }
        }
      }
    });
  }
});
