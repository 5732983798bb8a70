// An EtherNet/IP adapter's ListIdentity over TCP and UDP 44818 (CIP Vol. 2 §2-4.2); other
// encapsulation commands are answered with status 0x0001 (invalid or unsupported command).
import type { Service } from '../device-types.js';
import { framedTcp, listenUdp, type Stop } from './serve.js';

type Enip = Extract<Service, { kind: 'enip' }>;

function identity(d: Enip, ip: string): Buffer {
  const name = Buffer.from(d.productName, 'latin1');
  const item = Buffer.alloc(34 + name.length);
  item.writeUInt16LE(1, 0); // encapsulation protocol version
  item.writeUInt16BE(2, 2); // sin_family AF_INET (big-endian, as in struct sockaddr_in)
  item.writeUInt16BE(44818, 4);
  Buffer.from(ip.split('.').map(Number)).copy(item, 6);
  item.writeUInt16LE(d.vendorId, 18);
  item.writeUInt16LE(d.deviceType, 20);
  item.writeUInt16LE(d.productCode, 22);
  item[24] = d.revision[0];
  item[25] = d.revision[1];
  item.writeUInt16LE(0x0030, 26); // status: owned, configured
  item.writeUInt32LE(d.serial >>> 0, 28);
  item[32] = name.length;
  name.copy(item, 33);
  item[33 + name.length] = 0x03; // state: operational
  const cpf = Buffer.alloc(6);
  cpf.writeUInt16LE(1, 0);
  cpf.writeUInt16LE(0x000c, 2);
  cpf.writeUInt16LE(item.length, 4);
  return Buffer.concat([cpf, item]);
}

function reply(d: Enip, ip: string, req: Buffer): Buffer | null {
  if (req.length < 24) return null;
  const command = req.readUInt16LE(0);
  const head = Buffer.from(req.subarray(0, 24));
  if (command === 0x63) {
    const data = identity(d, ip);
    head.writeUInt16LE(data.length, 2);
    head.writeUInt32LE(0, 8);
    return Buffer.concat([head, data]);
  }
  head.writeUInt16LE(0, 2);
  head.writeUInt32LE(0x0001, 8);
  return head;
}

export async function startEnip(d: Enip, ip: string): Promise<Stop> {
  const tcp = await framedTcp(
    d.port,
    (buf) => (buf.length >= 24 ? 24 + buf.readUInt16LE(2) : null),
    (req) => reply(d, ip, req),
  );
  const udp = await listenUdp(d.port, (req) => reply(d, ip, req));
  return async () => {
    await tcp();
    await udp();
  };
}
