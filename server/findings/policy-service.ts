// Each operator's effective policy: its configuration (or the defaults for its country) resolved
// into rules once and cached, split into the rules evaluated per device on ingest and those whose
// findings span devices; a fingerprint of everything that decides findings; and the checks on a
// configuration an admin sends, with every problem reported (JSON path, or file:line in the YAML).
import { createHash } from 'node:crypto';
import { CidrError, CidrSet, parseCidr, parseCidrList } from '../../core/net/cidr.js';
import { listPacks, policyFromParts } from '../../core/policy/packs.js';
import { type Policy, PolicyError, type Rule } from '../../core/policy/types.js';
import { didYouMean } from '../../core/policy/yaml-reader.js';
import { isCountryCode } from '../../core/vocabulary/countries.js';
import { ApiError } from '../errors.js';
import type { PolicyRepo, StoredPolicyConfig } from '../repos/policy-repo.js';
import type { TenancyRepo } from '../repos/tenancy-repo.js';
import type { PolicyConfigBody } from '../schemas/findings.js';

/** The name problems in an uploaded operator policy are reported under (`operator-policy.yaml:12: …`). */
export const POLICY_FILE = 'operator-policy.yaml';

/** What an operator evaluates; `ok: false` when its stored policy no longer loads (findings wait). */
export type EffectivePolicy =
  | {
      ok: true;
      policy: Policy;
      /** Rules whose findings each concern one device: evaluated per device, on ingest too. */
      local: Policy;
      /** Connection rules grouping across devices: evaluated over a whole site. */
      siteWide: Policy;
      hasConnectionRules: boolean;
      homeCountry: string;
      otNetworks: CidrSet | undefined;
      fingerprint: string;
    }
  | { ok: false; problems: string[]; fingerprint: string };

export interface ConfigView extends StoredPolicyConfig {
  configured: boolean;
}

/** Packs an operator runs when nobody configured it: the baseline, and its country's legal pack. */
export function defaultPacks(country: string): string[] {
  if (country === 'JP') return ['jp-espa', 'ot-baseline'];
  if (country === 'US') return ['us-ndaa-889', 'fcc-covered-list', 'ot-baseline'];
  return ['ot-baseline'];
}

/** Problems listed in one error answer; the rest are counted. */
const MAX_PROBLEMS = 200;

export class PolicyService {
  readonly #repo: PolicyRepo;
  readonly #tenancy: TenancyRepo;
  readonly #signatures: string;
  readonly #cache = new Map<number, EffectivePolicy>();
  readonly #policyBytes: number;

  constructor(repo: PolicyRepo, tenancy: TenancyRepo, signaturesVersion: string, policyBytes: number) {
    this.#repo = repo;
    this.#tenancy = tenancy;
    this.#signatures = signaturesVersion;
    this.#policyBytes = policyBytes;
  }

  config(operatorId: number, country: string): ConfigView {
    const stored = this.#repo.get(operatorId);
    if (stored) return { ...stored, configured: true };
    return {
      configured: false,
      packs: defaultPacks(country),
      homeCountry: null,
      otNetworks: [],
      policyText: null,
      updatedAt: '',
      updatedBy: '',
    };
  }

