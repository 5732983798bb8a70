// The one reader of user regex syntax: ECMAScript patterns without the u flag, with the Annex B
// extensions V8 accepts (ECMA-262 §22.2.1 and §B.1.2). The hazard check and the linear-time
// rewrite both read patterns through it, so they agree on where an escape or a class ends.

/** A character class escape: \d \D \s \S \w \W. */
export type ClassEscape = '\\d' | '\\D' | '\\s' | '\\S' | '\\w' | '\\W';

/** One member of a bracketed class: a range of code units (lo = hi for one) or a class escape. */
export type ClassItem = { kind: 'range'; lo: number; hi: number } | { kind: 'escape'; text: ClassEscape };

export type GroupKind = 'capture' | 'named' | 'plain' | 'lookahead' | 'lookbehind';

/** A token of the pattern; `at` and `end` delimit its source text. */
export type Token = { at: number; end: number } & (
  | { kind: 'char'; code: number }
  | { kind: 'class'; negated: boolean; items: ClassItem[] }
  | { kind: 'escape'; text: ClassEscape }
  | { kind: 'any' }
  | { kind: 'assertion' }
  | { kind: 'open'; group: GroupKind }
  | { kind: 'close' }
  | { kind: 'bar' }
  | { kind: 'quantifier'; min: number; max: number; lazy: boolean }
  /** \1-\9 outside a class (a backreference, or an Annex B octal or identity escape) or \k. */
  | { kind: 'backreference' }
);

/** A pattern the reader cannot express exactly: its message names what and where. */
export class PatternSyntaxError extends Error {
  override readonly name = 'PatternSyntaxError';
}

const CONTROL: Readonly<Record<string, number>> = { f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09, v: 0x0b };
const CLASS_ESCAPES = new Set(['d', 'D', 's', 'S', 'w', 'W']);
const HEX2 = /^[0-9A-Fa-f]{2}$/;
const HEX4 = /^[0-9A-Fa-f]{4}$/;
const QUANTIFIER = /^\{(\d+)(?:(,)(\d*))?\}/;

type Escape = { end: number } & (
  | { kind: 'char'; code: number }
  | { kind: 'escape'; text: ClassEscape }
  | { kind: 'assertion' }
  | { kind: 'backreference' }
);

/** Annex B LegacyOctalEscapeSequence at `i` (the first digit): up to three digits, value at most 0o377. */
function readOctal(src: string, i: number): { kind: 'char'; code: number; end: number } {
  const octal = (k: number) => /[0-7]/.test(src[k] ?? '');
  let end = i + 1;
  if (octal(i + 1)) {
    end = i + 2;
    if (src[i]! <= '3' && octal(i + 2)) end = i + 3;
  }
  return { kind: 'char', code: Number.parseInt(src.slice(i, end), 8), end };
}

/**
 * The escape whose backslash is at `i` (§22.2.1 AtomEscape / ClassEscape, Annex B: identity escapes
 * of any character, \c without a control letter read as a backslash).
 */
function readEscape(src: string, i: number, inClass: boolean): Escape {
  const c = src[i + 1];
  if (c === undefined) throw new PatternSyntaxError(`'\\' at the end of the pattern`);
  if (CLASS_ESCAPES.has(c)) return { kind: 'escape', text: `\\${c}` as ClassEscape, end: i + 2 };
  if (c === 'b')
    return inClass ? { kind: 'char', code: 0x08, end: i + 2 } : { kind: 'assertion', end: i + 2 };
  if (c === 'B' && !inClass) return { kind: 'assertion', end: i + 2 };
  // \0 is never a backreference: NUL, or with more octal digits an Annex B octal escape.
  if (c === '0') return readOctal(src, i + 1);
  // Outside a class \1-\9 are backreferences, or octal and identity escapes when there are fewer
  // groups (Annex B): the callers refuse them. In a class they are octal (\1-\7) or identity (\8, \9).
  if (/[1-9]/.test(c)) {
    if (!inClass) return { kind: 'backreference', end: i + 2 };
    if (c <= '7') return readOctal(src, i + 1);
  }
  if (c === 'k' && !inClass) return { kind: 'backreference', end: i + 2 };
  if (c === 'c') {
    const letter = src[i + 2] ?? '';
    // Annex B ClassControlLetter: in a class, digits and '_' are control letters too.
    if (/[A-Za-z]/.test(letter) || (inClass && /[0-9_]/.test(letter)))
      return { kind: 'char', code: letter.charCodeAt(0) % 32, end: i + 3 };
    return { kind: 'char', code: 0x5c, end: i + 1 }; // the backslash alone; 'c' is read next
  }
  if (c === 'x' && HEX2.test(src.slice(i + 2, i + 4)))
    return { kind: 'char', code: Number.parseInt(src.slice(i + 2, i + 4), 16), end: i + 4 };
  if (c === 'u' && HEX4.test(src.slice(i + 2, i + 6)))
    return { kind: 'char', code: Number.parseInt(src.slice(i + 2, i + 6), 16), end: i + 6 };
  const control = CONTROL[c];
  if (control !== undefined) return { kind: 'char', code: control, end: i + 2 };
  return { kind: 'char', code: src.charCodeAt(i + 1), end: i + 2 };
}

