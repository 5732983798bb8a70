// Random patterns and inputs for the linear-engine equivalence test: the syntax a rule or policy
// author may write (literals, escapes, classes, groups, counts, assertions), over the characters
// where case folding without the u flag is subtle (ſ, K, ß, İ, ı, µ, ǅ).

/** Characters whose folding differs from lower-casing, or that have none: each tried in patterns and inputs. */
export const TRICKY = [
  'ſ',
  '\u212a',
  'ß',
  'ẞ',
  'İ',
  'ı',
  'µ',
  'μ',
  'Μ',
  'ǅ',
  'ǆ',
  'Ω',
  'ω',
  'ÿ',
  'Ÿ',
  'é',
  'É',
];

const LITERALS = [
  'a',
  'A',
  'b',
  'k',
  'K',
  's',
  'S',
  'i',
  'I',
  'x',
  'z',
  '0',
  '7',
  '_',
  ' ',
  '-',
  ',',
  ':',
  ...TRICKY,
];
const ESCAPED = [
  '\\.',
  '\\-',
  '\\/',
  '\\(',
  '\\]',
  '\\{',
  '\\q',
  '\\x41',
  '\\x6b',
  '\\x4B',
  '\\xdf',
  '\\u017f',
  '\\u212A',
  '\\u00b5',
  '\\u0130',
  '\\x',
  '\\u12',
  '\\cJ',
  '\\cj',
  '\\ck',
  '\\c1',
  '\\0',
  '\\012',
  '\\t',
  '\\n',
];
const CLASS_ESCAPES = ['\\d', '\\D', '\\w', '\\W', '\\s', '\\S'];
const CLASS_ATOMS = [
  'a',
  'K',
  's',
  'ſ',
  '\u212a',
  'ß',
  'µ',
  '_',
  '.',
  '^',
  '[',
  '\\]',
  '\\-',
  '\\b',
  '\\x53',
  '\\u212a',
  '\\cK',
  '\\c_',
  '\\c1',
  '\\0',
  '\\07',
  '\\101',
  '\\8',
  '\\B',
  '\\k',
  ...CLASS_ESCAPES,
];
const RANGES = [
  'a-f',
  'A-Z',
  'k-s',
  'J-L',
  'Z-a',
  '0-9',
  'r-t',
  '\\x41-\\x5a',
  '\\u0100-\\u017f',
  '\\u2100-\\u2130',
  'µ-ÿ',
  '\\w-z',
];
const QUANTIFIERS = [
  '*',
  '+',
  '?',
  '{2}',
  '{1,3}',
  '{0,20}',
  '{17}',
  '{18,}',
  '{2,}',
  '*?',
  '+?',
  '??',
  '{0,20}?',
  '{1,3}?',
];
/** Counts for a group holding a quantifier: small, so the reference engine stays fast on short inputs. */
const NESTED_QUANTIFIERS = ['?', '{2}', '{1,2}', '??'];
/** Counts for a group without one: unbounded too, as captures in repeated groups are where engines differ. */
const GROUP_QUANTIFIERS = ['*', '+', '*?', '+?', '{0,3}', '{2,}', ...NESTED_QUANTIFIERS];

export class PatternGen {
  #named = 0;
  constructor(readonly next: () => number) {}

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)]!;
  }

  #cls(): string {
    const n = 1 + Math.floor(this.next() * 3);
    let body = '';
    for (let k = 0; k < n; k++) body += this.next() < 0.4 ? this.pick(RANGES) : this.pick(CLASS_ATOMS);
    if (this.next() < 0.15) body += '-';
    return `[${this.next() < 0.3 ? '^' : ''}${body}]`;
  }

  /** One term and whether it holds a quantifier. */
  #term(depth: number): [string, boolean] {
    const r = this.next();
    if (r < 0.06) return [this.pick(['^', '$', '\\b', '\\B']), false];
    let atom: string;
    let inner = false;
    if (r < 0.4) atom = this.pick(LITERALS);
    else if (r < 0.5) atom = this.pick(ESCAPED);
    else if (r < 0.58) atom = this.pick([...CLASS_ESCAPES, '.']);
    else if (r < 0.8 || depth >= 2) atom = this.#cls();
    else {
      const head = this.pick(['(', '(?:', '(?<n>']);
      const open = head === '(?<n>' ? `(?<n${this.#named++}>` : head;
      const [body, q] = this.#disjunction(depth + 1);
      atom = `${open}${body})`;
      inner = q;
      if (this.next() < 0.4) return [atom + this.pick(q ? NESTED_QUANTIFIERS : GROUP_QUANTIFIERS), true];
      return [atom, inner];
    }
    if (this.next() < 0.35) return [atom + this.pick(QUANTIFIERS), true];
    return [atom, inner];
  }

  #disjunction(depth: number): [string, boolean] {
    const alts: string[] = [];
    let quantified = false;
    const n = this.next() < 0.75 ? 1 : 2 + Math.floor(this.next() * 2);
    for (let a = 0; a < n; a++) {
      let alt = '';
      const terms = 1 + Math.floor(this.next() * 4);
      for (let t = 0; t < terms; t++) {
        const [text, q] = this.#term(depth);
        alt += text;
        quantified ||= q;
      }
      alts.push(alt);
    }
    return [alts.join('|'), quantified];
  }

  pattern(): string {
    this.#named = 0;
    return this.#disjunction(0)[0];
  }
}

/** Letters of a pattern's source, for inputs that can match it. */
export function alphabetOf(src: string): string[] {
  const letters = new Set<string>();
  for (const ch of src.replace(/\\[a-zA-Z]/g, '')) letters.add(ch);
  return [...letters, 'a', 'A', 'k', 'K', 's', 'S', '0', '9', ' ', '-', '.', '_', '\n', '\u0001', ...TRICKY];
}

/** Random strings of up to `max` characters over `alphabet`. */
export function randomInputs(
  next: () => number,
  alphabet: readonly string[],
  count: number,
  max: number,
): string[] {
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const n = Math.floor(next() * (max + 1));
    let s = '';
    for (let j = 0; j < n; j++) s += alphabet[Math.floor(next() * alphabet.length)];
    out.push(s);
  }
  return out;
}

/** A value in other cases, and with the characters that fold differently put in: ſ for s, K for k, ß for ss… */
export function caseVariants(value: string): string[] {
  const swap = [...value].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
  return [
    value.toUpperCase(),
    value.toLowerCase(),
    swap,
    value.replace(/s/g, 'ſ').replace(/k/gi, '\u212a'),
    value.replace(/ss/gi, 'ß').replace(/i/g, 'ı').replace(/I/g, 'İ'),
    value.replace(/[mu]/gi, 'µ').replace(/e/gi, 'é'),
  ];
}
