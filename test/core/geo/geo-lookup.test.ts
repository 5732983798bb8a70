import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGeoLookup, NO_FACTS } from '../../../core/geo/geo-lookup.js';
import { GeoDataError } from '../../../core/geo/mmdb-source.js';
import { buildMmdb } from './mmdb-writer.js';

// One lookup object for the packaged data: its tables load once, on first use.
const geo = createGeoLookup();

describe('packaged geo and ASN data', () => {
  it('8.8.8.8 is Google in the US', () => {
    expect(geo.lookup('8.8.8.8')).toEqual({
      country: 'US',
      asn: 15169,
      asOrg: 'Google LLC',
      provider: 'Google',
      providerKind: 'cloud',
    });
  });

  it('1.0.1.1 is in China and 133.242.0.1 in Japan', () => {
    expect(geo.lookup('1.0.1.1').country).toBe('CN');
    expect(geo.lookup('133.242.0.1')).toMatchObject({
      country: 'JP',
      asn: 7684,
      provider: 'SAKURA Internet',
    });
  });

  it('looks up IPv6 and IPv4-mapped IPv6 addresses', () => {
    expect(geo.lookup('2001:4860:4860::8888')).toMatchObject({
      country: 'US',
      asn: 15169,
      provider: 'Google',
    });
    expect(geo.lookup('2400:cb00::1')).toMatchObject({
      asn: 13335,
      provider: 'Cloudflare',
      providerKind: 'cdn',
    });
    expect(geo.lookup('::ffff:8.8.8.8')).toMatchObject({ country: 'US', asn: 15169 });
  });

  it('gives all-null facts for private, reserved and malformed addresses', () => {
    // 192.168.1.1 and 2001:db8::1 have (wrong) entries in the packaged data: decided before lookup.
    for (const ip of [
      '10.0.0.1',
      '172.16.5.4',
      '192.168.1.1',
      '100.64.0.1',
      '127.0.0.1',
      '169.254.1.1',
      '198.18.0.1',
      '192.0.2.1',
      '224.0.0.251',
      '255.255.255.255',
      '0.0.0.0',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      'ff02::fb',
      '2001:db8::1',
      '::ffff:192.168.0.1',
      'not an ip',
      '',
      '1.2.3',
      `${'1'.repeat(100)}`,
    ]) {
      expect(geo.lookup(ip), ip).toEqual(NO_FACTS);
    }
  });

  it('names cloud, CDN and hosting providers (checked: the packaged data maps these)', () => {
    expect(geo.lookup('52.95.110.1')).toMatchObject({
      asn: 16509,
      provider: 'Amazon Web Services',
      providerKind: 'cloud',
    });
    expect(geo.lookup('13.107.42.14')).toMatchObject({ asn: 8068, provider: 'Microsoft Azure' });
    expect(geo.lookup('104.16.0.1')).toMatchObject({
      asn: 13335,
      provider: 'Cloudflare',
      providerKind: 'cdn',
    });
    expect(geo.lookup('43.128.0.1')).toMatchObject({ asn: 132203, provider: 'Tencent Cloud' });
    expect(geo.lookup('2600:1f18::1')).toMatchObject({ asn: 14618, provider: 'Amazon Web Services' });
  });
});

describe('user-supplied MaxMind-format files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'om-geo-'));
  const country = join(dir, 'country.mmdb');
  const asn = join(dir, 'asn.mmdb');
  writeFileSync(
    country,
    buildMmdb('GeoLite2-Country', {
      '8.8.8.0/24': { country: { iso_code: 'SE' }, registered_country: { iso_code: 'US' } },
      '9.9.9.0/24': { registered_country: { iso_code: 'CH' } },
      '11.0.0.0/8': { country: { iso_code: 'ZZ' } },
      '2a00:1450::/32': { country: { iso_code: 'IE' } },
    }),
  );
  writeFileSync(
    asn,
    buildMmdb('GeoLite2-ASN', {
      '8.8.8.0/24': { autonomous_system_number: 15169, autonomous_system_organization: 'Example Search' },
      '9.9.9.0/24': { autonomous_system_number: 64512, autonomous_system_organization: 'Private use' },
      '2a00:1450::/32': { autonomous_system_number: 13335, autonomous_system_organization: 'Edge' },
    }),
  );
  const own = createGeoLookup({ countryMmdb: country, asnMmdb: asn });

  it('reads GeoLite2 record shapes for both families', () => {
    expect(own.lookup('8.8.8.8')).toEqual({
      country: 'SE',
      asn: 15169,
      asOrg: 'Example Search',
      provider: 'Google',
      providerKind: 'cloud',
    });
    expect(own.lookup('9.9.9.9')).toMatchObject({ country: 'CH', asn: 64512, provider: null });
    expect(own.lookup('2a00:1450::1')).toMatchObject({ country: 'IE', asn: 13335, provider: 'Cloudflare' });
  });

  it('treats codes that are not ISO 3166 and addresses without records as unknown', () => {
    expect(own.lookup('11.1.1.1').country).toBeNull();
    expect(own.lookup('12.1.1.1')).toEqual(NO_FACTS);
  });

  it('rejects a file that is not a MaxMind DB with a clear error', () => {
    const bad = join(dir, 'bad.mmdb');
    writeFileSync(bad, 'this is not a database');
    expect(() => createGeoLookup({ countryMmdb: bad }).lookup('8.8.8.8')).toThrow(GeoDataError);
    expect(() => createGeoLookup({ asnMmdb: join(dir, 'missing.mmdb') }).lookup('8.8.8.8')).toThrow(
      /cannot read/,
    );
  });
});
