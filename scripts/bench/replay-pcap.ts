// Replays a classic little-endian pcap to stdout at a fixed packet rate, in a loop, with every
// record's time rewritten to the moment it is written — what the agent would read from tcpdump on
// a busy port. Used as the agent's capture command by `npm run bench:agent`:
//   node dist/scripts/bench/replay-pcap.js <file.pcap> <packets/s> <seconds>
import { readFileSync } from 'node:fs';

const TICK_MS = 10;

function main(): void {
  const [file, rateText, secondsText] = process.argv.slice(2);
  const rate = Number(rateText);
  const seconds = Number(secondsText);
  if (!file || !(rate > 0) || !(seconds > 0)) {
    process.stderr.write('usage: replay-pcap <file.pcap> <packets/s> <seconds>\n');
    process.exit(2);
  }
  const pcap = readFileSync(file);
  if (pcap.readUInt32LE(0) !== 0xa1b2c3d4) {
    process.stderr.write(`${file}: not a little-endian microsecond pcap\n`);
    process.exit(2);
  }
  // Record offsets once: the loop only copies and stamps.
  const offsets: number[] = [];
  for (let off = 24; off + 16 <= pcap.length; off += 16 + pcap.readUInt32LE(off + 8)) offsets.push(off);
  const out = process.stdout;
  out.write(pcap.subarray(0, 24));
  const start = performance.now();
  const startWallUs = Date.now() * 1000;
  let sent = 0;
  let next = 0;
  const tick = () => {
    const elapsed = performance.now() - start;
    if (elapsed >= seconds * 1000) {
      out.end();
      return;
    }
    // At most a tenth of a second's worth per tick: a reader that fell behind gets no burst.
    const due = Math.min(Math.floor((elapsed / 1000) * rate) - sent, Math.ceil(rate / 10));
    if (due <= 0) {
      setTimeout(tick, TICK_MS);
      return;
    }
    const chunks: Buffer[] = [];
    const nowUs = startWallUs + Math.round(elapsed * 1000);
    for (let i = 0; i < due; i++) {
      const off = offsets[next]!;
      next = (next + 1) % offsets.length;
      const rec = Buffer.from(pcap.subarray(off, off + 16 + pcap.readUInt32LE(off + 8)));
      rec.writeUInt32LE(Math.floor(nowUs / 1e6), 0);
      rec.writeUInt32LE(nowUs % 1e6, 4);
      chunks.push(rec);
    }
    sent += due;
    // Backpressure: a reader that cannot keep up slows the replay (the bench reports the rate reached).
    if (out.write(Buffer.concat(chunks))) setTimeout(tick, TICK_MS);
    else out.once('drain', () => setTimeout(tick, TICK_MS));
  };
  out.on('error', () => process.exit(0)); // the reader went away
  tick();
}

main();
