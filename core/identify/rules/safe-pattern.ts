// Compiles rule patterns and refuses the shapes that backtrack catastrophically (nested repetition
// beyond a small bounded case, a repeated group that may match empty or whose alternatives may
// start alike, backreferences), so a hostile banner cannot stall identification, nor a policy's
// `matches` the collector. The check cannot see polynomial chains (\w*\w*\w*x: 65 s at 600
// characters): a user's pattern therefore runs on the linear-time engine (linear-pattern.ts),
// which is the guarantee; the check stays so the shapes it names are refused with a reason.
// Shipped rules run on the backtracking engine: reviewed, held to hostile values by their
// self-test, and ~26x faster per match (docs/benchmarks.md "Pattern engines").
import { compileLinear, LinearPatternError } from './linear-pattern.js';
import { atomLength, PatternSyntaxError, readQuantifier, readToken, type Token } from './pattern-syntax.js';

/** Longest pattern source accepted: rules are one-line banner matchers, not programs. */
export const MAX_PATTERN_LENGTH = 400;

export type PatternResult =
  | { ok: true; regex: RegExp; groups: number; engine: PatternEngine }
  | { ok: false; message: string };

interface Frame {
  /**
   * How many ways what is inside may split its text: the product of (max - min + 1) over its
   * repeating quantifiers (*, +, {n,m} with m > 1), a repeated group counting its own spread to the
   * power of its maximum; Infinity when one is unbounded, 1 when none repeats.
   */
  spread: number;
  /** Start of the group in the source, for the message. */
  at: number;
  /** Where each alternative of the group starts in the source (after any (?: modifier). */
  alts: number[];
  /** Where the group ends (its ')'), once closed. */
  end: number;
  /**
   * This group, or one inside it, can match one text in two ways: alternatives that may start alike,
   * or an alternative that starts with an optional atom. Repeated, each repetition doubles the ways.
   */
  ambiguous: boolean;
}

/** Characters tried when asking whether two alternatives may start alike: tab and printable ASCII. */
const PROBE_CHARS = ['\t', ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(0x20 + i))];

/**
 * The first atom of an alternative as a regex matching one character, or null when it may be
 * anything (a group, '.', an optional atom, an empty alternative): judged conservatively.
 */
function firstAtom(alt: string): RegExp | null {
  if (alt === '' || alt[0] === '^' || alt[0] === '$' || startsOptional(alt)) return null;
  return atomMatcher(alt.slice(0, atomLength(alt)));
}

/** Does the alternative start with an optional atom (a?, \w*, (x)?, a{0,3})? */
function startsOptional(alt: string): boolean {
  return alt !== '' && /^(?:[?*]|\{0)/.test(alt.slice(atomLength(alt)));
}

/** A one-character matcher for an atom's text (an escape, a class, a literal), null when it may be anything. */
function atomMatcher(atom: string): RegExp | null {
  if (atom[0] === '(' || atom === '.') return null;
  try {
    return new RegExp(`^(?:${atom})$`, 'i');
  } catch {
    return null;
  }
}

/** May two one-character matchers (null: anything) match the same character? */
function overlap(x: RegExp | null, y: RegExp | null): boolean {
  return !x || !y || PROBE_CHARS.some((c) => x.test(c) && y.test(c));
}

/**
 * Does an alternative of a repeated group hold, after its first atom, a variable one (a?, \w{1,3})
 * that may match what an iteration starts with? Then where one repetition ends and the next
 * begins is ambiguous: (\w\w?)*, ([ab]a?a?)+ and (aa??a?){3,} take seconds on 24 characters.
 */
function variableMeetsStart(alt: string, starts: readonly (RegExp | null)[]): boolean {
  let i = atomLength(alt);
  while (i < alt.length) {
    const rest = alt.slice(i);
    const n = atomLength(rest);
    const q = /^(?:[?*+]|\{(\d+)(?:,(\d*))?\})\??/.exec(rest.slice(n));
    // ?, *, +, {n,} and {n,m} with m ≠ n; not {n}.
    const variable = q !== null && (q[1] === undefined || (q[2] !== undefined && q[2] !== q[1]));
    if (variable) {
      const m = atomMatcher(rest.slice(0, n));
      if (starts.some((st) => overlap(m, st))) return true;
    }
    i += n + (q ? q[0].length : 0);
  }
  return false;
}

/**
 * An alternative that is one plain group and nothing else, by its content: ((x)) repeats as (x)
 * does. Stops at a group with alternatives of its own, a lookaround or a quantified group.
 */
function unwrap(alt: string): string {
  for (;;) {
    if (alt[0] !== '(' || atomLength(alt) !== alt.length) return alt;
    const open = /^\((?:\?:|\?<[A-Za-z_][A-Za-z0-9_]*>)?/.exec(alt)![0];
    // A lookaround, (?=…) (?!…) (?<=…) (?<!…), matches no text: left as it is.
    if (open === '(' && alt[1] === '?') return alt;
    const inner = alt.slice(open.length, -1);
    if (hasTopLevelBar(inner)) return alt;
    alt = inner;
  }
}

/** Whether `text` has a '|' outside any group or class. */
function hasTopLevelBar(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '|') return true;
    if (c === '\\' || c === '[' || c === '(') i += atomLength(text.slice(i)) - 1;
  }
  return false;
}

