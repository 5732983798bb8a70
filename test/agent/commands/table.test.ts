// Plain-text tables: column widths, cutting, alignment, control characters, trailing space.
import { describe, expect, it } from 'vitest';
import { type Column, humanBytes, renderTable } from '../../../agent/commands/table.js';

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
