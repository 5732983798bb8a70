// Counts packets with our reader or with pcap-parser (the reader named in the product spec), for
// the benchmark's framing comparison: `count-packets <originmap|pcap-parser> <file>`.
import { createRequire } from 'node:module';
import { readCaptureFile } from '../../agent/capture/read-file.js';

export async function countPackets(reader: string, path: string): Promise<number> {
  if (reader === 'originmap') {
    let n = 0;
    readCaptureFile(path, () => {
      n++;
    });
    return n;
  }
  if (reader === 'pcap-parser') {
    const pcapp = createRequire(import.meta.url)('pcap-parser') as {
      parse(p: string): NodeJS.EventEmitter;
    };
    return new Promise((resolve, reject) => {
      let n = 0;
      const parser = pcapp.parse(path);
      parser.on('packet', () => {
        n++;
      });
      parser.on('end', () => resolve(n));
      parser.on('error', reject);
    });
  }
  throw new Error(`unknown reader ${reader}`);
}

if (process.argv[1]?.endsWith('count-packets.js')) {
  const [reader = '', path = ''] = process.argv.slice(2);
  countPackets(reader, path).then(
    (n) => process.stdout.write(`${n}\n`),
    (err: Error) => {
      process.stderr.write(`${reader}: ${err.message}\n`);
      process.exitCode = 1;
    },
  );
}
