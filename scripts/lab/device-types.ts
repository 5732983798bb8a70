// The lab's device descriptions: what each simulated device answers, shared by the lab builder and
// the responder process that runs inside the device's network namespace.

export interface HttpPage {
  status: number;
  /** Response headers in order (Server, WWW-Authenticate, …). */
  headers: [string, string][];
  /** HTML body for GET. */
  body: string;
}

export type Service =
  | {
      kind: 's7';
      port: 102;
      orderNumber: string;
      firmware: [number, number, number];
      components: Record<number, string>;
    }
  | {
      kind: 'modbus';
      port: 502;
      /** Device identification objects by id (0 VendorName … 5 ModelName). */
      objects: Record<number, string>;
      serverId: string;
    }
  | {
      kind: 'enip';
      port: 44818;
      vendorId: number;
      deviceType: number;
      productCode: number;
      revision: [number, number];
      serial: number;
      productName: string;
    }
  | {
      kind: 'bacnet';
      port: 47808;
      instance: number;
      vendorId: number;
      /** Character-string properties by property id (121 vendor-name, 70 model-name, 44 firmware, …). */
      strings: Record<number, string>;
    }
  | { kind: 'fins'; port: 9600; model: string; version: string }
  | { kind: 'snmp'; port: 161; community: string; sysDescr: string; sysObjectId: string; sysName: string }
  | { kind: 'http'; port: number; page: HttpPage; tls?: { cert: string; key: string } }
  | { kind: 'rtsp'; port: 554; server: string | null; realm: string }
  | { kind: 'banner'; port: number; protocol: 'ssh' | 'ftp' | 'telnet' | 'smtp'; text: string }
  | { kind: 'mdns'; port: 5353; hostname: string; services: string[] }
  | { kind: 'ssdp'; port: 1900; server: string; usn: string; location: string };

export interface LabDevice {
  /** Short name, also the namespace suffix: [a-z0-9-]{1,12}. */
  name: string;
  /** What a correct identification says (asserted by the lab tests once core/identify lands). */
  expect: { vendor: string; vendorCountry: string; class: string; model: string };
  /** MAC with a real vendor prefix (IEEE MA-L registered to the vendor or its subsidiary). */
  mac: string;
  /** Last octet of its address in the lab /24. */
  host: number;
  services: Service[];
}

/** What the responder process is given: the device and its address. */
export interface ResponderConfig {
  name: string;
  ip: string;
  services: Service[];
}
