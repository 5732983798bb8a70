// Compiles a user's pattern for V8's linear-time regexp engine (the 'l' flag), so matching costs
// time linear in the text whatever the pattern: \w*\w*\w*x on 600 characters took 65 s with the
// backtracking engine, ~1 ms here. That engine refuses the 'i' flag, so a case-insensitive pattern
// is rewritten into the case-sensitive one that matches the same (case-fold.ts); it also refuses
// lookarounds, backreferences and counted repetition over 16 copies, which it would have to unroll.
import v8 from 'node:v8';
import { caseClosure, normalize, type Ranges } from './case-fold.js';
import { type ClassItem, PatternSyntaxError, type Token, tokenize } from './pattern-syntax.js';

/** A pattern the linear-time engine cannot run, or this Node.js cannot offer it: one line, for the user. */
export class LinearPatternError extends Error {
  override readonly name = 'LinearPatternError';
}

export interface LinearPattern {
  regex: RegExp;
  /** Capture groups, numbered as in the source. */
  groups: number;
}

/**
 * Largest count in {n,m}: no value a pattern sees is longer (rule values are cut to 600 characters,
 * observation text to ~576), and a count is unrolled in copies of at most 16.
 */
export const MAX_REPEAT_COUNT = 1000;

/** V8's limit on copies of a counted repetition (experimental-compiler.cc kMaxReplicationFactor). */
const COPIES = 16;

/** The flag asking V8 for its linear-time engine. */
const LINEAR = 'l';

let enabled = false;

/**
 * Makes the 'l' flag legal, once, before the first compile. Safe at run time: this V8 flag only
 * lets RegExp accept 'l' (JSRegExp::FlagFromChar); a regex without 'l' still runs on the
 * backtracking engine, and the automatic switch to the linear one
 * (--enable-experimental-regexp-engine-on-excessive-backtracks) stays off.
 */
function enableLinearEngine(): void {
  if (enabled) return;
  v8.setFlagsFromString('--enable-experimental-regexp-engine');
  try {
    // Built at run time: a literal /a/l would be a syntax error when the module is parsed.
    new RegExp('a', LINEAR);
  } catch {
    throw new LinearPatternError(
      `this Node.js (${process.version}) offers no linear-time regexp engine, so user patterns cannot be run safely`,
    );
  }
  enabled = true;
}

