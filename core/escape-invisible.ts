// Characters that must not reach a person's terminal raw, written as \uXXXX escapes: in a JSON
// string and a YAML double-quoted scalar that escape reads back as the same character, so the text
// still parses to exactly the value seen (identification's --unknown stubs, --json on a terminal).

/**
 * DEL and C1 controls (U+009B is CSI: xterm and others act on it as ESC [), the soft hyphen, bidi
 * overrides, isolates and marks (text that reads differently from what it holds), zero-width and
 * line/paragraph separators, the byte-order mark. C0 controls are left to the format's own escaping.
 */
const INVISIBLE = /[\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** `text` with each invisible or terminal-controlling character written as \uXXXX. */
export function escapeInvisible(text: string): string {
  return text.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
