// The packaged ASN CSVs (~21 MB IPv4, ~11 MB IPv6) take ~150 ms each to parse; the build writes
// each table once in AsnTable's binary form under dist/, named by the data package's version and the
// CSV's size, so a newer @ip-location-db/asn is never answered from an older table.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { packageRoot } from '../paths.js';
import { AsnTable } from './asn-table.js';

const PACKAGE = '@ip-location-db/asn';

function dataDir(): string {
  return dirname(createRequire(import.meta.url).resolve(`${PACKAGE}/package.json`));
}

export function asnCsvPath(family: 4 | 6): string {
  return join(dataDir(), family === 4 ? 'asn-ipv4-num.csv' : 'asn-ipv6.csv');
}

/** Where the binary table for the installed data lives (the name changes when the data does). */
export function asnBinaryPath(family: 4 | 6): string {
  const version = (JSON.parse(readFileSync(join(dataDir(), 'package.json'), 'utf8')) as { version: string })
    .version;
  const size = statSync(asnCsvPath(family)).size;
  return join(packageRoot(), 'dist', `asn-ipv${family}-${version}-${size}.bin`);
}

/** The table for a family: the build's binary form when it matches the installed data, else the CSV. */
export function loadAsnTable(family: 4 | 6): AsnTable {
  const bin = asnBinaryPath(family);
  if (existsSync(bin)) {
    const table = AsnTable.fromBinary(readFileSync(bin));
    if (table) return table;
  }
  return new AsnTable(readFileSync(asnCsvPath(family)), family === 4 ? 1 : 4);
}

/** Part of the build: parse each CSV once and write its binary form. */
export function writeAsnBinaries(): string[] {
  return ([4, 6] as const).map((family) => {
    const path = asnBinaryPath(family);
    writeFileSync(path, new AsnTable(readFileSync(asnCsvPath(family)), family === 4 ? 1 : 4).toBinary());
    return path;
  });
}
