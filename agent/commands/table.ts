// Plain-text tables for people: fixed columns, cut to a width, wire text already cleaned of
// control characters (core/observation.ts cleanText) so nothing can drive the terminal.

export interface Column<T> {
  title: string;
  max: number;
  value: (row: T) => string;
  align?: 'left' | 'right';
}

export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  // Two passes, no array of cells: the bench inventory's tables are 4,000 and 7,290 rows of up to 10
  // cells, printed where analyze's peak RSS is reached, so cells are not held until the widths are
  // known. A cut cell is as long as its text, up to the column's max: the first pass needs lengths.
  const n = columns.length;
  const widths = columns.map((c) => c.title.length);
  for (const r of rows) {
    for (let i = 0; i < n; i++) {
      const len = Math.min(columns[i]!.value(r).length, columns[i]!.max);
      if (len > widths[i]!) widths[i] = len;
    }
  }
  // One line: the titles, or a row's cells cut to their column (no closure per row).
  const line = (cells: readonly string[] | null, r: T | null): string => {
    let text = '';
    for (let i = 0; i < n; i++) {
      const c = columns[i]!;
      const v = cells !== null ? cells[i]! : cut(c.value(r as T), c.max);
      if (i) text += '  ';
      // A left-aligned last cell's padding would only be trimmed away: it is not padded.
      text += c.align === 'right' ? v.padStart(widths[i]!) : i < n - 1 ? v.padEnd(widths[i]!) : v;
    }
    return text.trimEnd();
  };
  // Lines joined a block at a time: a few hundred flat strings instead of one per row.
  const blocks = [
    line(
      columns.map((c) => c.title),
      null,
    ),
  ];
  let block: string[] = [];
  for (const r of rows) {
    block.push(line(null, r));
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
