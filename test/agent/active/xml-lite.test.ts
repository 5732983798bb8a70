import { describe, expect, it } from 'vitest';
import { XmlError, type XmlHandler, type XmlLimits, XmlStream } from '../../../agent/active/xml-lite.js';

type Event = ['open', string, Record<string, string>] | ['close', string] | ['text', string];

function parse(doc: string, chunk = doc.length, limits: Partial<XmlLimits> = {}): Event[] {
  const events: Event[] = [];
  const handler: XmlHandler = {
    open: (n, a) => events.push(['open', n, { ...a }]),
    close: (n) => events.push(['close', n]),
    text: (t) => {
      const last = events.at(-1);
      if (last?.[0] === 'text') last[1] += t;
      else events.push(['text', t]);
    },
  };
  const xml = new XmlStream(handler, limits);
  for (let i = 0; i < doc.length; i += chunk) xml.write(doc.slice(i, i + chunk));
  xml.end();
  return events;
}

const NMAP_HEAD =
  '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE nmaprun>\n<?xml-stylesheet href="file:///usr/share/nmap/nmap.xsl" type="text/xsl"?>\n<!-- Nmap 7.93 scan -&#45;script -->\n';

describe('XmlStream', () => {
  it('reads a CDATA section, a comment and a tag the same wherever a chunk ends', () => {
    // A chunk ending in "<![CDA" was read as a declaration with an internal subset and refused.
    const doc = '<nmaprun><![CDATA[a<b]]><!-- c -> --><x a="q>r"/>t</nmaprun>';
    const whole = parse(doc);
    for (let cut = 1; cut < doc.length; cut++) {
      const events: Event[] = [];
      const text = (t: string) => {
        const last = events.at(-1);
        if (last?.[0] === 'text') last[1] += t;
        else events.push(['text', t]);
      };
      const xml = new XmlStream({
        open: (n, a) => events.push(['open', n, { ...a }]),
        close: (n) => events.push(['close', n]),
        text,
      });
      xml.write(doc.slice(0, cut));
      xml.write(doc.slice(cut));
      xml.end();
      expect({ cut, events }).toEqual({ cut, events: whole });
    }
  });

  it('scans a long attribute arriving in small pieces once, not once per piece', () => {
    // A 64 KiB attribute value (a banner in nmap script output) written a character at a time took
    // 7.3 s: each write scanned the pending tag again from its '<'. It takes ~0.2 s now.
    const doc = `<nmaprun><script output="${'a'.repeat(65_536)}"/></nmaprun>`;
    const started = performance.now();
    expect(parse(doc, 1)).toEqual(parse(doc));
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('reads nmap-style documents the same in one piece and byte by byte', () => {
    const doc = `${NMAP_HEAD}<nmaprun a="1"><host><address addr="x" vendor='Q&amp;A &lt;b&gt; &quot;&apos;'/>text &#x41;&#66;</host></nmaprun>\n`;
    const whole = parse(doc);
    expect(whole).toEqual([
      ['open', 'nmaprun', { a: '1' }],
      ['open', 'host', {}],
      ['open', 'address', { addr: 'x', vendor: 'Q&A <b> "\'' }],
      ['close', 'address'],
      ['text', 'text AB'],
      ['close', 'host'],
      ['close', 'nmaprun'],
    ]);
    expect(parse(doc, 1)).toEqual(whole);
    expect(parse(doc, 7)).toEqual(whole);
  });

  it('keeps ">" inside attribute values and control characters from numeric references', () => {
    const events = parse('<r><script output="a > b&#xa;&#x1;c"/></r>');
    expect(events[1]).toEqual(['open', 'script', { output: 'a > b\n\u0001c' }]);
  });

  it('refuses a DTD internal subset, external entities and unknown entities', () => {
    expect(() => parse('<!DOCTYPE r [<!ENTITY x "boom">]><r>&x;</r>')).toThrow(/internal subset is refused/);
    expect(() => parse('<!DOCTYPE r SYSTEM "file:///etc/passwd"><r/>')).toThrow(XmlError);
    expect(() => parse('<r>&x;</r>')).toThrow(/not one of the five predefined/);
    expect(() => parse('<r>a & b</r>')).toThrow(/starts no entity/);
    expect(() => parse('<r>&#xD800;</r>')).toThrow(/bad character reference/);
    expect(() => parse('<r>&#x110000;</r>')).toThrow(/bad character reference/);
  });

  it('refuses malformed structure with the line number', () => {
    expect(() => parse('<r>\n<a>\n</b></r>')).toThrow(/line 3: <\/b> does not close <a>/);
    expect(() => parse('<r></r><s/>')).toThrow(/second root/);
    expect(() => parse('text<r/>')).toThrow(/text outside the root/);
    expect(() => parse('<r a="1" a="2"/>')).toThrow(/repeated/);
    expect(() => parse('<r a="1"b="2"/>')).toThrow(/separated by white space/);
    expect(() => parse('<r a="<"/>')).toThrow(/'<' in the value/);
    expect(() => parse('<r a=1/>')).toThrow(/malformed attribute/);
    expect(() => parse('<1r/>')).toThrow(/bad element name/);
    expect(() => parse('<r>')).toThrow(/ends inside <r>/);
    expect(() => parse('<r><a')).toThrow(/ends inside markup/);
    expect(() => parse('')).toThrow(/no root element/);
  });

  it('enforces its caps', () => {
    const deep = `${'<a>'.repeat(10)}${'</a>'.repeat(10)}`;
    expect(() => parse(deep, deep.length, { maxDepth: 5 })).toThrow(/nested deeper than 5/);
    expect(() => parse('<r>0123456789</r>', 100, { maxValue: 5 })).toThrow(/text longer than 5/);
    expect(() => parse('<r a="0123456789"/>', 100, { maxValue: 5 })).toThrow(/longer than 5/);
    expect(() => parse('<r a="1" b="2" c="3"/>', 100, { maxAttributes: 2 })).toThrow(
      /more than 2 attributes/,
    );
    expect(() => parse('<r>abc</r>', 2, { maxTotal: 5 })).toThrow(/larger than 5/);
    expect(() => parse(`<r ${'x'.repeat(50)}`, 10, { maxMarkup: 20 })).toThrow(/markup longer than 20/);
  });

  it('uses a prototype-free attribute map (banners cannot pollute Object.prototype)', () => {
    let attrs: Record<string, string> = {};
    const xml = new XmlStream({
      open: (_n, a) => {
        attrs = a;
      },
      close: () => undefined,
      text: () => undefined,
    });
    xml.write('<r __proto__="x" constructor="y"/>');
    xml.end();
    expect(Object.getOwnPropertyDescriptor(attrs, '__proto__')?.value).toBe('x');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(Object.getPrototypeOf(attrs)).toBeNull();
  });
});
