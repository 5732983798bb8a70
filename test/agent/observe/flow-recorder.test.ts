// Which side of a UDP flow serves, when no handshake says so: service-looking ports decide, and the
// DHCP client ports below 1024 (68, 546) never count as served.
import { describe, expect, it } from 'vitest';
import { tcpFrame, udpFrame } from '../../../scripts/lib/frames.js';
import type { FrameRecord } from '../../../scripts/lib/pcap-writer.js';
import { runFrames, valuesOf } from '../../helpers/run-engine.js';

const client = { mac: 'f8:bc:12:00:00:01', ip: '192.168.1.21' };
const server = { mac: '00:50:56:00:00:09', ip: '192.168.1.9' };

/** One request from the client's port and one answer from the server's, 1 ms apart. */
function exchange(clientPort: number, serverPort: number): FrameRecord[] {
  const payload = Buffer.from('0102030405060708', 'hex');
  return [
    {
      tsNs: 1_000_000n,
      data: udpFrame(
        { src: client.mac, dst: server.mac },
        { src: client.ip, dst: server.ip, sport: clientPort, dport: serverPort },
        payload,
      ),
    },
    {
      tsNs: 2_000_000n,
      data: udpFrame(
        { src: server.mac, dst: client.mac },
        { src: server.ip, dst: client.ip, sport: serverPort, dport: clientPort },
        payload,
      ),
    },
  ];
}

describe('UDP services without a handshake', () => {
  it('names the PXE boot server (4011) the server of a ProxyDHCPREQUEST from port 68', () => {
    const run = runFrames(exchange(68, 4011));
    expect(valuesOf(run, 'net.service', server.mac)).toEqual(['udp/4011']);
    expect(valuesOf(run, 'net.service', client.mac)).toEqual([]);
  });

  it('never counts the DHCPv6 client port as a service', () => {
    const run = runFrames(exchange(546, 50000));
    expect(valuesOf(run, 'net.service', client.mac)).toEqual([]);
  });

  it('still takes a well-known port below 1024 as served', () => {
    const run = runFrames(exchange(50123, 161));
    expect(valuesOf(run, 'net.service', server.mac)).toEqual(['udp/161']);
  });
});

describe('the time of what a TCP direction says', () => {
  const ACK = 0x10;
  const PSH = 0x08;
  const FIN = 0x01;
  const banner = Buffer.from('SSH-2.0-OpenSSH_9.6\r\n');
  /** The server's banner at 1 s, then, `gapMs` later, both sides' FIN. */
  function session(gapMs: number): FrameRecord[] {
    const toClient = { src: server.mac, dst: client.mac };
    const toServer = { src: client.mac, dst: server.mac };
    const s2c = { src: server.ip, dst: client.ip, sport: 22, dport: 50022 };
    const c2s = { src: client.ip, dst: server.ip, sport: 50022, dport: 22 };
    const at = (ms: number) => BigInt(ms) * 1_000_000n;
    return [
      { tsNs: at(1000), data: tcpFrame(toClient, { ...s2c, seq: 1000, flags: ACK | PSH }, banner) },
      { tsNs: at(1000 + gapMs), data: tcpFrame(toServer, { ...c2s, seq: 5000, flags: ACK | FIN }) },
      {
        tsNs: at(1001 + gapMs),
        data: tcpFrame(toClient, { ...s2c, seq: 1000 + banner.length, flags: ACK | FIN }),
      },
    ];
  }

  function bannerTimes(frames: FrameRecord[]): [number, number] {
    const d = runFrames(frames).devices.find((x) => x.mac === server.mac);
    const o = d?.observations?.find((x) => x.key === 'ssh.banner');
    if (!o) throw new Error('no ssh.banner observation');
    return [Date.parse(o.firstSeen), Date.parse(o.lastSeen)];
  }

  it('is when the bytes were on the wire, not when the direction ended and was decoded', () => {
    expect(bannerTimes(session(120_000))).toEqual([1000, 1000]);
  });

  it('is the same when the flow is only finished at the end of the capture', () => {
    expect(bannerTimes(session(120_000).slice(0, 2))).toEqual([1000, 1000]);
  });
});
