// An Omron CJ2 CPU's FINS Controller Data Read (0501) over UDP 9600 and FINS/TCP 9600 (W342 §5-3-3,
// W421 §7): other commands get end code 0x0401 (not supported by model/version).
import type { Service } from '../device-types.js';
import { fixed, framedTcp, listenUdp, type Stop } from './serve.js';

type Fins = Extract<Service, { kind: 'fins' }>;

function respond(d: Fins, req: Buffer, ownNode: number): Buffer | null {
  if (req.length < 12 || (req[0]! & 0x40) !== 0) return null;
  // Response header: ICF with the response bit, GCT, addresses swapped, SID echoed.
  const head = Buffer.from([0xc0, 0x00, 0x02, req[6]!, req[7]!, req[8]!, req[3]!, ownNode, req[5]!, req[9]!]);
  const mrc = req[10]!;
  const src = req[11]!;
  if (mrc === 0x05 && src === 0x01) {
    // Model and version are NUL-padded 20-byte ASCII fields (nmap's omron-info reads them as C strings).
    const data = Buffer.concat([
      fixed(d.model, 20, 0),
      fixed(d.version, 20, 0),
      Buffer.alloc(40),
      Buffer.alloc(12),
    ]);
    return Buffer.concat([head, Buffer.from([0x05, 0x01, 0x00, 0x00]), data]);
  }
  return Buffer.concat([head, Buffer.from([mrc, src, 0x04, 0x01])]);
}

export async function startFins(d: Fins, ip: string): Promise<Stop> {
  const ownNode = Number(ip.split('.')[3]);
  const udp = await listenUdp(d.port, (msg) => respond(d, msg, ownNode));
  let clientNode = 0x20;
  const tcp = await framedTcp(
    d.port,
    (buf) =>
      buf.length >= 8 ? (buf.toString('latin1', 0, 4) === 'FINS' ? 8 + buf.readUInt32BE(4) : -1) : null,
    (msg) => {
      const command = msg.length >= 12 ? msg.readUInt32BE(8) : -1;
      if (command === 0) {
        // Node address data send: assign the client a node number and name our own.
        const r = Buffer.alloc(24);
        r.write('FINS', 0, 'latin1');
        r.writeUInt32BE(16, 4);
        r.writeUInt32BE(1, 8);
        r.writeUInt32BE(clientNode++, 16);
        r.writeUInt32BE(ownNode, 20);
        return r;
      }
      if (command !== 2 || msg.length < 16 + 12) return null;
      const fins = respond(d, msg.subarray(16), ownNode);
      if (!fins) return null;
      const h = Buffer.alloc(16);
      h.write('FINS', 0, 'latin1');
      h.writeUInt32BE(8 + fins.length, 4);
      h.writeUInt32BE(2, 8);
      return Buffer.concat([h, fins]);
    },
  );
  return async () => {
    await udp();
    await tcp();
  };
}
