// Line-oriented servers: SSH/FTP/Telnet/SMTP greetings, then a refusal of whatever the client says.
// mDNS and SSDP unicast responders for the discovery probes.
import type { Service } from '../device-types.js';
import { listenTcp, listenUdp, type Stop } from './serve.js';

type Banner = Extract<Service, { kind: 'banner' }>;
type Mdns = Extract<Service, { kind: 'mdns' }>;
type Ssdp = Extract<Service, { kind: 'ssdp' }>;

const REFUSAL: Record<Banner['protocol'], string> = {
  ssh: 'Protocol mismatch.\r\n',
  ftp: '530 Please login with USER and PASS.\r\n',
  telnet: '\r\nError: Failed to authenticate.\r\n',
  smtp: '502 5.5.1 Command not implemented\r\n',
};

export function startBanner(d: Banner): Promise<Stop> {
  return listenTcp(d.port, (socket) => {
    socket.write(d.protocol === 'telnet' ? d.text : `${d.text}\r\n`);
    socket.on('data', () => socket.end(REFUSAL[d.protocol]));
  });
}

function name(labels: string): Buffer {
  const parts = labels
    .split('.')
    .filter(Boolean)
    .map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)]));
  return Buffer.concat([...parts, Buffer.from([0])]);
}

function readQuestions(msg: Buffer): { name: string; type: number }[] {
  const count = msg.readUInt16BE(4);
  const out: { name: string; type: number }[] = [];
  let p = 12;
  for (let i = 0; i < count && i < 8; i++) {
    const labels: string[] = [];
    while (msg[p]) {
      const len = msg[p]!;
      if (len > 63) throw new Error('label');
      labels.push(msg.toString('utf8', p + 1, p + 1 + len));
      p += 1 + len;
    }
    out.push({ name: labels.join('.').toLowerCase(), type: msg.readUInt16BE(p + 1) });
    p += 5;
  }
  return out;
}

export function startMdns(d: Mdns, ip: string): Promise<Stop> {
  const reverse = `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  return listenUdp(d.port, (msg, from) => {
    if (msg.length < 12 || msg[2]! & 0x80 || from.port === 5353) return null;
    const answers: Buffer[] = [];
    const ptr = (owner: string, target: string) => {
      const rdata = name(target);
      const fixed = Buffer.alloc(10);
      fixed.writeUInt16BE(12, 0); // PTR
      fixed.writeUInt16BE(1, 2); // IN (no cache-flush bit in legacy unicast replies, RFC 6762 §6.7)
      fixed.writeUInt32BE(10, 4); // TTL <= 10 s for legacy unicast
      fixed.writeUInt16BE(rdata.length, 8);
      answers.push(Buffer.concat([name(owner), fixed, rdata]));
    };
    const questions = readQuestions(msg);
    for (const q of questions) {
      if (q.type !== 12 && q.type !== 255) continue;
      if (q.name === reverse) ptr(reverse, d.hostname);
      if (q.name === '_services._dns-sd._udp.local') for (const s of d.services) ptr(q.name, s);
    }
    if (!answers.length) return null;
    const header = Buffer.alloc(12);
    msg.copy(header, 0, 0, 2); // echo the query id
    header.writeUInt16BE(0x8400, 2); // response, authoritative
    header.writeUInt16BE(answers.length, 6);
    return Buffer.concat([header, ...answers]);
  });
}

export function startSsdp(d: Ssdp, ip: string): Promise<Stop> {
  return listenUdp(d.port, (msg) => {
    const text = msg.toString('latin1');
    if (!text.startsWith('M-SEARCH * HTTP/1.1\r\n')) return null;
    const st = /\r\nst:\s*([^\r]*)/i.exec(text)?.[1] ?? 'ssdp:all';
    const reply = [
      'HTTP/1.1 200 OK',
      'CACHE-CONTROL: max-age=1800',
      'EXT:',
      `LOCATION: ${d.location.replaceAll('{ip}', ip)}`,
      `SERVER: ${d.server}`,
      `ST: ${st === 'ssdp:all' ? 'upnp:rootdevice' : st}`,
      `USN: ${d.usn}`,
      '',
      '',
    ].join('\r\n');
    return Buffer.from(reply, 'latin1');
  });
}
