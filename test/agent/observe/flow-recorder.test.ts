// Which side of a UDP flow serves, when no handshake says so: service-looking ports decide, and the
// DHCP client ports below 1024 (68, 546) never count as served.
import { describe, expect, it } from 'vitest';
import { udpFrame } from '../../../scripts/lib/frames.js';
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
