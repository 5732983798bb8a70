// Compiles rule patterns and refuses the shapes that backtrack catastrophically (nested repetition,
// backreferences), so a hostile banner cannot stall identification. Values are also capped
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

/** Compiles a rule pattern: length cap, hazard check, syntax check, capture-group count. */
export function compilePattern(src: string, flags: string): PatternResult {
  if (src.length === 0) return { ok: false, message: 'pattern is empty' };
  if (src.length > MAX_PATTERN_LENGTH) {
    return { ok: false, message: `pattern is ${src.length} characters (at most ${MAX_PATTERN_LENGTH})` };
  }
  if (flags !== '' && flags !== 'i') return { ok: false, message: `flags "${flags}": only "i" is allowed` };
  const hazard = backtrackingHazard(src);
  if (hazard) return { ok: false, message: hazard };
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