/** A code unit as pattern text: letters, digits and space as they are, anything else as \uXXXX. */
function unit(code: number): string {
  return /[A-Za-z0-9 ]/.test(String.fromCharCode(code))
    ? String.fromCharCode(code)
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** A class of the given ranges and escapes; one code unit alone is written as itself. */
function classText(negated: boolean, ranges: Ranges, escapes: readonly string[]): string {
  const only = ranges[0];
  if (!negated && escapes.length === 0 && ranges.length === 1 && only![0] === only![1]) return unit(only![0]);
  const body = ranges.map(([lo, hi]) => (lo === hi ? unit(lo) : `${unit(lo)}-${unit(hi)}`)).join('');
  return `[${negated ? '^' : ''}${escapes.join('')}${body}]`;
}

/** A bracketed class, case-folded: ranges closed under Canonicalize; \d \s \w and their negations already are. */
function foldedClass(negated: boolean, items: readonly ClassItem[]): string {
  const ranges: Ranges = [];
  const escapes: string[] = [];
  for (const item of items) {
    if (item.kind === 'escape') escapes.push(item.text);
    else ranges.push([item.lo, item.hi]);
  }
  return classText(negated, caseClosure(normalize(ranges)), escapes);
}

/**
 * A counted repetition of a one-character atom, unrolled in copies of at most 16: .{0,80} is
 * .{0,16} five times. For a one-character atom the chain matches the same lengths and prefers them
 * in the same order (greedy: the longest total first; lazy: the shortest), so every match and every
 * capture is the same.
 */
function unrolled(atom: string, q: Token & { kind: 'quantifier' }, text: string): string {
  const finite = q.max !== Number.POSITIVE_INFINITY;
  if (q.min <= COPIES && (finite ? q.max <= COPIES : q.min < COPIES)) return atom + text;
  const lazy = q.lazy ? '?' : '';
  let out = '';
  for (let left = q.min; left > 0; left -= COPIES) out += `${atom}{${Math.min(left, COPIES)}}`;
  if (!finite) return `${out}${atom}*${lazy}`;
  for (let left = q.max - q.min; left > 0; left -= COPIES)
    out += `${atom}{0,${Math.min(left, COPIES)}}${lazy}`;
  return out;
}

/**
 * Can tokens[from, to) match the empty string somewhere? Judged by shape: an assertion (\b, ^, $)
 * matches empty, so (\b|x) can although it cannot on the empty text alone.
 */
function nullable(
  tokens: readonly Token[],
  from: number,
  to: number,
  closeOf: ReadonlyMap<number, number>,
): boolean {
  let alt = true;
  for (let k = from; k < to; ) {
    const t = tokens[k]!;
    if (t.kind === 'bar') {
      if (alt) return true;
      alt = true;
      k++;
      continue;
    }
    let end = k + 1;
    let empty = t.kind === 'assertion';
    if (t.kind === 'open') {
      end = closeOf.get(k)! + 1;
      empty = nullable(tokens, k + 1, end - 1, closeOf);
    }
    const q = tokens[end];
    if (q?.kind === 'quantifier') {
      empty ||= q.min === 0;
      end++;
    }
    alt &&= empty;
    k = end;
  }
  return alt;
}

/**
 * The pattern as the linear engine will run it: case-folded when `ignoreCase`, long counts of
 * one-character atoms unrolled, everything else as written. Throws LinearPatternError naming what
 * it cannot express and where.
 */
export function linearSource(src: string, ignoreCase: boolean): { source: string; groups: number } {
  let tokens: Token[];
  try {
    tokens = tokenize(src);
  } catch (err) {
    if (err instanceof PatternSyntaxError) throw new LinearPatternError(err.message);
    throw err;
  }
  const out: string[] = [];
  // Whether the last piece of `out` is a one-character atom a count may unroll.
  let single = false;
  let groups = 0;
  const open: number[] = [];
  const closeOf = new Map<number, number>();
  // The group the last token closed (the index of its opening), for the quantifier that may follow.
  let closed: number | null = null;
  for (const [k, t] of tokens.entries()) {
    const text = src.slice(t.at, t.end);
    let piece = text;
    let atom = false;
    switch (t.kind) {
      case 'char':
        // A backslash read alone (Annex B: \c without a control letter) is written escaped, so a
        // count unrolled after the 'c' cannot turn the pair into a control escape.
        if (ignoreCase) piece = classText(false, caseClosure([[t.code, t.code]]), []);
        else if (text === '\\') piece = '\\\\';
        atom = true;
        break;
      case 'class':
        piece = ignoreCase ? foldedClass(t.negated, t.items) : text;
        atom = true;
        break;
      case 'escape':
      case 'any':
        atom = true;
        break;
      case 'open':
        if (t.group === 'lookahead' || t.group === 'lookbehind')
          throw new LinearPatternError(
            `${t.group} ${text} at ${t.at}: the linear-time engine runs no lookarounds; match the text itself, or leave it out`,
          );
        if (t.group === 'capture' || t.group === 'named') groups++;
        open.push(k);
        break;
      case 'close':
        out.push(piece);
        single = false;
        closed = open.pop() ?? null;
        if (closed === null) throw new LinearPatternError(`unbalanced ')' at ${t.at}`);
        closeOf.set(closed, k);
        continue;
      case 'backreference':
        throw new LinearPatternError(`backreference ${text} at ${t.at}: the linear-time engine runs none`);
      case 'quantifier':
        if (t.min > MAX_REPEAT_COUNT || (t.max !== Number.POSITIVE_INFINITY && t.max > MAX_REPEAT_COUNT))
          throw new LinearPatternError(`count ${text} at ${t.at} is over ${MAX_REPEAT_COUNT}`);
        // ECMA-262 RepeatMatcher fails an optional iteration that matched empty and tries the next
        // way; V8's linear engine takes it, so captures (and which match wins) would differ.
        if (closed !== null && t.max > t.min && nullable(tokens, closed + 1, k - 1, closeOf))
          throw new LinearPatternError(
            `the group at ${tokens[closed]!.at} is optional or repeated and can match the empty string, which the linear-time engine treats differently (ECMA-262 fails an empty optional pass); make its content non-empty: (x+)? rather than (x*)?`,
          );
        if (single) piece = unrolled(out.pop()!, t, text);
        break;
      default:
        break;
    }
    out.push(piece);
    single = atom;
    closed = null;
  }
  return { source: out.join(''), groups };
}

/**
 * Compiles a syntactically valid pattern (flags '' or 'i') for the linear-time engine. Throws
 * LinearPatternError with one line saying why when it cannot.
 */
export function compileLinear(src: string, flags: '' | 'i'): LinearPattern {
  enableLinearEngine();
  const { source, groups } = linearSource(src, flags === 'i');
  try {
    return { regex: new RegExp(source, LINEAR), groups };
  } catch (err) {
    // Lookarounds and backreferences were refused above; what V8 still refuses is a counted
    // repetition it would unroll more than 16 times: one inside another, or a group's.
    if (/linear time/.test((err as Error).message))
      throw new LinearPatternError(
        'counted repetitions unroll to more than 16 copies (a {n,m} inside another, as (\\d{1,3}\\.){6}, or a group counted over 16): the linear-time engine copies what repeats once per count; use + or * for one of them',
      );
    throw new LinearPatternError(`cannot compile for the linear-time engine: ${(err as Error).message}`);
  }
}
