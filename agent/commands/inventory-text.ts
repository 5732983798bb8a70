// The people's view of an inventory: devices, external connections, what was skipped.
import type { AnalyzeReport, ConnectionRecord, DeviceRecord } from '../../core/inventory.js';
import { type ColumnFormat, humanBytes, tableLines } from './table.js';

/** A cell of a value that may be missing: "-" for none (and for empty text). */
function dash(v: string | null | undefined): string {
  return v === null || v === undefined || v === '' ? '-' : v;
}

/** A device id without its "mac:" or "ip:" prefix (no regex per row: 7,300 rows). */
function deviceText(id: string): string {
  return id.startsWith('mac:') ? id.slice(4) : id.startsWith('ip:') ? id.slice(3) : id;
}

const DEVICE_COLUMNS: readonly ColumnFormat[] = [
  { title: 'DEVICE', max: 20 },
  { title: 'IP', max: 39 },
  { title: 'NAME', max: 24 },
  { title: 'VENDOR', max: 24 },
  { title: 'FROM', max: 4 },
  { title: 'REGISTRANT', max: 28 },
  { title: 'REG', max: 3 },
  { title: 'CLASS', max: 19 },
  { title: 'MODEL', max: 28 },
  { title: 'CONF', max: 4, align: 'right' },
];

/** The cells of DEVICE_COLUMNS, row after row (one loop over the devices, no function per cell). */
function deviceCells(devices: readonly DeviceRecord[]): string[] {
  const cells: string[] = new Array(devices.length * DEVICE_COLUMNS.length);
  let j = 0;
  for (let r = 0; r < devices.length; r++) {
    const d = devices[r]!;
    cells[j++] = d.mac ?? d.ips[0] ?? d.id;
    cells[j++] = dash(firstIpv4(d.ips) ?? d.ips[0]);
    cells[j++] = dash(d.hostnames[0]);
    cells[j++] = d.watchlists.length ? `${dash(d.vendor)} !` : dash(d.vendor);
    cells[j++] = dash(d.vendorCountry);
    cells[j++] = d.randomizedMac ? '(randomised MAC)' : dash(d.registrant);
    cells[j++] = dash(d.registrantCountry);
    cells[j++] = dash(d.class);
    cells[j++] = dash(d.model);
    cells[j++] = d.confidence === null ? '-' : d.confidence.toFixed(2);
  }
  return cells;
}

function firstIpv4(ips: readonly string[]): string | undefined {
  for (let i = 0; i < ips.length; i++) if (!ips[i]!.includes(':')) return ips[i];
  return undefined;
}

const CONNECTION_COLUMNS: readonly ColumnFormat[] = [
  { title: 'DEVICE', max: 20 },
  { title: 'DIR', max: 3 },
  { title: 'REMOTE', max: 39 },
  { title: 'PORT', max: 9 },
  { title: 'CC', max: 2 },
  { title: 'AS', max: 28 },
  { title: 'PROVIDER', max: 18 },
  { title: 'NAMES', max: 32 },
  { title: 'PKTS', max: 10, align: 'right' },
  { title: 'BYTES', max: 10, align: 'right' },
];

/** The cells of CONNECTION_COLUMNS, row after row. */
function connectionCells(connections: readonly ConnectionRecord[]): string[] {
  const cells: string[] = new Array(connections.length * CONNECTION_COLUMNS.length);
  let j = 0;
  for (let r = 0; r < connections.length; r++) {
    const c = connections[r]!;
    cells[j++] = deviceText(c.device);
    cells[j++] = c.direction === 'outbound' ? 'out' : 'in';
    cells[j++] = c.remoteIp;
    cells[j++] = `${c.proto}/${c.remotePort ?? c.localPort ?? '-'}`;
    cells[j++] = dash(c.country);
    cells[j++] = c.asn === null ? '-' : `AS${c.asn} ${c.asOrg ?? ''}`.trim();
    cells[j++] = c.provider ? `${c.provider} (${c.providerKind})` : '-';
    cells[j++] = dash(c.names.join(','));
    cells[j++] = String(c.packets);
    cells[j++] = humanBytes(c.bytes);
  }
  return cells;
}

export function inventoryText(report: AnalyzeReport): string {
  // Every line and table block goes to one list, joined once (the text is ~1.6 M characters).
  const out: string[] = [];
  out.push(`Devices (${report.devices.length})`);
  if (report.devices.length) {
    tableLines(DEVICE_COLUMNS, deviceCells(report.devices), out);
    if (report.devices.some((d) => d.watchlists.length))
      out.push('  ! vendor on a watch list (see --json: watchlists)');
  }
  out.push('', `External connections (${report.connections.length})`);
  if (report.connections.length) tableLines(CONNECTION_COLUMNS, connectionCells(report.connections), out);
  // The last empty line ends the text with a newline.
  out.push('', statsLine(report), '');
  return out.join('\n');
}

export function statsLine(report: AnalyzeReport): string {
  const s = report.stats;
  const skipped = Object.entries(s.skipped).sort((a, b) => b[1] - a[1]);
  const parts = [
    `${s.packets} packets (${humanBytes(s.bytes)}) in ${s.files} file${s.files === 1 ? '' : 's'}`,
    `${s.flows} flows${s.evictedFlows ? ` (${s.evictedFlows} evicted)` : ''}`,
    `${(s.durationMs / 1000).toFixed(2)} s`,
  ];
  let line = `Read ${parts.join(', ')}.`;
  if (skipped.length) line += `\nSkipped: ${skipped.map(([k, v]) => `${k} ${v}`).join(', ')}.`;
  const anomalies = Object.entries(s.anomalies);
  if (anomalies.length) line += `\nAnomalies: ${anomalies.map(([k, v]) => `${k} ${v}`).join(', ')}.`;
  return line;
}
