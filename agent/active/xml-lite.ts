// A small, strict, streaming parser for the XML subset nmap writes (-oX). nmap's XML carries banners
// the scanned devices control, so: no DTD internal subset (no entity declarations, no external
// entities), only the five predefined entities and numeric references, caps on depth, names,
// attributes, text and total size, and every violation is an error with its line.

export interface XmlLimits {
  maxDepth: number;
  maxAttributes: number;
  /** Longest name (element or attribute), characters. */
  maxName: number;
  /** Longest attribute value or text node, characters (nmap script output can be long). */
  maxValue: number;
  /** Longest single markup construct (a tag with its attributes, a comment), characters. */
  maxMarkup: number;
  /** Whole document, characters. */
  maxTotal: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = {
  maxDepth: 64,
  maxAttributes: 64,
  maxName: 128,
  maxValue: 1 << 20,
  maxMarkup: 4 << 20,
  maxTotal: 512 << 20,
};

export class XmlError extends Error {
  override readonly name = 'XmlError';
  constructor(
    readonly line: number,
    detail: string,
  ) {
    super(`XML line ${line}: ${detail}`);
  }
}

export interface XmlHandler {
  open(name: string, attributes: Record<string, string>): void;
  close(name: string): void;
  text(text: string): void;
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*$/;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export class XmlStream {
  readonly #limits: XmlLimits;
  readonly #handler: XmlHandler;
  #buf = '';
  /** Parse position in #buf; the buffer is cut once per write, not per token. */
  #pos = 0;
  #line = 1;
  #total = 0;
  /**
   * Characters from #pos already scanned, without success, for the end of the pending markup (and
   * the quote state there) or for the '<' after pending text: the next write resumes there. Scanning
   * from #pos again made a long attribute arriving in pieces quadratic (4 MB in 4 KB pipe reads: 8.5 s).
   */
  #scanned = 0;
  #quote = '';
  readonly #stack: string[] = [];
  #seenRoot = false;
  #done = false;

  constructor(handler: XmlHandler, limits: Partial<XmlLimits> = {}) {
    this.#handler = handler;
    this.#limits = { ...DEFAULT_XML_LIMITS, ...limits };
  }

  get depth(): number {
    return this.#stack.length;
  }

  write(chunk: string): void {
    this.#total += chunk.length;
    if (this.#total > this.#limits.maxTotal)
      this.#fail(`document larger than ${this.#limits.maxTotal} characters`);
    this.#buf = this.#buf.slice(this.#pos) + chunk;
    this.#pos = 0;
    this.#drain(false);
  }

  /** Ends the document: everything opened must be closed. */
  end(): void {
    this.#drain(true);
    if (this.#buf.slice(this.#pos).trim()) this.#fail('text after the end of the document');
    if (this.#stack.length) this.#fail(`document ends inside <${this.#stack.at(-1)}>`);
    if (!this.#seenRoot) this.#fail('no root element');
  }

  #fail(detail: string): never {
    throw new XmlError(this.#line, detail);
  }

  #consume(n: number): void {
    const end = this.#pos + n;
    for (let i = this.#buf.indexOf('\n', this.#pos); i >= 0 && i < end; i = this.#buf.indexOf('\n', i + 1))
      this.#line++;
    this.#pos = end;
  }

  #drain(final: boolean): void {
    for (;;) {
      const b = this.#buf;
      // At a '<' the markup's own scan resumes (#markupEnd); in text, the search for the next '<'.
      const lt = b.charCodeAt(this.#pos) === 0x3c ? this.#pos : b.indexOf('<', this.#pos + this.#scanned);
      if (lt < 0) {
        const rest = b.length - this.#pos;
        this.#scanned = rest;
        if (rest > this.#limits.maxValue) this.#fail(`text longer than ${this.#limits.maxValue}`);
        if (final) {
          this.#text(b.slice(this.#pos));
          this.#consume(rest);
        }
        return;
      }
      if (lt > this.#pos) {
        this.#scanned = 0;
        this.#text(b.slice(this.#pos, lt));
        this.#consume(lt - this.#pos);
        continue;
      }
      const end = this.#markupEnd();
      if (end < 0) {
        if (b.length - this.#pos > this.#limits.maxMarkup)
          this.#fail(`markup longer than ${this.#limits.maxMarkup}`);
        if (final) this.#fail('document ends inside markup');
        return;
      }
      this.#scanned = 0;
      this.#quote = '';
      this.#markup(b.slice(this.#pos, end));
      this.#consume(end - this.#pos);
    }
  }

  /**
   * Index one past the end of the markup at #pos, or -1 when it is not complete yet (then #scanned
   * and #quote say where the next call resumes).
   */
  #markupEnd(): number {
    const b = this.#buf;
    const p = this.#pos;
    // Too few characters to tell a comment or CDATA section from a declaration: wait for them (a
    // chunk ending in "<![CDA" read as a DOCTYPE with an internal subset, and failed).
    const head = b.slice(p, p + 9);
    if (head.length < 9 && ('<![CDATA['.startsWith(head) || '<!--'.startsWith(head))) return -1;
    const closer = (open: string, close: string): number | null => {
      if (!b.startsWith(open, p)) return null;
      const e = b.indexOf(close, Math.max(p + open.length, p + this.#scanned - close.length + 1));
      if (e < 0) this.#scanned = b.length - p;
      return e < 0 ? -1 : e + close.length;
    };
    const special = closer('<!--', '-->') ?? closer('<![CDATA[', ']]>') ?? closer('<?', '?>');
    if (special !== null) return special;
    if (b.startsWith('<!', p)) {
      // Declarations: only a plain DOCTYPE is accepted; an internal subset ('[') could declare entities.
      const gt = b.indexOf('>', p);
      const bracket = b.indexOf('[', p);
      if (bracket >= 0 && (gt < 0 || bracket < gt))
        this.#fail('a DTD internal subset is refused (entity declarations)');
      return gt < 0 ? -1 : gt + 1;
    }
    // A tag: '>' inside quoted attribute values does not end it.
    let quote = this.#quote;
    for (let i = p + Math.max(1, this.#scanned); i < b.length; i++) {
      const c = b[i]!;
      if (quote) {
        if (c === quote) quote = '';
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '>') return i + 1;
      else if (c === '<') this.#fail("'<' inside a tag");
    }
    this.#scanned = b.length - p;
    this.#quote = quote;
    return -1;
  }

  #markup(m: string): void {
    if (m.startsWith('<!--')) return;
    if (m.startsWith('<?')) {
      if (this.#seenRoot && m.startsWith('<?xml ')) this.#fail('XML declaration after the root element');
      return;
    }
    if (m.startsWith('<![CDATA[')) {
      if (!this.#stack.length) this.#fail('CDATA outside the root element');
      this.#handler.text(m.slice(9, -3));
      return;
    }
    if (m.startsWith('<!')) {
      // nmap writes "<!DOCTYPE nmaprun>". An internal subset could declare entities: refused.
      if (!/^<!DOCTYPE\s+[A-Za-z_:][-A-Za-z0-9_:.]*\s*>$/.test(m))
        this.#fail('only a plain <!DOCTYPE name> is accepted');
      if (this.#seenRoot) this.#fail('DOCTYPE after the root element');
      return;
    }
    if (m.startsWith('</')) {
      const name = m.slice(2, -1).trim();
      const open = this.#stack.pop();
      if (open !== name) this.#fail(`</${name}> does not close <${open ?? 'nothing'}>`);
      this.#handler.close(name);
      if (!this.#stack.length) this.#done = true;
      return;
    }
    const selfClosing = m.endsWith('/>');
    const body = m.slice(1, selfClosing ? -2 : -1);
    const nameMatch = /^[^\s/>]+/.exec(body);
    const name = nameMatch?.[0] ?? '';
    this.#checkName(name, 'element');
    const attributes = this.#attributes(body.slice(name.length));
    if (this.#done) this.#fail('a second root element');
    if (!this.#stack.length) this.#seenRoot = true;
    if (this.#stack.length >= this.#limits.maxDepth)
      this.#fail(`elements nested deeper than ${this.#limits.maxDepth}`);
    this.#stack.push(name);
    this.#handler.open(name, attributes);
    if (selfClosing) {
      this.#stack.pop();
      this.#handler.close(name);
      if (!this.#stack.length) this.#done = true;
    }
  }

  #checkName(name: string, what: string): void {
    if (!name || name.length > this.#limits.maxName || !NAME.test(name)) {
      this.#fail(`bad ${what} name '${name.slice(0, 40)}'`);
    }
  }

  #attributes(text: string): Record<string, string> {
    const out: Record<string, string> = Object.create(null);
    let count = 0;
    let rest = text;
    for (;;) {
      rest = rest.replace(/^\s+/, '');
      if (!rest) return out;
      const m = /^([^\s=]+)\s*=\s*(["'])/.exec(rest);
      if (!m) this.#fail(`malformed attribute near '${rest.slice(0, 30)}'`);
      const name = m[1]!;
      this.#checkName(name, 'attribute');
      const close = rest.indexOf(m[2]!, m[0].length);
      if (close < 0) this.#fail(`unterminated value of attribute ${name}`);
      const raw = rest.slice(m[0].length, close);
      if (raw.length > this.#limits.maxValue)
        this.#fail(`attribute ${name} longer than ${this.#limits.maxValue}`);
      if (raw.includes('<')) this.#fail(`'<' in the value of attribute ${name}`);
      if (Object.hasOwn(out, name)) this.#fail(`attribute ${name} repeated`);
      if (++count > this.#limits.maxAttributes)
        this.#fail(`more than ${this.#limits.maxAttributes} attributes`);
      out[name] = this.#unescape(raw);
      rest = rest.slice(close + 1);
      if (rest && !/^\s/.test(rest)) this.#fail(`attributes must be separated by white space after ${name}`);
    }
  }

  #text(raw: string): void {
    if (!raw) return;
    if (!this.#stack.length) {
      if (raw.trim()) this.#fail('text outside the root element');
      return;
    }
    if (raw.length > this.#limits.maxValue) this.#fail(`text longer than ${this.#limits.maxValue}`);
    this.#handler.text(this.#unescape(raw));
  }

  #unescape(raw: string): string {
    if (!raw.includes('&')) return raw;
    let out = '';
    let pos = 0;
    for (let amp = raw.indexOf('&'); amp >= 0; amp = raw.indexOf('&', pos)) {
      out += raw.slice(pos, amp);
      const semi = raw.indexOf(';', amp);
      if (semi < 0 || semi - amp > 10) this.#fail("'&' that starts no entity reference");
      const ref = raw.slice(amp + 1, semi);
      if (ref.startsWith('#')) {
        const code = /^#x[0-9a-fA-F]{1,6}$/.test(ref)
          ? Number.parseInt(ref.slice(2), 16)
          : /^#[0-9]{1,7}$/.test(ref)
            ? Number(ref.slice(1))
            : Number.NaN;
        // nmap escapes control bytes of banners as &#xNN; (not XML 1.0 characters, but harmless data):
        // accepted and left for cleanText to strip; surrogates and out-of-range values are refused.
        if (!(code >= 0 && code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff)) {
          this.#fail(`bad character reference &${ref};`);
        }
        out += String.fromCodePoint(code);
      } else {
        const v = PREDEFINED[ref];
        if (v === undefined) this.#fail(`entity &${ref}; is not one of the five predefined ones`);
        out += v;
      }
      pos = semi + 1;
    }
    return out + raw.slice(pos);
  }
}