/** One class atom at `i`: a code unit or a class escape. */
function readClassAtom(
  src: string,
  i: number,
): { end: number; code: number } | { end: number; text: ClassEscape } {
  if (src[i] !== '\\') return { code: src.charCodeAt(i), end: i + 1 };
  const e = readEscape(src, i, true);
  if (e.kind === 'char') return { code: e.code, end: e.end };
  if (e.kind === 'escape') return { text: e.text, end: e.end };
  throw new PatternSyntaxError(`${src.slice(i, e.end)} at ${i} cannot stand in a class`);
}

/** The bracketed class opening at `i` (§22.2.1 CharacterClass; Annex B ranges with a class escape). */
export function readClass(src: string, i: number): Token & { kind: 'class' } {
  let j = i + 1;
  const negated = src[j] === '^';
  if (negated) j++;
  const items: ClassItem[] = [];
  const add = (a: { code: number } | { text: ClassEscape }) =>
    items.push('code' in a ? { kind: 'range', lo: a.code, hi: a.code } : { kind: 'escape', text: a.text });
  // ']' closes the class wherever it stands: [] is empty and [^] is any character in JavaScript.
  while (j < src.length && src[j] !== ']') {
    const a = readClassAtom(src, j);
    j = a.end;
    if (src[j] !== '-' || j + 1 >= src.length || src[j + 1] === ']') {
      add(a);
      continue;
    }
    const b = readClassAtom(src, j + 1);
    j = b.end;
    if ('code' in a && 'code' in b) {
      if (a.code > b.code) throw new PatternSyntaxError(`range out of order in the class at ${i}`);
      items.push({ kind: 'range', lo: a.code, hi: b.code });
    } else {
      // Annex B: a range with a class escape at either end is the escape, '-' and the other atom.
      add(a);
      add({ code: 0x2d });
      add(b);
    }
  }
  if (j >= src.length) throw new PatternSyntaxError(`unterminated class at ${i}`);
  return { kind: 'class', negated, items, at: i, end: j + 1 };
}

/** The group opening at `i`: its kind and where its content starts. */
function readOpen(src: string, i: number): Token & { kind: 'open' } {
  if (src[i + 1] !== '?') return { kind: 'open', group: 'capture', at: i, end: i + 1 };
  const m = /^\(\?(?::|=|!|<=|<!|<[^>]*>)/.exec(src.slice(i));
  if (!m) throw new PatternSyntaxError(`unknown group kind at ${i}: ${src.slice(i, i + 3)}`);
  const head = m[0];
  const group: GroupKind =
    head === '(?:'
      ? 'plain'
      : head === '(?=' || head === '(?!'
        ? 'lookahead'
        : head === '(?<=' || head === '(?<!'
          ? 'lookbehind'
          : 'named';
  return { kind: 'open', group, at: i, end: i + head.length };
}

/** A quantifier at `i`, or null when the character there is not one ('{' that starts no count is a literal). */
export function readQuantifier(src: string, i: number): (Token & { kind: 'quantifier' }) | null {
  const c = src[i];
  let min: number;
  let max: number;
  let end = i + 1;
  if (c === '*') [min, max] = [0, Number.POSITIVE_INFINITY];
  else if (c === '+') [min, max] = [1, Number.POSITIVE_INFINITY];
  else if (c === '?') [min, max] = [0, 1];
  else if (c === '{') {
    const m = QUANTIFIER.exec(src.slice(i));
    if (!m) return null;
    min = Number(m[1]);
    max = m[2] === undefined ? min : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3]);
    end = i + m[0].length;
  } else return null;
  const lazy = src[end] === '?';
  return { kind: 'quantifier', min, max, lazy, at: i, end: lazy ? end + 1 : end };
}

/** The token at `i`, outside any class. */
export function readToken(src: string, i: number): Token {
  const c = src[i]!;
  if (c === '\\') {
    const e = readEscape(src, i, false);
    return { ...e, at: i };
  }
  if (c === '[') return readClass(src, i);
  if (c === '(') return readOpen(src, i);
  if (c === ')') return { kind: 'close', at: i, end: i + 1 };
  if (c === '|') return { kind: 'bar', at: i, end: i + 1 };
  if (c === '^' || c === '$') return { kind: 'assertion', at: i, end: i + 1 };
  if (c === '.') return { kind: 'any', at: i, end: i + 1 };
  return readQuantifier(src, i) ?? { kind: 'char', code: src.charCodeAt(i), at: i, end: i + 1 };
}

/** Every token of a pattern, in order. Throws PatternSyntaxError where the reader cannot follow. */
export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < src.length; ) {
    const t = readToken(src, i);
    out.push(t);
    i = t.end;
  }
  return out;
}

/**
 * Length of the atom `text` starts with: an escape, a class, a group to its closing parenthesis,
 * or one character. Text the reader cannot follow counts as the rest of `text`.
 */
export function atomLength(text: string): number {
  try {
    const first = readToken(text, 0);
    if (first.kind !== 'open') return first.end;
    let depth = 0;
    for (let i = 0; i < text.length; ) {
      const t = readToken(text, i);
      if (t.kind === 'open') depth++;
      else if (t.kind === 'close' && --depth === 0) return t.end;
      i = t.end;
    }
  } catch (err) {
    if (!(err instanceof PatternSyntaxError)) throw err;
  }
  return text.length;
}
