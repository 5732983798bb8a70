// Compiles rule patterns and refuses the shapes that backtrack catastrophically (nested repetition,
// backreferences, repeated alternatives that may start alike), so a hostile banner cannot stall identification. Values are also capped
// (rule-types.ts MAX_MATCH_LENGTH), which bounds the polynomial cases this check lets through.

/** Longest pattern source accepted: rules are one-line banner matchers, not programs. */
export const MAX_PATTERN_LENGTH = 400;

export type PatternResult = { ok: true; regex: RegExp; groups: number } | { ok: false; message: string };

interface Frame {
  /** Something inside this group repeats (*, +, {n,m} with m > 1). */
  repeats: boolean;
  /** Start of the group in the source, for the message. */
  at: number;
}

/** Reads a {n}, {n,} or {n,m} quantifier at `i`; null when the brace is a literal. */
function braces(src: string, i: number): { end: number; repeats: boolean } | null {
  const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i));
  if (!m) return null;
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3]);
  return { end: i + m[0].length, repeats: max > 1 };
}

/**
 * Finds nested repetition ((a+)+, (\w*x)*, (a{2,}){3,}) and backreferences: the two ways a
 * regex over a 600-character value can run for minutes. Returns a message, or null when safe.
 */
export function backtrackingHazard(src: string): string | null {
  const stack: Frame[] = [{ repeats: false, at: 0 }];
  // What the next quantifier applies to: a closed group (its frame), a plain atom, or nothing yet.
  let last: Frame | 'atom' | null = null;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    let quant: { end: number; repeats: boolean } | null = null;
    if (c === '\\') {
      const n = src[i + 1] ?? '';
      if (/[1-9]/.test(n) || n === 'k') return `backreference \\${n} at ${i} (not allowed in rules)`;
      i++;
      last = 'atom';
      continue;
    }
    if (c === '[') {
      // Skip the class; ']' right after '[' or '[^' is a literal in JS only with the u-less syntax.
      let j = i + 1;
      if (src[j] === '^') j++;
      if (src[j] === ']') j++;
      while (j < src.length && src[j] !== ']') j += src[j] === '\\' ? 2 : 1;
      i = j;
      last = 'atom';
      continue;
    }
    if (c === '(') {
      stack.push({ repeats: false, at: i });
      last = null;
      // Skip group modifiers (?:, (?=, (?!, (?<=, (?<!, (?<name>.
      if (src[i + 1] === '?') {
        const m = /^\(\?(:|=|!|<=|<!|<[A-Za-z_][A-Za-z0-9_]*>)/.exec(src.slice(i));
        if (m) i += m[0].length - 1;
      }
      continue;
    }
    if (c === ')') {
      const frame = stack.length > 1 ? stack.pop()! : null;
      if (!frame) return `unbalanced ')' at ${i}`;
      if (frame.repeats) stack[stack.length - 1]!.repeats = true;
      last = frame;
      continue;
    }
    if (c === '*' || c === '+') quant = { end: i + 1, repeats: true };
    else if (c === '?') quant = { end: i + 1, repeats: false };
    else if (c === '{') quant = braces(src, i);
    if (!quant) {
      last = c === '|' ? null : 'atom';
      continue;
    }
    if (last === null) continue; // a lazy '?' after a quantifier, or a literal brace
    if (quant.repeats) {
      if (last !== 'atom' && last.repeats) {
        return `nested repetition: the group at ${last.at} repeats inside a repeated group (catastrophic backtracking)`;
      }
      stack[stack.length - 1]!.repeats = true;
    }
    i = quant.end - 1;
    last = null;
  }
  return stack.length === 1 ? null : 'unbalanced "("';
}

/** A group being read by ambiguousAlternation. */
interface AltGroup {
  /** Start of the group in the source, for the message. */
  at: number;
  /** The leading character of each alternative read so far (lower-cased); null: unknown or several. */
  firsts: (string | null)[];
  /** The current alternative has no atom yet. */
  open: boolean;
  /** The atom just read was its alternative's first (a quantifier after it may make it optional). */
  firstAtom: boolean;
  /** This group or one inside it has alternatives that may start alike. */
  ambiguous: boolean;
}

function atom(g: AltGroup, first: string | null): void {
  g.firstAtom = g.open;
  if (g.open) g.firsts.push(first);
  g.open = false;
}

function overlapping(firsts: readonly (string | null)[]): boolean {
  if (firsts.length < 2) return false;
  const seen = new Set<string>();
  for (const f of firsts) {
    if (f === null || seen.has(f)) return true;
    seen.add(f);
  }
  return false;
}

