// Entry of one lab device: started inside the device's network namespace with its configuration
// (base64 JSON in argv[2]); prints "ready" once every service listens; exits when stdin closes, so a
// crashed test never leaves devices running (unless started detached by `lab up`: then on SIGTERM).
import type { ResponderConfig, Service } from './device-types.js';
import { startBacnet } from './responders/bacnet.js';
import { startEnip } from './responders/enip.js';
import { startFins } from './responders/fins.js';
import { startModbus } from './responders/modbus.js';
import { startS7 } from './responders/s7.js';
import type { Stop } from './responders/serve.js';
import { startSnmp } from './responders/snmp.js';
import { startBanner, startMdns, startSsdp } from './responders/text.js';
import { startHttp, startRtsp } from './responders/web.js';

function start(s: Service, ip: string): Promise<Stop> {
  switch (s.kind) {
    case 's7':
      return startS7(s);
    case 'modbus':
      return startModbus(s);
    case 'enip':
      return startEnip(s, ip);
    case 'bacnet':
      return startBacnet(s);
    case 'fins':
      return startFins(s, ip);
    case 'snmp':
      return startSnmp(s);
    case 'http':
      return startHttp(s, ip);
    case 'rtsp':
      return startRtsp(s);
    case 'banner':
      return startBanner(s);
    case 'mdns':
      return startMdns(s, ip);
    case 'ssdp':
      return startSsdp(s, ip);
  }
}

async function main(): Promise<void> {
  const config = JSON.parse(Buffer.from(process.argv[2] ?? '', 'base64').toString('utf8')) as ResponderConfig;
  const stops = await Promise.all(config.services.map((s) => start(s, config.ip)));
  const stop = async () => {
    await Promise.allSettled(stops.map((s) => s()));
    process.exit(0);
  };
  if (process.env.ORIGINMAP_LAB_DETACHED !== '1') {
    process.stdin.on('end', stop);
    process.stdin.on('error', stop);
    process.stdin.resume();
  }
  process.stdout.on('error', () => undefined);
  process.on('SIGTERM', stop);
  process.stdout.write('ready\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`responder: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