/** variableMeetsStart for any alternative of a group, against the first atoms of all of them. */
function iterationsMeet(src: string, g: Frame): boolean {
  const alts = alternatives(src, g).map(unwrap);
  const starts = alts.map(firstAtom);
  return alts.some((a) => variableMeetsStart(a, starts));
}

/** The source of each alternative of a closed group. */
function alternatives(src: string, g: Frame): string[] {
  return g.alts.map((start, k) => src.slice(start, (g.alts[k + 1] ?? g.end + 1) - 1));
}

/** May two alternatives of a group both match at one place? (a|a), (.|\s), (a|ab) may. */
function alternativesOverlap(alts: readonly string[]): boolean {
  const atoms = alts.map(firstAtom);
  for (let a = 0; a < atoms.length; a++) {
    for (let b = a + 1; b < atoms.length; b++) if (overlap(atoms[a]!, atoms[b]!)) return true;
  }
  return false;
}

/** Can the group match the empty string? A repeated one that can ((a?){25}) backtracks exponentially. */
function matchesEmpty(src: string, g: Frame): boolean {
  try {
    return new RegExp(`^(?:${src.slice(g.alts[0], g.end)})$`).test('');
  } catch {
    return true;
  }
}

/**
 * Most ways a repeated group may split its text (its spread to the power of the outer maximum)
 * still allowed: (\d{1,3}\.){3} is 27, a dotted quad; (a{1,2}){32} (2^32) or (a+){12} (n^12 on
 * n characters: 2.7 s on 28) are refused.
 */
const MAX_NESTED_SPLITS = 1024;

/**
 * Finds nested repetition ((a+)+, (\w*x)*, (a{2,}){3,}, (a+){12}), repeated groups whose
 * alternatives may start alike or that may match empty, and backreferences: the ways a regex over a
 * 600-character value can run for minutes. Returns a message, or null when safe.
 */