  /** The operator's policy, resolved once and cached until its configuration changes. */
  effective(operatorId: number): EffectivePolicy | undefined {
    const cached = this.#cache.get(operatorId);
    if (cached) return cached;
    const op = this.#tenancy.operator(operatorId);
    if (!op) return undefined;
    const c = this.config(operatorId, op.country);
    const home = c.homeCountry ?? op.country;
    let result: EffectivePolicy;
    try {
      const policy = resolve(c.packs, c.policyText);
      const local = (r: Rule) =>
        r.subject === 'device' || r.groupBy === null || r.groupBy.includes('device.id');
      result = {
        ok: true,
        policy,
        local: { ...policy, rules: policy.rules.filter(local) },
        siteWide: { ...policy, rules: policy.rules.filter((r) => !local(r)) },
        hasConnectionRules: policy.rules.some((r) => r.enabled && r.subject === 'connection'),
        homeCountry: home,
        otNetworks: c.otNetworks.length ? new CidrSet(parseCidrList(c.otNetworks.join(','))) : undefined,
        fingerprint: fingerprint(
          { rules: policy.rules.map(ruleShape), home, ot: c.otNetworks },
          this.#signatures,
        ),
      };
    } catch (err) {
      if (!(err instanceof PolicyError)) throw err;
      result = {
        ok: false,
        problems: [...err.problems],
        fingerprint: fingerprint({ problems: err.problems }, this.#signatures),
      };
    }
    this.#cache.set(operatorId, result);
    return result;
  }

  /**
   * Checks an admin's configuration; throws OM_ERR_POLICY_INVALID listing every problem: JSON
   * paths for the body's fields, `operator-policy.yaml:<line>: …` for the policy file.
   */
  check(body: PolicyConfigBody): { packs: string[]; otNetworks: string[]; policyText: string | null } {
    const problems: string[] = [];
    const shipped = listPacks();
    body.packs.forEach((p, i) => {
      if (!shipped.includes(p))
        problems.push(
          `/packs/${i}: unknown policy pack '${p}'${didYouMean(p, shipped)}; shipped: ${shipped.join(', ')}`,
        );
      else if (body.packs.indexOf(p) !== i) problems.push(`/packs/${i}: '${p}' is listed twice`);
    });
    if (body.homeCountry != null && !isCountryCode(body.homeCountry))
      problems.push(`/homeCountry: '${body.homeCountry}' is not an ISO 3166-1 alpha-2 country code`);
    const otNetworks: string[] = [];
    (body.otNetworks ?? []).forEach((text, i) => {
      try {
        parseCidr(text);
        otNetworks.push(text.trim());
      } catch (err) {
        if (!(err instanceof CidrError)) throw err;
        problems.push(`/otNetworks/${i}: ${err.message}`);
      }
    });
    const raw = body.policy ?? null;
    const text = raw === null || raw.trim() === '' ? null : raw;
    if (text !== null && Buffer.byteLength(text) > this.#policyBytes)
      problems.push(`/policy: larger than ${this.#policyBytes} bytes`);
    else if (body.packs.length === 0 && text === null)
      problems.push('/packs: name at least one pack, or send a policy file');
    else {
      // The file is checked against the packs that exist, so its own problems are listed too.
      try {
        resolve(
          body.packs.filter((p, i) => shipped.includes(p) && body.packs.indexOf(p) === i),
          text,
        );
      } catch (err) {
        if (!(err instanceof PolicyError)) throw err;
        problems.push(...err.problems);
      }
    }
    if (problems.length) {
      const shown = problems.slice(0, MAX_PROBLEMS);
      if (problems.length > MAX_PROBLEMS) shown.push(`… and ${problems.length - MAX_PROBLEMS} more problems`);
      throw new ApiError('OM_ERR_POLICY_INVALID', shown);
    }
    return {
      packs: [...body.packs],
      otNetworks,
      policyText: text === null || text.trim() === '' ? null : text,
    };
  }

  save(operatorId: number, config: StoredPolicyConfig): void {
    this.#repo.put(operatorId, config);
    this.#cache.delete(operatorId);
  }

  /** Forgets every resolved policy (the shipped packs may have changed under a running server). */
  forget(): void {
    this.#cache.clear();
  }
}

function resolve(packs: readonly string[], text: string | null): Policy {
  // Stored text came over the network: it may extend shipped packs, never name a file to read.
  return policyFromParts({ packs, text, name: POLICY_FILE }, { packsOnly: true });
}

/** What of a rule decides its findings (positions, titles and citations do not). */
function ruleShape(r: Rule): unknown {
  return [r.id, r.subject, r.severity, r.enabled, r.groupBy, r.message, r.when];
}

function fingerprint(shape: unknown, signatures: string): string {
  const text = JSON.stringify(shape, (key, value: unknown) => {
    if (key === 'at') return undefined;
    return value instanceof RegExp ? `/${value.source}/${value.flags}` : value;
  });
  return `sha256:${createHash('sha256').update(signatures).update('\n').update(text).digest('hex').slice(0, 32)}`;
}
