// SSDP fixtures (UPnP Device Architecture 2.0 §1.2, §1.3) written from the spec; text protocols are kept as text.
import type { FuzzSeed } from '../helpers.js';

export function text(lines: string[]): Uint8Array {
  return Uint8Array.from(Buffer.from(lines.join('\r\n'), 'latin1'));
}

/** §1.2.2: a camera's ssdp:alive for its root device (libupnp-style SERVER header). */
export const SSDP_NOTIFY = text([
  'NOTIFY * HTTP/1.1',
  'HOST: 239.255.255.250:1900',
  'CACHE-CONTROL: max-age=1800',
  'LOCATION: http://192.168.0.64:49152/rootDesc.xml',
  'NT: upnp:rootdevice',
  'NTS: ssdp:alive',
  'SERVER: Linux/3.10 UPnP/1.0 Portable SDK for UPnP devices/1.6.18',
  'USN: uuid:6d3c0e6a-0000-1000-8000-4419b6000064::upnp:rootdevice',
  '',
  '',
]);

/** §1.3.2: a control point's search, with the UDA 1.1 USER-AGENT header. */
export const SSDP_MSEARCH = text([
  'M-SEARCH * HTTP/1.1',
  'HOST: 239.255.255.250:1900',
  'MAN: "ssdp:discover"',
  'MX: 2',
  'ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1',
  'USER-AGENT: Windows/10.0 UPnP/1.1 ExampleControlPoint/2.4',
  '',
  '',
]);

/** §1.3.3: a router's unicast answer, header names in lower case and bare LF line ends (both seen in the field). */
export const SSDP_RESPONSE = Uint8Array.from(
  Buffer.from(
    [
      'HTTP/1.1 200 OK',
      'cache-control: max-age=120',
      'ext:',
      'location: http://192.168.0.1:1900/igd.xml',
      'server: ExampleOS/2.0 UPnP/1.0 ExampleRouter/1.0',
      'st: urn:schemas-upnp-org:device:InternetGatewayDevice:1',
      'usn: uuid:11111111-2222-3333-4444-001b54000001::urn:schemas-upnp-org:device:InternetGatewayDevice:1',
      '',
      '',
    ].join('\n'),
    'latin1',
  ),
);

export const seeds: FuzzSeed[] = [
  { transport: 'udp', bytes: SSDP_NOTIFY, ctx: { dst: { mac: null, ip: '239.255.255.250', port: 1900 } } },
  { transport: 'udp', bytes: SSDP_MSEARCH, ctx: { dst: { mac: null, ip: '239.255.255.250', port: 1900 } } },
  { transport: 'udp', bytes: SSDP_RESPONSE, ctx: { src: { mac: null, ip: '192.168.0.1', port: 1900 } } },
];
