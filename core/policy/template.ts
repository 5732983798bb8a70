// Finding messages: `{field}` placeholders filled with facts in one pass. A fact is inserted as
// data and never read again as a template, so wire text like "{vendor}" or "<script>" stays inert
// text here (renderers escape it for their own format).
import type { Facts, FactValue } from './types.js';

export type TemplatePart = { text: string } | { field: string };

/** Longest list shown in a message before "… (+n more)". */
const LIST_SHOWN = 5;

/**
 * Splits a template into text and fields. `{{` and `}}` are literal braces. Unknown fields and
 * stray braces are returned as problems (the loader reports them with the rule's line).
 */
export function parseTemplate(
  template: string,
  known: (field: string) => boolean,
): { parts: TemplatePart[]; problems: string[] } {
  const parts: TemplatePart[] = [];
  const problems: string[] = [];
  let text = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if ((c === '{' || c === '}') && template[i + 1] === c) {
      text += c;
      i++;
    } else if (c === '{') {
      const end = template.indexOf('}', i);
      const name = end < 0 ? '' : template.slice(i + 1, end);
      if (end < 0 || !/^[A-Za-z][A-Za-z.]*$/.test(name)) {
        problems.push(`message: '{' at character ${i + 1} does not open a {field} (write {{ for a brace)`);
        break;
      }
      if (!known(name)) problems.push(`message: unknown field {${name}}`);
      if (text) parts.push({ text });
      text = '';
      parts.push({ field: name });
      i = end;
    } else if (c === '}') {
      problems.push(`message: stray '}' at character ${i + 1} (write }} for a brace)`);
      break;
    } else {
      text += c;
    }
  }
  if (text) parts.push({ text });
  return { parts, problems };
}

export function renderTemplate(parts: readonly TemplatePart[], facts: Facts): string {
  let out = '';
  for (const part of parts) out += 'text' in part ? part.text : showFact(facts[part.field] ?? null);
  return out;
}

/** How a fact reads in a message: "unknown" for null, lists joined and capped. */
export function showFact(value: FactValue): string {
  if (value === null) return 'unknown';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value;
  if (value.length === 0) return 'none';
  const shown = value.slice(0, LIST_SHOWN).map(String).join(', ');
  return value.length > LIST_SHOWN ? `${shown} … (+${value.length - LIST_SHOWN} more)` : shown;
}

/** The fields a template reads, in order, without repeats. */
export function templateFields(parts: readonly TemplatePart[]): string[] {
  return [...new Set(parts.flatMap((p) => ('field' in p ? [p.field] : [])))];
}