/**
 * Finds a repeated group whose alternatives may start with the same character: (\w|\d)+, (a|a)*,
 * (.|\s)*. Each repetition may take either branch, so failing on n characters tries 2^n ways: 29
 * characters cost (\w|\d)+ 28 s, with no nested repetition for backtrackingHazard to see.
 * Alternatives are told apart by a leading literal character only, case-folded (patterns run with
 * the i flag); anything else — a class, an escape such as \d, a group, an anchor, an optional first
 * atom, an empty alternative — is taken to overlap. So (a|b)+ and (?:GET|HEAD)+ pass; (\d|x)+ does
 * not ([\dx]+ says the same, linearly), nor does (?:POST|PUT)+ (a shared first letter). Returns the repeated group's source, or null.
 */
export function ambiguousAlternation(src: string): string | null {
  const stack: AltGroup[] = [{ at: 0, firsts: [], open: true, firstAtom: false, ambiguous: false }];
  // The group the next quantifier applies to (null: an atom, or nothing).
  let last: AltGroup | null = null;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    const g = stack[stack.length - 1]!;
    let quant: { end: number; repeats: boolean; optional: boolean } | null = null;
    if (c === '*' || c === '+') quant = { end: i + 1, repeats: true, optional: c === '*' };
    else if (c === '?') quant = { end: i + 1, repeats: false, optional: true };
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i));
      if (m) {
        const max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3]);
        quant = { end: i + m[0].length, repeats: max > 1, optional: Number(m[1]) === 0 };
      }
    }
    if (quant) {
      if (last?.ambiguous && quant.repeats) return src.slice(last.at, quant.end);
      if (g.firstAtom && quant.optional) g.firsts[g.firsts.length - 1] = null;
      g.firstAtom = false;
      last = null;
      i = quant.end - 1;
      continue;
    }
    last = null;
    if (c === '\\') {
      const n = src[i + 1] ?? '';
      // An escaped punctuation mark is that character; an escaped letter or digit is a class, an
      // anchor or a code: unknown.
      atom(g, /[A-Za-z0-9]/.test(n) || n === '' ? null : n);
      i++;
    } else if (c === '[') {
      let j = i + 1;
      if (src[j] === '^') j++;
      if (src[j] === ']') j++;
      while (j < src.length && src[j] !== ']') j += src[j] === '\\' ? 2 : 1;
      atom(g, null);
      i = j;
    } else if (c === '(') {
      atom(g, null);
      const m = /^\(\?(:|=|!|<=|<!|<[A-Za-z_][A-Za-z0-9_]*>)/.exec(src.slice(i));
      stack.push({ at: i, firsts: [], open: true, firstAtom: false, ambiguous: false });
      if (m) i += m[0].length - 1;
    } else if (c === ')') {
      // Unbalanced: the compiler reports it.
      if (stack.length === 1) return null;
      const done = stack.pop()!;
      if (done.open) done.firsts.push(null);
      done.ambiguous ||= overlapping(done.firsts);
      if (done.ambiguous) stack[stack.length - 1]!.ambiguous = true;
      last = done;
    } else if (c === '|') {
      if (g.open) g.firsts.push(null);
      g.open = true;
      g.firstAtom = false;
    } else {
      atom(g, c === '.' || c === '^' || c === '$' ? null : c.toLowerCase());
    }
  }
  return null;
}

/** Compiles a rule pattern: length cap, hazard check, syntax check, capture-group count. */
export function compilePattern(src: string, flags: string): PatternResult {
  if (src.length === 0) return { ok: false, message: 'pattern is empty' };
  if (src.length > MAX_PATTERN_LENGTH) {
    return { ok: false, message: `pattern is ${src.length} characters (at most ${MAX_PATTERN_LENGTH})` };
  }
  if (flags !== '' && flags !== 'i') return { ok: false, message: `flags "${flags}": only "i" is allowed` };
  const hazard = backtrackingHazard(src);
  if (hazard) return { ok: false, message: hazard };
  const alternation = ambiguousAlternation(src);
  if (alternation) {
    return {
      ok: false,
      message: `repeated alternatives that may start alike in ${alternation} (exponential backtracking); use a character class`,
    };
  }
  let regex: RegExp;
  let probe: RegExp;
  try {
    regex = new RegExp(src, flags);
    // An alternative that always matches the empty string reveals the group count.
    probe = new RegExp(`${src}|`, flags);
  } catch (err) {
    return { ok: false, message: `invalid pattern: ${(err as Error).message}` };
  }
  const groups = (probe.exec('')?.length ?? 1) - 1;
  return { ok: true, regex, groups };
}
