// Writes the project's own captures: `node dist/scripts/generate-fixtures.js [dir=fixtures]`.
//   demo.pcapng                 everything, two interfaces (Ethernet and Linux SLL2), for the README
//   demo-<variant>.pcap(ng)     the same traffic in every format and link type `analyze` reads
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allFixtureFrames } from './fixtures/index.js';
import { relink } from './lib/link-types.js';
import { type FrameRecord, writePcap, writePcapng } from './lib/pcap-writer.js';

export interface Variant {
  file: string;
  build(frames: FrameRecord[]): Buffer;
}

function relinked(frames: FrameRecord[], linkType: number): FrameRecord[] {
  return frames.flatMap((f) => {
    const data = relink(f.data, linkType);
    return data ? [{ ...f, data }] : [];
  });
}

export const VARIANTS: Variant[] = [
  {
    file: 'demo.pcapng',
    build: (f) =>
      writePcapng([
        {
          interfaces: [{ linkType: 1, tsresol: 9 }, { linkType: 276 }],
          frames: f.map((x, i) => (i % 7 === 3 ? { ...x, data: relink(x.data, 276)!, iface: 1 } : x)),
          unknownBlock: true,
        },
      ]),
  },
  { file: 'demo-us-le.pcap', build: (f) => writePcap(f, { linkType: 1 }) },
  { file: 'demo-us-be.pcap', build: (f) => writePcap(f, { linkType: 1, bigEndian: true }) },
  { file: 'demo-ns-le.pcap', build: (f) => writePcap(f, { linkType: 1, nanosecond: true }) },
  { file: 'demo-ns-be.pcap', build: (f) => writePcap(f, { linkType: 1, nanosecond: true, bigEndian: true }) },
  { file: 'demo-sll.pcap', build: (f) => writePcap(relinked(f, 113), { linkType: 113 }) },
  { file: 'demo-sll2.pcap', build: (f) => writePcap(relinked(f, 276), { linkType: 276 }) },
  { file: 'demo-raw.pcap', build: (f) => writePcap(relinked(f, 101), { linkType: 101 }) },
  { file: 'demo-raw4.pcap', build: (f) => writePcap(relinked(f, 228), { linkType: 228 }) },
  { file: 'demo-raw6.pcap', build: (f) => writePcap(relinked(f, 229), { linkType: 229 }) },
  { file: 'demo-null.pcap', build: (f) => writePcap(relinked(f, 0), { linkType: 0 }) },
  {
    file: 'demo-be.pcapng',
    build: (f) => writePcapng([{ interfaces: [{ linkType: 1 }], frames: f, bigEndian: true }]),
  },
  {
    file: 'demo-spb.pcapng',
    build: (f) => writePcapng([{ interfaces: [{ linkType: 1 }], frames: f, simple: true }]),
  },
  {
    file: 'demo-sections.pcapng',
    build: (f) => {
      const half = Math.floor(f.length / 2);
      return writePcapng([
        { interfaces: [{ linkType: 1, tsresol: 6 }], frames: f.slice(0, half) },
        {
          interfaces: [{ linkType: 113 }, { linkType: 1, tsresol: 9 }],
          frames: f.slice(half).map((x) => ({ ...x, iface: 1 })),
          bigEndian: true,
        },
      ]);
    },
  },
];

export function generateFixtures(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const frames = allFixtureFrames();
  return VARIANTS.map((v) => {
    const path = join(dir, v.file);
    writeFileSync(path, v.build(frames));
    return path;
  });
}

if (process.argv[1]?.endsWith('generate-fixtures.js')) {
  const dir = process.argv[2] ?? 'fixtures';
  const written = generateFixtures(dir);
  process.stderr.write(
    `wrote ${written.length} captures to ${dir}/ (${allFixtureFrames().length} frames each)\n`,
  );
}
