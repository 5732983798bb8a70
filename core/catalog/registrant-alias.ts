// Matching IEEE registrant organisation names ("Siemens Numerical Control Ltd., Nanjing") to the
// aliases of catalog vendors. An alias is a sequence of whole words that must start the
// registrant name once both are normalised; the longest matching alias wins, so "Siemens Energy"
// beats "Siemens" and "Cisco Linksys" beats "Cisco". No wildcards: an alias names a company.

/** Case-, accent- and punctuation-insensitive form: "Tp-Link Technologies Co.,Ltd." → "tp link technologies co ltd". */
export function normaliseOrganisation(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * Words that alone say nothing about which company registered a prefix: legal forms, industry
 * words and the places most registrants are named after. An alias made only of these (or shorter
 * than 3 characters) would claim unrelated companies, so the loader rejects it.
 */
const GENERIC_WORDS = new Set(
  (
    'a an and the of de du la le des und co company corp corporation inc incorporated ltd limited llc ' +
    'plc gmbh ag sa sas spa srl bv nv kg oy ab as aps kk pte pty pvt sdn bhd group holdings holding ' +
    'international global tech technology technologies technical electronic electronics electric ' +
    'electrical electrics communication communications telecom telecommunication telecommunications ' +
    'network networks networking system systems solutions solution digital intelligent intelligence ' +
    'smart industrial industries industry automation control controls devices device products product ' +
    'computer computers software information data science sciences engineering manufacturing ' +
    'enterprise enterprises service services trading development research labs lab laboratories ' +
    'wireless mobile micro optical power energy security video vision camera cameras media innovation ' +
    'china chinese beijing shanghai shenzhen guangzhou hangzhou zhejiang jiangsu ' +
    'guangdong suzhou xiamen fujian dongguan nanjing chengdu wuhan tianjin qingdao hong kong taiwan ' +
    'taipei japan tokyo osaka korea seoul usa america american europe european germany deutschland ' +
    'france uk british india asia pacific cloud hosting host internet online server servers web net ' +
    'idc datacenter center centre broadband cable fiber fibre isp'
  ).split(' '),
);

/** Why an alias is unusable, or null when it is fine. */
export function aliasProblem(alias: string): string | null {
  const norm = normaliseOrganisation(alias);
  if (norm.length < 3)
    return `alias '${alias}' is shorter than 3 letters once normalised: it would match too much`;
  const words = norm.split(' ');
  if (words.every((w) => GENERIC_WORDS.has(w) || /^\d+$/.test(w))) {
    return `alias '${alias}' is only generic words (${norm}): it would claim unrelated companies`;
  }
  if (words.length > MAX_ALIAS_WORDS) return `alias '${alias}' has more than ${MAX_ALIAS_WORDS} words`;
  return null;
}

/** Longest alias, in words, that the matcher tries. */
export const MAX_ALIAS_WORDS = 8;

/** Alias → owner index; `match` tries the registrant's word prefixes, longest first. */
export class AliasIndex<T> {
  readonly #byAlias = new Map<string, T>();

  /** Adds an alias; returns the current owner when the normalised alias is already taken. */
  add(alias: string, owner: T): T | undefined {
    const key = normaliseOrganisation(alias);
    const existing = this.#byAlias.get(key);
    if (existing !== undefined) return existing;
    this.#byAlias.set(key, owner);
    return undefined;
  }

  /** The owner of the longest alias that starts `organisation` on word boundaries. */
  match(organisation: string): T | undefined {
    const words = normaliseOrganisation(organisation.slice(0, 300)).split(' ');
    for (let n = Math.min(words.length, MAX_ALIAS_WORDS); n > 0; n--) {
      const owner = this.#byAlias.get(words.slice(0, n).join(' '));
      if (owner !== undefined) return owner;
    }
    return undefined;
  }

  /** The alias (normalised) that decided `match`, for reasons and tests. */
  matchedAlias(organisation: string): string | undefined {
    const words = normaliseOrganisation(organisation.slice(0, 300)).split(' ');
    for (let n = Math.min(words.length, MAX_ALIAS_WORDS); n > 0; n--) {
      const key = words.slice(0, n).join(' ');
      if (this.#byAlias.has(key)) return key;
    }
    return undefined;
  }
}
