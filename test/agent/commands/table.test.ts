// Plain-text tables: column widths, cutting, alignment, control characters, trailing space.
import { describe, expect, it } from 'vitest';
import { type Column, humanBytes, renderTable } from '../../../agent/commands/table.js';
import { intRng } from '../../../scripts/lib/xorshift.js';

interface Row {
  name: string;
  n: number;
  note: string;
}

const columns: Column<Row>[] = [
  { title: 'NAME', max: 8, value: (r) => r.name },
  { title: 'N', max: 6, align: 'right', value: (r) => String(r.n) },
  { title: 'NOTE', max: 10, value: (r) => r.note },
];

describe('renderTable', () => {
  it('pads left columns, right-aligns numbers and trims the end of each line', () => {
    const text = renderTable<Row>(
      [
        { name: 'plc', n: 5, note: 'ok' },
        { name: 'hmi-two', n: 12345, note: '' },
      ],
      columns,
    );
    expect(text.split('\n')).toEqual(['NAME         N  NOTE', 'plc          5  ok', 'hmi-two  12345']);
  });

  it('cuts long cells with an ellipsis and replaces control characters', () => {
    const text = renderTable<Row>([{ name: 'a-very-long-name', n: 1, note: 'x\u001b[2Jy  ' }], columns);
    expect(text.split('\n')[1]).toBe('a-very-…  1  x [2Jy');
  });

  it('keeps trailing spaces of a right-aligned last column only up to the text', () => {
    const text = renderTable<Row>([{ name: 'a', n: 7, note: '' }], [columns[0]!, columns[1]!]);
    expect(text.split('\n')).toEqual(['NAME  N', 'a     7']);
  });

  it('matches cleaning, cutting and padding each cell on its own, for random cells with control characters', () => {
    // The table cleans whole lines; this reference cleans each cell, as the spec of the table reads.
    const reference = (rows: Row[]): string => {
      const cell = (c: Column<Row>, r: Row) => {
        const v = c.value(r).replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
        return v.length > c.max ? `${v.slice(0, c.max - 1)}…` : v;
      };
      const widths = columns.map((c) => Math.max(c.title.length, ...rows.map((r) => cell(c, r).length)));
      const line = (cells: string[]) =>
        cells
          .map((v, i) =>
            columns[i]!.align === 'right'
              ? v.padStart(widths[i]!)
              : i < cells.length - 1
                ? v.padEnd(widths[i]!)
                : v,
          )
          .join('  ')
          .trimEnd();
      return [
        line(columns.map((c) => c.title)),
        ...rows.map((r) => line(columns.map((c) => cell(c, r)))),
      ].join('\n');
    };
    const rand = intRng(7);
    const alphabet = [
      'a',
      'B',
      ' ',
      '\u0000',
      '\u001b',
      '\t',
      '\n',
      '\u007f',
      '\u0085',
      '\u009f',
      '\u00a0',
      'é',
      '…',
    ];
    const text = () => Array.from({ length: rand(14) }, () => alphabet[rand(alphabet.length)]).join('');
    for (let round = 0; round < 200; round++) {
      const rows = Array.from({ length: 1 + rand(5) }, () => ({ name: text(), n: rand(1e7), note: text() }));
      expect(renderTable(rows, columns), JSON.stringify(rows)).toBe(reference(rows));
    }
  });

  it('renders only the titles for no rows', () => {
    expect(renderTable<Row>([], columns)).toBe('NAME  N  NOTE');
  });
});

describe('humanBytes', () => {
  it('uses binary units with one decimal below 10', () => {
    expect(humanBytes(512)).toBe('512 B');
    expect(humanBytes(1536)).toBe('1.5 KiB');
    expect(humanBytes(20 * 1024 * 1024)).toBe('20 MiB');
  });
});
