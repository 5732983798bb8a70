// Plain-text tables for people: fixed columns, cut to a width, wire text already cleaned of
// control characters (core/observation.ts cleanText) so nothing can drive the terminal.

export interface Column<T> {
  title: string;
  max: number;
  value: (row: T) => string;
  align?: 'left' | 'right';
}

export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  // Two passes, no array of cells: a bench inventory is 72,905 rows × 10 cells, and holding them
  // (or a string per line) until the widths are known added ~11 MB to analyze's peak RSS. A cut
  // cell is as long as its text, up to the column's max, so the first pass needs only lengths.
  const n = columns.length;
  const widths = columns.map((c) => c.title.length);
  for (const r of rows) {
    for (let i = 0; i < n; i++) {
      const len = Math.min(columns[i]!.value(r).length, columns[i]!.max);
      if (len > widths[i]!) widths[i] = len;
    }
  }
  const line = (cell: (i: number) => string) => {
    let text = '';
    for (let i = 0; i < n; i++) {
      const v = cell(i);
      text +=
        (i ? '  ' : '') + (columns[i]!.align === 'right' ? v.padStart(widths[i]!) : v.padEnd(widths[i]!));
    }
    return text.trimEnd();
  };
  // Lines joined a block at a time: a few hundred flat strings instead of one per row.
  const blocks = [line((i) => columns[i]!.title)];
  let block: string[] = [];
  for (const r of rows) {
    block.push(line((i) => cut(columns[i]!.value(r), columns[i]!.max)));
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

function cut(text: string, max: number): string {
  // Control characters would move the cursor; they never reach here, but a table must not trust that.
  const clean = CONTROL.test(text) ? text.replace(CONTROLS, ' ') : text;
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
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
