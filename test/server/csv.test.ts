import { describe, expect, it } from 'vitest';
import { csvCell, csvPages, csvRow } from '../../server/csv.js';

describe('csv', () => {
  it('neutralises formula cells and quotes separators (RFC 4180)', () => {
    expect(csvCell('=1+2')).toBe("'=1+2");
    expect(csvCell('+cmd')).toBe("'+cmd");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=x')).toBe("'\t=x");
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=a,"b"')).toBe(`"'=a,""b"""`);
    expect(csvCell(null)).toBe('');
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(['10.0.0.1', '=x'])).toBe('10.0.0.1;=x');
    expect(csvRow(['a', 1, true])).toBe('a,1,true\r\n');
  });

  it('streams every page', async () => {
    const pages = [
      { items: [1, 2], next: 'p2' },
      { items: [3], next: null },
    ];
    let i = 0;
    let out = '';
    for await (const chunk of csvPages([{ name: 'n', get: (x: number) => x }], () => pages[i++]!))
      out += chunk;
    expect(out).toBe('n\r\n1\r\n2\r\n3\r\n');
  });
});
