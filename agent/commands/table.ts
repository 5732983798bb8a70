// Plain-text tables for people: fixed columns, cut to a width, wire text already cleaned of
// control characters (core/observation.ts cleanText) so nothing can drive the terminal.

export interface Column<T> {
  title: string;
  max: number;
  value: (row: T) => string;
  align?: 'left' | 'right';
}

export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  // Loops rather than map/spread: a bench inventory is 72,905 rows × 10 cells, and Math.max(...cells)
  // over that many arguments, or an array per row, costs more than the rest of the table.
  const n = columns.length;
  const cells: string[] = new Array(rows.length * n);
  const widths = columns.map((c) => c.title.length);
  let at = 0;
  for (const r of rows) {
    for (let i = 0; i < n; i++) {
      const cell = cut(columns[i]!.value(r), columns[i]!.max);
      if (cell.length > widths[i]!) widths[i] = cell.length;
      cells[at++] = cell;
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
  const lines = [line((i) => columns[i]!.title)];
  for (let row = 0; row < rows.length; row++) lines.push(line((i) => cells[row * n + i]!));
  return lines.join('\n');
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
