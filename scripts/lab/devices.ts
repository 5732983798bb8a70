// The lab's devices: realistic identities built from vendors' public product documentation, not
// copied from any capture. Each MAC uses a prefix the IEEE registry assigns to the vendor.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../core/paths.js';
import type { LabDevice } from './device-types.js';

const cert = (name: string) => readFileSync(join(packageRoot(), 'scripts/lab/certs', name), 'utf8');

export function devices(): LabDevice[] {
  return [
    {
      name: 's7-300',
      expect: { vendor: 'Siemens', vendorCountry: 'DE', class: 'plc', model: 'CPU 315-2 PN/DP' },
      mac: '00:1b:1b:4a:31:07',
      host: 10,
      services: [
        {
          kind: 's7',
          port: 102,
          orderNumber: '6ES7 315-2EH14-0AB0',
          firmware: [3, 2, 6],
          components: {
            1: 'SIMATIC 300(1)',
            2: 'CPU 315-2 PN/DP',
            3: '',
            4: 'Original Siemens Equipment',
            5: 'S C-C2UR28922012',
            7: 'CPU 315-2 PN/DP',
            8: 'MMC 267FF11F',
          },
        },
        {
          kind: 'snmp',
          port: 161,
          community: 'public',
          sysDescr: 'Siemens, SIMATIC S7, CPU315-2 PN/DP, 6ES7 315-2EH14-0AB0, HW: 4, FW: V3.2.6',
          sysObjectId: '1.3.6.1.4.1.4329.6.1.2',
          sysName: 'PLC-LINE1',
        },
      ],
    },
    {
      name: 'enip-adapter',
      // A ControlLogix EtherNet/IP communication module (CIP device type 12, communications adapter).
      expect: { vendor: 'Rockwell Automation', vendorCountry: 'US', class: 'gateway', model: '1756-EN2T/D' },
      mac: '00:00:bc:5e:12:a3',
      host: 11,
      services: [
        {
          kind: 'enip',
          port: 44818,
          vendorId: 1,
          deviceType: 12,
          productCode: 166,
          revision: [11, 2],
          serial: 0x60a1b2c3,
          productName: '1756-EN2T/D',
        },
        {
          kind: 'http',
          port: 80,
          page: {
            status: 200,
            headers: [
              ['Server', 'GoAhead-Webs'],
              ['Content-Type', 'text/html'],
            ],
            body: '<html><head><title>Rockwell Automation</title></head><body>1756-EN2T/D</body></html>',
          },
        },
      ],
    },
    {
      name: 'modbus-m340',
      // Model as the catalogue names the family of commercial reference BMX P34 2020.
      expect: { vendor: 'Schneider Electric', vendorCountry: 'FR', class: 'plc', model: 'Modicon M340 CPU' },
      mac: '00:80:f4:0c:21:5d',
      host: 12,
      services: [
        {
          kind: 'modbus',
          port: 502,
          objects: {
            0: 'Schneider Electric',
            1: 'BMX P34 2020',
            2: 'v3.10',
            3: 'www.se.com',
            4: 'Modicon M340',
            5: 'BMX P34 2020',
          },
          serverId: 'BMX P34 2020',
        },
        { kind: 'banner', port: 21, protocol: 'ftp', text: '220 FTP server ready.' },
      ],
    },
    {
      name: 'bacnet-pxc',
      expect: { vendor: 'Siemens', vendorCountry: 'DE', class: 'building-controller', model: 'PXC100-E.D' },
      mac: '00:a0:03:1d:42:9e',
      host: 13,
      services: [
        {
          kind: 'bacnet',
          port: 47808,
          instance: 2098177,
          vendorId: 7,
          strings: {
            121: 'Siemens Schweiz AG',
            70: 'PXC100-E.D',
            44: 'FW=03.04.123',
            12: 'APOGEE PXC Modular',
            77: 'PXC-AHU-01',
            28: 'Air handling unit 1',
            58: 'Building A, plant room',
          },
        },
      ],
    },
    {
      name: 'huawei-ar',
      expect: { vendor: 'Huawei', vendorCountry: 'CN', class: 'router', model: 'AR2220E' },
      mac: '00:e0:fc:3a:77:12',
      host: 14,
      services: [
        { kind: 'banner', port: 22, protocol: 'ssh', text: 'SSH-2.0-HUAWEI-1.5' },
        {
          kind: 'banner',
          port: 23,
          protocol: 'telnet',
          text: '\r\n\r\nLogin authentication\r\n\r\n\r\nUsername:',
        },
        {
          kind: 'http',
          port: 443,
          tls: { cert: cert('huawei-ar.crt'), key: cert('huawei-ar.key') },
          page: {
            status: 200,
            headers: [
              ['Server', 'HTTPD'],
              ['Content-Type', 'text/html'],
            ],
            body: '<html><head><title>Huawei AR2220E Web Management</title></head></html>',
          },
        },
        {
          kind: 'snmp',
          port: 161,
          community: 'public',
          sysDescr:
            'Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version 5.170 (AR2220E V200R010C10SPC700)\r\nCopyright (C) 2011-2020 HUAWEI TECH CO., LTD\r\nHuawei AR2220E Router',
          sysObjectId: '1.3.6.1.4.1.2011.2.224.43',
          sysName: 'AR2220E-CORE',
        },
      ],
    },
    {
      name: 'hik-camera',
      expect: { vendor: 'Hikvision', vendorCountry: 'CN', class: 'camera', model: 'DS-2CD2143G2-I' },
      mac: '44:19:b6:8c:0e:51',
      host: 15,
      services: [
        {
          kind: 'http',
          port: 80,
          page: {
            status: 401,
            headers: [
              ['Server', 'App-webs/'],
              [
                'WWW-Authenticate',
                'Digest realm="DS-2CD2143G2-I", domain="::", qop="auth", nonce="4e6a41", algorithm="MD5"',
              ],
              ['Content-Type', 'text/html'],
            ],
            body: '<!DOCTYPE html><html><head><title>Document Error: Unauthorized</title></head><body><h2>Access Error: 401 -- Unauthorized</h2></body></html>',
          },
        },
        { kind: 'rtsp', port: 554, server: null, realm: 'IP Camera(C2143)' },
        {
          kind: 'ssdp',
          port: 1900,
          server: 'Linux/3.0.8, UPnP/1.0, Hikvision-Webs/1.0',
          usn: 'uuid:54b7ac2a-1dd2-11b2-8a5e-4419b68c0e51::upnp:rootdevice',
          location: 'http://{ip}:80/upnpdevicedesc.xml',
        },
      ],
    },
    {
      name: 'dji-dock',
      expect: { vendor: 'DJI', vendorCountry: 'CN', class: 'drone', model: 'DJI Dock 2' },
      mac: '60:60:1f:52:9a:04',
      host: 16,
      services: [
        {
          kind: 'http',
          port: 8080,
          page: {
            status: 200,
            headers: [
              ['Server', 'DJI-Dock-HTTP/1.0'],
              ['Content-Type', 'text/html'],
            ],
            body: '<html><head><title>DJI Dock 2</title></head><body>Dock service</body></html>',
          },
        },
        {
          kind: 'mdns',
          port: 5353,
          hostname: 'dji-dock2-529a.local',
          services: ['_http._tcp.local', '_dji-dock._tcp.local'],
        },
      ],
    },
    {
      name: 'omron-cj2',
      expect: { vendor: 'Omron', vendorCountry: 'JP', class: 'plc', model: 'CJ2M-CPU31' },
      mac: '00:00:0a:7b:2e:11',
      host: 17,
      services: [{ kind: 'fins', port: 9600, model: 'CJ2M-CPU31', version: '02.01' }],
    },
  ];
}
