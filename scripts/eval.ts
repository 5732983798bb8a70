// `npm run eval`: identification over the shared corpus (../shared/corpus, or a folder given as the
// first argument): per capture, devices found and how many got a vendor, a class and a model; then
// the devices still unknown and the values no rule matched (what to write rules for next).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeCaptures } from '../agent/analyze.js';
import { renderTable } from '../agent/commands/table.js';
import { createGeoLookup } from '../core/geo/geo-lookup.js';
import { loadIdentifier } from '../core/identify/load-identifier.js';
import { unknownValues } from '../core/identify/unknown.js';
import type { DeviceRecord } from '../core/inventory.js';
import { packageRoot } from '../core/paths.js';

interface Row {
  file: string;
  devices: number;
  vendor: number;
  cls: number;
  model: number;
}

const dir = process.argv[2] ?? join(packageRoot(), '..', 'shared', 'corpus');
if (!existsSync(dir)) {
  process.stderr.write(`eval: ${dir} does not exist (the shared corpus is not on this machine)\n`);
  process.exit(2);
}
const files = readdirSync(dir)
  .filter((f) => /\.(pcap|pcapng|cap)$/.test(f))
  .sort();
const identifier = loadIdentifier();
const geo = createGeoLookup();
const rows: Row[] = [];
const unknownDevices: { file: string; d: DeviceRecord }[] = [];
const unknownByKey = new Map<string, Set<string>>();
for (const file of files) {
  const r = analyzeCaptures([join(dir, file)], { identifier, geo });
  rows.push({
    file,
    devices: r.devices.length,
    vendor: r.devices.filter((d) => d.vendor).length,
    cls: r.devices.filter((d) => d.class).length,
    model: r.devices.filter((d) => d.model).length,
  });
  for (const d of r.devices) if (!d.vendor || !d.class) unknownDevices.push({ file, d });
  for (const v of unknownValues(r.devices, identifier.rules).values) {
    const set = unknownByKey.get(v.key) ?? new Set();
    set.add(String(v.value));
    unknownByKey.set(v.key, set);
  }
}
const total: Row = { file: 'TOTAL', devices: 0, vendor: 0, cls: 0, model: 0 };
for (const r of rows) {
  total.devices += r.devices;
  total.vendor += r.vendor;
  total.cls += r.cls;
  total.model += r.model;
}
const pct = (n: number, of: number) => (of ? `${n} (${Math.round((100 * n) / of)}%)` : '0');
const out: string[] = [];
out.push(
  renderTable(
    [...rows, total],
    [
      { title: 'CAPTURE', max: 64, value: (r) => r.file },
      { title: 'DEVICES', max: 8, align: 'right', value: (r) => String(r.devices) },
      { title: 'VENDOR', max: 10, align: 'right', value: (r) => pct(r.vendor, r.devices) },
      { title: 'CLASS', max: 10, align: 'right', value: (r) => pct(r.cls, r.devices) },
      { title: 'MODEL', max: 10, align: 'right', value: (r) => pct(r.model, r.devices) },
    ],
  ),
);
out.push('', `Devices without a vendor or a class (${unknownDevices.length}):`);
for (const { file, d } of unknownDevices) {
  const hints = d.observations
    .filter((o) => !['ip.ttl', 'net.vlan', 'mac.ip', 'tcp.syn', 'tcp.syn_ack'].includes(o.key))
    .slice(0, 4)
    .map((o) => `${o.key}=${String(o.value).slice(0, 40)}`);
  out.push(
    `  ${file}  ${d.id}  vendor=${d.vendor ?? '-'} class=${d.class ?? '-'}  registrant=${d.registrant ?? '-'}  ${hints.join('; ')}`,
  );
}
out.push('', 'Values no rule matched, by observation key:');
for (const [key, values] of [...unknownByKey].sort()) {
  out.push(
    `  ${key} (${values.size}): ${[...values]
      .slice(0, 8)
      .map((v) => JSON.stringify(v.slice(0, 60)))
      .join(', ')}${values.size > 8 ? ', …' : ''}`,
  );
}
process.stdout.write(`${out.join('\n')}\n`);
