import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { COUNTRIES, countryCodeForName, isCountryCode } from '../../../core/vocabulary/countries.js';

describe('ISO 3166-1 vocabulary', () => {
  it('holds the 249 assigned alpha-2 codes', () => {
    const codes = Object.keys(COUNTRIES);
    expect(codes).toHaveLength(249);
    for (const c of codes) expect(c).toMatch(/^[A-Z]{2}$/);
    expect(isCountryCode('JP')).toBe(true);
    for (const bad of ['jp', 'XK', 'EU', 'UK', 'J', '', 42]) expect(isCountryCode(bad)).toBe(false);
  });

  it('maps names in any case and the ISO long forms', () => {
    expect(countryCodeForName('Japan')).toBe('JP');
    expect(countryCodeForName('JAPAN')).toBe('JP');
    expect(countryCodeForName('Hong Kong SAR China')).toBe('HK');
    expect(countryCodeForName('Türkiye')).toBe('TR');
    expect(countryCodeForName('Turkey')).toBe('TR');
    expect(countryCodeForName('Bosnia & Herzegovina')).toBe('BA');
    expect(countryCodeForName('Korea, Republic of')).toBe('KR');
    expect(countryCodeForName('Private')).toBeNull();
    expect(countryCodeForName('Sunnyvale CA 94089')).toBeNull();
  });

  // The IEEE registry (npm oui-data) ends each entry with a country name. Every such last line
  // that is not an address line (those carry digits: "Xiamen Fujian 361006") must map to a code,
  // so a country name newly used by the IEEE fails here instead of silently becoming null.
  it('covers every country name used by the IEEE registry', () => {
    const require = createRequire(import.meta.url);
    const data = JSON.parse(readFileSync(require.resolve('oui-data'), 'utf8')) as Record<string, string>;
    const unmapped = new Set<string>();
    let mapped = 0;
    for (const text of Object.values(data)) {
      const lines = text.split('\n');
      if (lines.length < 2) continue; // organisation only ("Private", "Boston Dynamics"): no country
      const last = lines.at(-1)!.trim();
      if (countryCodeForName(last)) mapped++;
      else if (!/\d/.test(last)) unmapped.add(last);
    }
    expect([...unmapped]).toEqual([]);
    expect(mapped).toBeGreaterThan(50_000);
  });
});
