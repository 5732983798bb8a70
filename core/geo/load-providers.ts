// Loads and validates signatures/providers.yaml (format: signatures/README.md "providers.yaml"):
// cloud, hosting, CDN, data-centre and ISP operators by AS number, and optionally by AS name.
// Every problem is reported as `file:line: message`, all of them before failing.
import { join } from 'node:path';
import { AliasIndex, aliasProblem } from '../catalog/registrant-alias.js';
import { YamlSource } from '../catalog/yaml-source.js';
import { PROVIDER_KINDS, type ProviderKind } from '../inventory.js';
import { signaturesDir } from '../paths.js';
import { isCountryCode } from '../vocabulary/countries.js';

/** Most providers and ASNs per provider one file may hold. */
export const MAX_PROVIDERS = 2000;
export const MAX_ASNS_PER_PROVIDER = 500;

export interface ProviderInfo {
  readonly name: string;
  readonly kind: ProviderKind;
  /** Headquarters, ISO 3166-1 alpha-2. */
  readonly country: string;
  readonly asns: readonly number[];
  /** AS organisation names (word-prefix aliases, as for vendors) used when the ASN is not listed. */
  readonly orgs: readonly string[];
  readonly source: string;
}

/** Why an AS number cannot name a provider (RFC 7607, 6996, 5398, 7300, 6793), or null. */
export function reservedAsnProblem(asn: number): string | null {
  if (asn === 0) return 'AS 0 is reserved (RFC 7607)';
  if (asn === 23456) return 'AS 23456 is AS_TRANS (RFC 6793)';
  if ((asn >= 64496 && asn <= 64511) || (asn >= 65536 && asn <= 65551))
    return `AS ${asn} is for documentation (RFC 5398)`;
  if ((asn >= 64512 && asn <= 65534) || (asn >= 4200000000 && asn <= 4294967294))
    return `AS ${asn} is private (RFC 6996)`;
  if (asn === 65535 || asn === 4294967295) return `AS ${asn} is reserved (RFC 7300)`;
  return null;
}

export class ProviderCatalog {
  readonly #byAsn = new Map<number, ProviderInfo>();
  readonly #orgs = new AliasIndex<ProviderInfo>();
  readonly #all: readonly ProviderInfo[];

  constructor(providers: readonly ProviderInfo[]) {
    this.#all = Object.freeze([...providers]);
    for (const p of providers) {
      for (const asn of p.asns) this.#byAsn.set(asn, p);
      for (const o of p.orgs) this.#orgs.add(o, p);
    }
  }

  /** The provider owning an AS: by its number first, then by the AS organisation name. */
  find(asn: number | null, asOrg: string | null): ProviderInfo | undefined {
    return (asn !== null ? this.#byAsn.get(asn) : undefined) ?? (asOrg ? this.#orgs.match(asOrg) : undefined);
  }

  all(): readonly ProviderInfo[] {
    return this.#all;
  }
}

export function parseProviderCatalog(text: string, file: string): ProviderCatalog {
  return build(new YamlSource(file, text));
}

export function loadProviderCatalog(file = join(signaturesDir(), 'providers.yaml')): ProviderCatalog {
  return build(YamlSource.read(file));
}

function build(src: YamlSource): ProviderCatalog {
  const top = src.fields(src.doc.contents, 'the file', ['providers']);
  const out: ProviderInfo[] = [];
  const names = new Map<string, number>();
  const asnOwner = new Map<number, string>();
  const orgIndex = new AliasIndex<string>();
  for (const item of (top && src.list(top.get('providers'), 'providers', MAX_PROVIDERS)) ?? []) {
    const f = src.fields(item, 'provider', ['name', 'kind', 'country', 'asns', 'source'], ['orgs']);
    if (!f) continue;
    const name = src.text(f.get('name'), 'provider name', 80);
    const what = `provider '${name ?? '?'}'`;
    if (name !== null) {
      const first = names.get(name.toLowerCase());
      if (first !== undefined) src.problem(item as never, `${what} is already defined at line ${first}`);
      else names.set(name.toLowerCase(), src.line(item as never));
    }
    const kind = src.text(f.get('kind'), `${what}: kind`, 20);
    const kindOk = kind !== null && (PROVIDER_KINDS as readonly string[]).includes(kind);
    if (kind !== null && !kindOk) {
      src.problem(
        f.get('kind') as never,
        `${what}: unknown kind '${kind}' (known: ${PROVIDER_KINDS.join(', ')})`,
      );
    }
    const country = src.text(f.get('country'), `${what}: country`, 2);
    if (country !== null && !isCountryCode(country)) {
      src.problem(
        f.get('country') as never,
        `${what}: country '${country}' is not an ISO 3166-1 alpha-2 code`,
      );
    }
    const asns: number[] = [];
    const asnItems = src.list(f.get('asns'), `${what}: asns`, MAX_ASNS_PER_PROVIDER);
    if (asnItems?.length === 0) src.problem(f.get('asns') as never, `${what}: needs at least one AS number`);
    for (const node of asnItems ?? []) {
      const asn = src.integer(node, `${what}: AS number`, 4294967295);
      if (asn === null) continue;
      const reserved = reservedAsnProblem(asn);
      const owner = asnOwner.get(asn);
      if (reserved) src.problem(node as never, `${what}: ${reserved}`);
      else if (owner !== undefined)
        src.problem(node as never, `${what}: AS ${asn} is already listed by '${owner}'`);
      else {
        asnOwner.set(asn, name ?? '?');
        asns.push(asn);
      }
    }
    const orgs: string[] = [];
    for (const node of src.list(f.get('orgs') ?? null, `${what}: orgs`, 100) ?? []) {
      const org = src.text(node, `${what}: AS organisation`, 120);
      if (org === null) continue;
      const problem = aliasProblem(org);
      const owner = problem ? undefined : orgIndex.add(org, name ?? '?');
      if (problem) src.problem(node as never, `${what}: ${problem}`);
      else if (owner !== undefined)
        src.problem(node as never, `${what}: AS organisation '${org}' is already listed by '${owner}'`);
      else orgs.push(org);
    }
    const source = src.text(f.get('source'), `${what}: source`, 400);
    if (name && kindOk && country && isCountryCode(country) && source && asns.length > 0) {
      out.push(
        Object.freeze({
          name,
          kind: kind as ProviderKind,
          country,
          asns: Object.freeze(asns),
          orgs: Object.freeze(orgs),
          source,
        }),
      );
    }
  }
  src.check();
  return new ProviderCatalog(out);
}
