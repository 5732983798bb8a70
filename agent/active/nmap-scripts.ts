// nmap script results as observations: every script's output as `nmap.script`, and the identity
// scripts' structured elements (nmap 7.93 NSE, "@xmloutput" of each script) under the same keys the
// native probes emit, so one set of identification rules reads both.
import type { ObservationValue } from '../../core/observation.js';
import type { ObservationKey } from '../../core/observation-keys.js';
import { children, type XmlNode } from './nmap-xml.js';

type Fact = [ObservationKey, ObservationValue];

/** Element texts by key, for a script's flat <elem key="…"> list (or one <table>'s). */
function elems(node: XmlNode): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of children(node, 'elem')) if (e.attrs.key !== undefined) out.set(e.attrs.key, e.text.trim());
  return out;
}

/** "Rockwell Automation/Allen-Bradley (1)" → 1: nmap prints code tables as "name (number)". */
function trailingNumber(text: string | undefined): number | null {
  const m = text ? /\((\d{1,10})\)\s*$/.exec(text) : null;
  return m ? Number(m[1]) : null;
}

function int(text: string | undefined): number | null {
  return text && /^\d{1,10}$/.test(text) ? Number(text) : null;
}

/** nmap escapes non-printable bytes in script output as \xNN; drop them, keep the text. */
function unescapeBytes(text: string): string {
  return text.replace(/\\x[0-9A-Fa-f]{2}/g, ' ').trim();
}

const S7: Record<string, ObservationKey> = {
  Module: 's7.order_number',
  'System Name': 's7.plc_name',
  // s7-info reads SZL 0x001C index 2 (the module name) and labels it "Module Type".
  'Module Type': 's7.module_name',
  'Serial Number': 's7.serial',
  'Plant Identification': 's7.plant_id',
  Copyright: 's7.copyright',
};

const BACNET: Record<string, ObservationKey> = {
  'Vendor Name': 'bacnet.vendor_name',
  Firmware: 'bacnet.firmware',
  'Application Software': 'bacnet.app_version',
  'Object Name': 'bacnet.object_name',
  'Model Name': 'bacnet.model_name',
};

function structured(id: string, script: XmlNode): Fact[] {
  const e = elems(script);
  const facts: Fact[] = [];
  const put = (key: ObservationKey, value: ObservationValue | null | undefined) => {
    if (value !== null && value !== undefined && value !== '') facts.push([key, value]);
  };
  switch (id) {
    case 's7-info':
      for (const [label, key] of Object.entries(S7)) put(key, e.get(label));
      if (e.get('Version') && /^\d+\.\d+\.\d+$/.test(e.get('Version')!))
        put('s7.firmware', `V ${e.get('Version')}`);
      break;
    case 'modbus-discover':
      for (const table of children(script, 'table')) {
        const sid = /^sid 0x([0-9a-f]{1,2})$/i.exec(table.attrs.key ?? '');
        const t = elems(table);
        if (!sid || t.has('error')) continue;
        put('modbus.unit_id', Number.parseInt(sid[1]!, 16));
        const id = t.get('Slave ID data');
        if (id && id !== '<unknown>') put('modbus.server_id', unescapeBytes(id));
        // "Device identification" joins objects 0..n with spaces: no field boundary survives, so it
        // stays in nmap.script rather than being split by guesswork.
      }
      break;
    case 'enip-info':
      put('enip.vendor_id', trailingNumber(e.get('vendor')));
      put('enip.device_type', trailingNumber(e.get('type')));
      put('enip.product_name', e.get('productName'));
      put('enip.product_code', int(e.get('productCode')));
      if (/^\d+\.\d+$/.test(e.get('revision') ?? '')) put('enip.revision', e.get('revision'));
      if (/^0x[0-9a-f]{1,8}$/i.test(e.get('serialNumber') ?? '')) {
        put('enip.serial', `0x${e.get('serialNumber')!.slice(2).toLowerCase().padStart(8, '0')}`);
      }
      break;
    case 'bacnet-info':
      put('bacnet.vendor_id', trailingNumber(e.get('Vendor ID')));
      put('bacnet.device_instance', int(e.get('Object-identifier')));
      for (const [label, key] of Object.entries(BACNET)) put(key, e.get(label));
      break;
    case 'omron-info':
      put('fins.model', e.get('Controller Model'));
      put('fins.version', e.get('Controller Version'));
      break;
    case 'snmp-sysdescr': {
      // The output is sysDescr, then "\n  System uptime: …" added by the script.
      const text = (script.attrs.output ?? '').replace(/\n {2}System uptime: [^\n]*$/, '');
      put('snmp.sys_descr', text.trim());
      break;
    }
    case 'http-server-header':
      for (const x of children(script, 'elem')) put('http.server', x.text.trim());
      break;
  }
  return facts;
}

/** Observations of one <script> element (port or host script). */
export function scriptObservations(script: XmlNode): Fact[] {
  const id = script.attrs.id ?? '';
  if (!/^[a-z0-9-]{1,64}$/.test(id)) return [];
  const facts: Fact[] = [];
  const output = script.attrs.output?.trim();
  // fingerprint-strings only echoes raw replies to nmap's probes: noise, and long.
  if (output && id !== 'fingerprint-strings') facts.push(['nmap.script', `${id}: ${output}`]);
  facts.push(...structured(id, script));
  return facts;
}
