// The native scanner against responders on loopback (no root needed): probes from YAML, replies
// through the decoders, the safe profile, and refusals that happen before any connection.
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fragileByClass } from '../../../agent/active/fragile.js';
import { parseProbeFile } from '../../../agent/active/probe-loader.js';
import { replyDecoder } from '../../../agent/active/reply-decoders.js';
import { scan } from '../../../agent/active/scanner.js';
import { ScanScope, ScopeError } from '../../../agent/active/scope.js';
import type { Identifier } from '../../../core/identify/contracts.js';
import type { Identity } from '../../../core/inventory.js';
import { startModbus } from '../../../scripts/lab/responders/modbus.js';
import type { Stop } from '../../../scripts/lab/responders/serve.js';

let modbusPort = 0;
let httpPort = 0;
let stopModbus: Stop;
let http: Server;
let httpConnections = 0;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

beforeAll(async () => {
  modbusPort = await freePort();
  stopModbus = await startModbus({
    kind: 'modbus',
    port: modbusPort as 502,
    objects: { 0: 'Schneider Electric', 1: 'BMX P34 2020', 2: 'v3.10' },
    serverId: 'M340',
  });
  http = createServer((socket) => {
    httpConnections++;
    socket.on('data', () => socket.end('HTTP/1.1 200 OK\r\nServer: test-httpd\r\nContent-Length: 0\r\n\r\n'));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  httpPort = (http.address() as AddressInfo).port;
  http.on('connection', () => undefined);
});

afterAll(async () => {
  await stopModbus();
  await new Promise((r) => http.close(r));
});

function probes(industrial: boolean) {
  const problems: string[] = [];
  const yaml = `probes:
  - id: modbus-test
    title: t
    kind: request
    transport: tcp
    ports: [${modbusPort}]
    safe: true
    industrial: ${industrial}
    decoder: modbus
    framing: mbap
    steps:
      - send: { hex: "0001 0000 0005 ff 2b 0e 01 00" }
        expect: { offset: 7, hex: "2b" }
    readOnly: reads identification objects only
    source: test
  - id: http-test
    title: t
    kind: request
    transport: tcp
    ports: [${httpPort}]
    safe: false
    decoder: http
    framing: http
    steps:
      - send: { text: "HEAD / HTTP/1.1\\r\\nHost: {host}\\r\\n\\r\\n" }
    readOnly: HEAD only
    source: test
`;
  const list = parseProbeFile(yaml, 'test.yaml', problems);
  expect(problems).toEqual([]);
  return list;
}

const base = (industrial: boolean) => ({
  targets: ['127.0.0.1'],
  scope: new ScanScope({ include: ['127.0.0.1/32'] }),
  probes: probes(industrial),
  decoder: replyDecoder,
  includeSelf: true,
  limits: { overallPps: 1000, perHostPps: 200, slackMs: 0 },
});

describe('native scanner on loopback', () => {
  it('reads identity through the decoder and stops at the safe profile for an industrial host', async () => {
    httpConnections = 0;
    const r = await scan(base(true));
    const facts = r.observations.map((o) => [o.key, o.value, o.port]);
    expect(facts).toEqual(
      expect.arrayContaining([
        ['net.service', `tcp/${modbusPort}`, modbusPort],
        ['modbus.vendor', 'Schneider Electric', modbusPort],
        ['modbus.product_code', 'BMX P34 2020', modbusPort],
        ['modbus.revision', 'v3.10', modbusPort],
      ]),
    );
    expect(r.observations.every((o) => o.source === 'active' && o.ip === '127.0.0.1')).toBe(true);
    expect(r.hosts[0]).toMatchObject({
      ip: '127.0.0.1',
      up: true,
      safeOnly: true,
      answered: [`modbus-test@${modbusPort}`],
    });
    // The HTTP port was never even connected to: OT hosts do not see the wider sweep.
    expect(httpConnections).toBe(0);
    expect(r.observations.some((o) => o.key === 'http.server')).toBe(false);
    // Packets charged: discovery connect (SYN+ACK, FIN+ACK) + the exchange (connect 2, request 1 + ACK... close 2).
    expect(r.stats.packets).toBeGreaterThanOrEqual(8);
  });

  it('runs the other read-only probes on a host that is not OT', async () => {
    const r = await scan(base(false));
    expect(r.observations.map((o) => [o.key, o.value])).toEqual(
      expect.arrayContaining([['http.server', 'test-httpd']]),
    );
    expect(r.hosts[0]!.safeOnly).toBe(false);
    const safe = await scan({ ...base(false), safe: true });
    expect(safe.observations.some((o) => o.key === 'http.server')).toBe(false);
  });

  it('puts a host the identifier classes plc on the safe profile', async () => {
    const identifier: Identifier = {
      identify: (evidence) =>
        ({
          class: evidence.observations.some((o) => o.key === 'modbus.vendor') ? 'plc' : null,
        }) as Identity,
    };
    const r = await scan({ ...base(false), fragile: fragileByClass(identifier) });
    expect(r.hosts[0]!.safeOnly).toBe(true);
    expect(r.observations.some((o) => o.key === 'http.server')).toBe(false);
    expect(fragileByClass(null)(r.observations)).toBe(false);
  });

  it('refuses out-of-scope targets before connecting, and never touches excluded hosts', async () => {
    const count = () => new Promise<number>((r) => http.getConnections((_e, n) => r(n)));
    httpConnections = 0;
    await expect(scan({ ...base(false), targets: ['127.0.0.2'] })).rejects.toThrow(ScopeError);
    const excluded = await scan({
      ...base(false),
      scope: new ScanScope({ include: ['127.0.0.0/30'], exclude: ['127.0.0.1'] }),
      targets: ['127.0.0.0/30'],
    });
    expect(excluded.stats.excluded).toBe(1);
    expect(excluded.hosts.map((h) => h.ip)).toEqual(['127.0.0.2']);
    expect(httpConnections).toBe(0);
    expect(await count()).toBe(0);
  });

  it('stops when cancelled', async () => {
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    const r = await scan({ ...base(false), signal: ac.signal });
    expect(r.stats.aborted).toBe(true);
    expect(r.observations).toEqual([]);
  });
});
