import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFileError } from '../../../core/catalog/yaml-source.js';
import { AsnTable } from '../../../core/geo/asn-table.js';
import {
  loadProviderCatalog,
  parseProviderCatalog,
  reservedAsnProblem,
} from '../../../core/geo/load-providers.js';
import { isCountryCode } from '../../../core/vocabulary/countries.js';

function problemsOf(text: string): string[] {
  try {
    parseProviderCatalog(text, 'p.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(DataFileError);
    return [...(err as DataFileError).problems];
  }
  throw new Error('expected the file to be rejected');
}

describe('shipped providers.yaml', () => {
  const catalog = loadProviderCatalog();

  it('loads the clouds, CDNs and carriers the brief names', () => {
    const names = catalog.all().map((p) => p.name);
    for (const n of [
      'Amazon Web Services',
      'Microsoft Azure',
      'Google Cloud',
      'Alibaba Cloud',
      'Tencent Cloud',
      'Huawei Cloud',
      'Oracle Cloud',
      'IBM Cloud',
      'OVHcloud',
      'Hetzner',
      'DigitalOcean',
      'Akamai Cloud (Linode)',
      'Vultr',
      'Cloudflare',
      'Akamai',
      'Fastly',
      'SAKURA Internet',
      'IIJ',
      'NTT Communications',
      'NTT PC Communications',
      'KDDI',
      'SoftBank',
      'Baidu AI Cloud',
      'China Telecom',
      'China Unicom',
      'China Mobile',
      'NAVER Cloud',
      'Equinix',
    ]) {
      expect(names, n).toContain(n);
    }
    for (const p of catalog.all()) expect(isCountryCode(p.country), p.name).toBe(true);
  });

  // Every listed AS must announce address space in the packaged data, under a name that belongs
  // to the provider: printed here for review, and checked to be present.
  it('lists only AS numbers the packaged ASN data knows', () => {
    const dir = dirname(createRequire(import.meta.url).resolve('@ip-location-db/asn/package.json'));
    const t4 = new AsnTable(readFileSync(join(dir, 'asn-ipv4-num.csv')), 1);
    const t6 = new AsnTable(readFileSync(join(dir, 'asn-ipv6.csv')), 4);
    const missing: string[] = [];
    const names: string[] = [];
    for (const p of catalog.all()) {
      for (const asn of p.asns) {
        const name = t4.asName(asn) ?? t6.asName(asn);
        if (name === undefined) missing.push(`${p.name}: AS${asn}`);
        else names.push(`${p.name}: AS${asn} ${name}`);
      }
    }
    console.info(names.join('\n'));
    expect(missing).toEqual([]);
  }, 60_000);

  it('matches by AS number first, then by AS organisation name', () => {
    expect(catalog.find(16509, 'whatever')?.name).toBe('Amazon Web Services');
    expect(catalog.find(4200000001, 'Amazon Data Services Japan')?.name).toBe('Amazon Web Services');
    expect(catalog.find(null, 'Hetzner Online GmbH')?.kind).toBe('hosting');
    expect(catalog.find(1, 'Unrelated Networks')).toBeUndefined();
    expect(catalog.find(null, null)).toBeUndefined();
  });
});

describe('providers.yaml validation', () => {
  it('reports every problem with its line', () => {
    const text = `providers:
  - name: A
    kind: cloud
    country: US
    asns: [100, 64512, 23456, x]
    orgs: [Cloud Hosting, Alpha Cloud]
    source: test
  - name: B
    kind: colo
    country: XX
    asns: [100]
    orgs: [Alpha Cloud]
    source: test
  - name: a
    kind: cdn
    country: US
    asns: []
    extra: 1
`;
    expect(problemsOf(text)).toEqual([
      "p.yaml:5: provider 'A': AS 64512 is private (RFC 6996)",
      "p.yaml:5: provider 'A': AS 23456 is AS_TRANS (RFC 6793)",
      "p.yaml:5: provider 'A': AS number must be a whole number",
      "p.yaml:6: provider 'A': alias 'Cloud Hosting' is only generic words (cloud hosting): it would claim unrelated companies",
      "p.yaml:9: provider 'B': unknown kind 'colo' (known: cloud, hosting, cdn, datacenter, isp)",
      "p.yaml:10: provider 'B': country 'XX' is not an ISO 3166-1 alpha-2 code",
      "p.yaml:11: provider 'B': AS 100 is already listed by 'A'",
      "p.yaml:12: provider 'B': AS organisation 'Alpha Cloud' is already listed by 'A'",
      "p.yaml:18: provider: unknown field 'extra' (known: name, kind, country, asns, source, orgs)",
      "p.yaml:14: provider: missing field 'source'",
      "p.yaml:14: provider 'a' is already defined at line 2",
      "p.yaml:17: provider 'a': needs at least one AS number",
    ]);
  });

  it('knows the reserved AS ranges', () => {
    expect(reservedAsnProblem(0)).toMatch(/RFC 7607/);
    expect(reservedAsnProblem(64500)).toMatch(/documentation/);
    expect(reservedAsnProblem(65535)).toMatch(/RFC 7300/);
    expect(reservedAsnProblem(4200000000)).toMatch(/private/);
    expect(reservedAsnProblem(15169)).toBeNull();
  });
});