export function backtrackingHazard(src: string): string | null {
  const stack: Frame[] = [{ spread: 1, at: 0, alts: [0], end: src.length, ambiguous: false }];
  // What the next quantifier applies to: a closed group (its frame), a plain atom, or nothing yet.
  let last: Frame | 'atom' | null = null;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\' || c === '[') {
      // An escape or a class: one atom, read by the shared reader (pattern-syntax.ts).
      let t: Token;
      try {
        t = readToken(src, i);
      } catch (err) {
        if (err instanceof PatternSyntaxError) return err.message;
        throw err;
      }
      if (t.kind === 'backreference')
        return `backreference ${src.slice(i, t.end)} at ${i} (not allowed in rules)`;
      i = t.end - 1;
      last = 'atom';
      continue;
    }
    if (c === '(') {
      const frame: Frame = { spread: 1, at: i, alts: [i + 1], end: -1, ambiguous: false };
      stack.push(frame);
      last = null;
      // Skip group modifiers (?:, (?=, (?!, (?<=, (?<!, (?<name>.
      if (src[i + 1] === '?') {
        const m = /^\(\?(:|=|!|<=|<!|<[A-Za-z_][A-Za-z0-9_]*>)/.exec(src.slice(i));
        if (m) i += m[0].length - 1;
        frame.alts[0] = i + 1;
      }
      continue;
    }
    if (c === '|') stack[stack.length - 1]!.alts.push(i + 1);
    if (c === ')') {
      const frame = stack.length > 1 ? stack.pop()! : null;
      if (!frame) return `unbalanced ')' at ${i}`;
      frame.end = i;
      const alts = alternatives(src, frame);
      frame.ambiguous ||= alts.some(startsOptional) || alternativesOverlap(alts);
      const parent = stack[stack.length - 1]!;
      parent.spread *= frame.spread;
      if (frame.ambiguous) parent.ambiguous = true;
      last = frame;
      continue;
    }
    // *, +, ?, {n}, {n,}, {n,m}, with a lazy '?' (null: '{' that starts no count is a literal).
    const quant = readQuantifier(src, i);
    if (!quant) {
      last = c === '|' ? null : 'atom';
      continue;
    }
    if (last === null) continue; // a lazy '?' after a quantifier, or a literal brace
    if (quant.max > 1) {
      if (last !== 'atom' && last.spread > 1 && !(last.spread ** quant.max <= MAX_NESTED_SPLITS)) {
        return `nested repetition: the group at ${last.at} repeats inside a repeated group (catastrophic backtracking)`;
      }
      if (last !== 'atom' && (last.ambiguous || iterationsMeet(src, last))) {
        return `the repeated group at ${last.at} can match one text in two ways: alternatives that may start with the same character, or an optional first atom, in it or a group inside it (catastrophic backtracking; use a character class)`;
      }
      if (last !== 'atom' && matchesEmpty(src, last)) {
        return `the repeated group at ${last.at} can match the empty string (catastrophic backtracking)`;
      }
      // The group's spread went to the parent when it closed: once per repetition in all, so that
      // ((a{1,2}){5}){5} counts 2^25 ways (37 s on 600 characters), not 2^5.
      const parent = stack[stack.length - 1]!;
      if (last !== 'atom' && last.spread > 1) parent.spread *= last.spread ** (quant.max - 1);
      parent.spread *= quant.max - quant.min + 1;
    }
    i = quant.end - 1;
    last = null;
  }
  return stack.length === 1 ? null : 'unbalanced "("';
}

/**
 * Which engine runs a pattern: 'linear' for anything a user wrote (--rules, policies), whose match
 * time is linear in the text; 'backtracking' for the shipped rules only.
 */
export type PatternEngine = 'linear' | 'backtracking';

/** Compiles a rule pattern: length cap, hazard check, syntax check, engine, capture-group count. */
export function compilePattern(src: string, flags: string, engine: PatternEngine = 'linear'): PatternResult {
  if (src.length === 0) return { ok: false, message: 'pattern is empty' };
  if (src.length > MAX_PATTERN_LENGTH) {
    return { ok: false, message: `pattern is ${src.length} characters (at most ${MAX_PATTERN_LENGTH})` };
  }
  if (flags !== '' && flags !== 'i') return { ok: false, message: `flags "${flags}": only "i" is allowed` };
  const hazard = backtrackingHazard(src);
  if (hazard) return { ok: false, message: hazard };
  try {
    new RegExp(src, flags);
  } catch (err) {
    return { ok: false, message: `invalid pattern: ${(err as Error).message}` };
  }
  return { ok: true, ...runnablePattern(src, flags, engine) };
}

/**
 * The regex a valid pattern, already through backtrackingHazard, runs as, and its capture-group
 * count: on the linear-time engine when asked and that engine can run it. What it cannot (a
 * lookaround, counts it would unroll past 16 copies, an optional group that may match empty) runs as
 * before that engine existed, on the backtracking one behind the hazard check: refusing it broke the
 * plain way to extend the rules, a copy of signatures/rules passed with --rules (16 shipped patterns
 * use lookaheads). Rule patterns and policy `matches` both come here.
 */
export function runnablePattern(
  src: string,
  flags: '' | 'i',
  engine: PatternEngine = 'linear',
): { regex: RegExp; groups: number; engine: PatternEngine } {
  if (engine === 'linear') {
    try {
      return { ...compileLinear(src, flags), engine: 'linear' };
    } catch (err) {
      if (!(err instanceof LinearPatternError)) throw err;
    }
  }
  // An alternative that always matches the empty string reveals the group count.
  const groups = (new RegExp(`${src}|`, flags).exec('')?.length ?? 1) - 1;
  return { regex: new RegExp(src, flags), groups, engine: 'backtracking' };
}
