// The geo lookup over the public destinations seen in the shared corpus (../shared/corpus):
// every one must get a country without error, and special-purpose ones none. Skipped without it.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGeoLookup } from '../../../core/geo/geo-lookup.js';
import { isSpecialIpv4 } from '../../../core/geo/special-ranges.js';
import { parseIpv4 } from '../../../core/net/ip.js';
import { addresses, corpusDir } from '../corpus-macs.js';

const dir = corpusDir();

describe.skipIf(!dir)('geo lookup on the shared corpus', () => {
  it('gives every public IPv4 destination a country, and special ones nothing', () => {
    const geo = createGeoLookup();
    const seen = new Set<string>();
    for (const file of readdirSync(dir!).filter((f) => /\.(pcap|pcapng)$/.test(f))) {
      for (const ip of addresses(join(dir!, file)).ipv4Destinations) seen.add(ip);
    }
    let publicCount = 0;
    let withAsn = 0;
    let withProvider = 0;
    const noCountry: string[] = [];
    for (const ip of seen) {
      const facts = geo.lookup(ip);
      if (isSpecialIpv4(parseIpv4(ip)!)) {
        expect(facts.country, ip).toBeNull();
        continue;
      }
      publicCount++;
      if (facts.country === null) noCountry.push(ip);
      if (facts.asn !== null) withAsn++;
      if (facts.provider !== null) withProvider++;
    }
    console.info(
      `corpus: ${publicCount} public IPv4 destinations, ${withAsn} with an AS, ${withProvider} at a listed provider`,
    );
    expect(publicCount).toBeGreaterThan(20);
    expect(noCountry).toEqual([]);
  }, 60_000);
});
