// The people's view of an inventory: devices, external connections, what was skipped.
import type { AnalyzeReport, ConnectionRecord, DeviceRecord } from '../../core/inventory.js';
import { humanBytes, renderTable } from './table.js';

const dash = (v: string | number | null | undefined) =>
  v === null || v === undefined || v === '' ? '-' : String(v);

/** A device id without its "mac:" or "ip:" prefix (no regex per row: 7,290 rows, two passes). */
function deviceText(id: string): string {
  return id.startsWith('mac:') ? id.slice(4) : id.startsWith('ip:') ? id.slice(3) : id;
}

export function inventoryText(report: AnalyzeReport): string {
  const out: string[] = [];
  out.push(`Devices (${report.devices.length})`);
  if (report.devices.length) {
    out.push(
      renderTable<DeviceRecord>(report.devices, [
        { title: 'DEVICE', max: 20, value: (d) => d.mac ?? d.ips[0] ?? d.id },
        { title: 'IP', max: 39, value: (d) => dash(d.ips.find((ip) => !ip.includes(':')) ?? d.ips[0]) },
        { title: 'NAME', max: 24, value: (d) => dash(d.hostnames[0]) },
        { title: 'VENDOR', max: 24, value: (d) => dash(d.vendor) + (d.watchlists.length ? ' !' : '') },
        { title: 'FROM', max: 4, value: (d) => dash(d.vendorCountry) },
        {
          title: 'REGISTRANT',
          max: 28,
          value: (d) => (d.randomizedMac ? '(randomised MAC)' : dash(d.registrant)),
        },
        { title: 'REG', max: 3, value: (d) => dash(d.registrantCountry) },
        { title: 'CLASS', max: 19, value: (d) => dash(d.class) },
        { title: 'MODEL', max: 28, value: (d) => dash(d.model) },
        {
          title: 'CONF',
          max: 4,
          align: 'right',
          value: (d) => (d.confidence === null ? '-' : d.confidence.toFixed(2)),
        },
      ]),
    );
    if (report.devices.some((d) => d.watchlists.length))
      out.push('  ! vendor on a watch list (see --json: watchlists)');
  }
  out.push('', `External connections (${report.connections.length})`);
  if (report.connections.length) {
    out.push(
      renderTable<ConnectionRecord>(report.connections, [
        { title: 'DEVICE', max: 20, value: (c) => deviceText(c.device) },
        { title: 'DIR', max: 3, value: (c) => (c.direction === 'outbound' ? 'out' : 'in') },
        { title: 'REMOTE', max: 39, value: (c) => c.remoteIp },
        { title: 'PORT', max: 9, value: (c) => `${c.proto}/${c.remotePort ?? c.localPort ?? '-'}` },
        { title: 'CC', max: 2, value: (c) => dash(c.country) },
        { title: 'AS', max: 28, value: (c) => (c.asn === null ? '-' : `AS${c.asn} ${c.asOrg ?? ''}`.trim()) },
        {
          title: 'PROVIDER',
          max: 18,
          value: (c) => (c.provider ? `${c.provider} (${c.providerKind})` : '-'),
        },
        { title: 'NAMES', max: 32, value: (c) => dash(c.names.join(',')) },
        { title: 'PKTS', max: 10, align: 'right', value: (c) => String(c.packets) },
        { title: 'BYTES', max: 10, align: 'right', value: (c) => humanBytes(c.bytes) },
      ]),
    );
  }
  out.push('', statsLine(report));
  return `${out.join('\n')}\n`;
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
