// Plain-text tables for people: fixed columns, cut to a width, wire text already cleaned of
// control characters (core/observation.ts cleanText) so nothing can drive the terminal.

export interface Column<T> {
  title: string;
  max: number;
  value: (row: T) => string;
  align?: 'left' | 'right';
}

export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  // Each cell is made once, cut to its column, and kept until the widths are known (the bench
  // inventory's tables: 4,000 and 7,290 rows of 10 cells, ~1 MB of references). A cut cell is as
  // long as its text, up to the column's max.
  const n = columns.length;
  const widths = columns.map((c) => c.title.length);
  const cells: string[] = new Array(rows.length * n);
  let j = 0;
  for (const r of rows) {
    for (let i = 0; i < n; i++) {
      const c = columns[i]!;
      const v = c.value(r);
      const cell = v.length > c.max ? `${v.slice(0, c.max - 1)}…` : v;
      cells[j++] = cell;
      if (cell.length > widths[i]!) widths[i] = cell.length;
    }
  }
  const right = columns.map((c) => c.align === 'right');
  const pad = Array.from({ length: Math.max(...widths) + 1 }, (_, k) => ' '.repeat(k));
  // One line: cells from `at`, padded to their column (shared runs of spaces, one join: no padded
  // copy per cell). A left-aligned last cell's padding would only be trimmed away: it is not padded.
  const parts: string[] = [];
  const line = (from: readonly string[], at: number): string => {
    parts.length = 0;
    for (let i = 0; i < n; i++) {
      const v = from[at + i]!;
      const gap = widths[i]! - v.length;
      if (i) parts.push('  ');
      if (right[i]) {
        if (gap > 0) parts.push(pad[gap]!);
        parts.push(v);
      } else {
        parts.push(v);
        if (gap > 0 && i < n - 1) parts.push(pad[gap]!);
      }
    }
    return parts.join('');
  };
  // Lines joined a block at a time: a few hundred flat strings instead of one per row.
  const blocks = [
    line(
      columns.map((c) => c.title),
      0,
    ).trimEnd(),
  ];
  let block: string[] = [];
  for (let at = 0; at < j; at += n) {
    block.push(clean(line(cells, at)).trimEnd());
    if (block.length === 256) {
      blocks.push(block.join('\n'));
      block = [];
    }
  }
  if (block.length) blocks.push(block.join('\n'));
  return blocks.join('\n');
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Control characters would move the cursor; they never reach here, but a table must not trust that.
 * Each becomes one space, so a line is cleaned whole (one test per line, not per cell) with the same
 * result as cleaning its cells: padding and separators are spaces, and cut cells keep their length.
 */
function clean(line: string): string {
  return CONTROL.test(line) ? line.replace(CONTROLS, ' ') : line;
}

export function humanBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
