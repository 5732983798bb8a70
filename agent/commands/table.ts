// Plain-text tables for people: fixed columns, cut to a width, wire text already cleaned of
// control characters (core/observation.ts cleanText) so nothing can drive the terminal.

/** How a column looks: its title, its widest cell (longer ones are cut with "…") and its alignment. */
export interface ColumnFormat {
  title: string;
  max: number;
  align?: 'left' | 'right';
}

export interface Column<T> extends ColumnFormat {
  value: (row: T) => string;
}

export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const n = columns.length;
  const cells: string[] = new Array(rows.length * n);
  let j = 0;
  for (const r of rows) for (let i = 0; i < n; i++) cells[j++] = columns[i]!.value(r);
  return renderCells(columns, cells);
}

/** The table of `cells` (see tableLines) as one text. */
export function renderCells(columns: readonly ColumnFormat[], cells: string[]): string {
  const out: string[] = [];
  tableLines(columns, cells, out);
  return out.join('\n');
}

/**
 * Appends the lines of a table to `out` (to be joined by "\n"), titles first: the caller joins its
 * whole text once, with no copy per table or block of lines. The cells are given row after row
 * (`columns.length` to a row) and are cut in place to their column's max. Callers with many rows
 * make their cells in a loop of their own (inventory-text.ts): one function for a table's rows, not
 * a function per column called for every cell (the bench inventory's tables: 4,000 and 7,300 rows
 * of 10 cells).
 */
export function tableLines(columns: readonly ColumnFormat[], cells: string[], out: string[]): void {
  joinLines(columns, cells, cutToColumns(columns, cells), out);
}

// Each loop is a function of its own: V8 compiles a long loop while it runs, and code after the loop
// that had not run yet would send that compiled loop back to the interpreter (and to a recompile).

/** Cuts each cell to its column's max (a cut cell keeps its length); returns each column's width. */
function cutToColumns(columns: readonly ColumnFormat[], cells: string[]): number[] {
  const n = columns.length;
  const widths: number[] = [];
  const max: number[] = [];
  for (const c of columns) {
    widths.push(c.title.length);
    max.push(c.max);
  }
  for (let at = 0; at < cells.length; at += n) {
    for (let i = 0; i < n; i++) {
      let v = cells[at + i]!;
      if (v.length > max[i]!) {
        v = `${v.slice(0, max[i]! - 1)}…`;
        cells[at + i] = v;
      }
      if (v.length > widths[i]!) widths[i] = v.length;
    }
  }
  return widths;
}

/**
 * The lines of the table, each cell padded to its column from shared runs of spaces: the pieces of
 * a line go to one array of fixed length (empty pieces where a cell needs no padding) joined once,
 * so no padded copy is made per cell and the array never grows. A left-aligned last cell's padding
 * would only be trimmed away: it is not padded.
 */
function joinLines(
  columns: readonly ColumnFormat[],
  cells: readonly string[],
  widths: readonly number[],
  out: string[],
): void {
  const n = columns.length;
  const right = columns.map((c) => c.align === 'right');
  const pad = Array.from({ length: Math.max(...widths) + 1 }, (_, k) => ' '.repeat(k));
  const titles = columns.map((c) => c.title);
  // Each cell is three pieces: the separator before it, its left padding and its text, or its text
  // and its right padding.
  const parts: string[] = new Array(3 * n).fill('');
  // The titles are the line before the first row (at = -n).
  for (let at = -n; at < cells.length; at += n) {
    const from = at < 0 ? titles : cells;
    const first = at < 0 ? 0 : at;
    for (let i = 0; i < n; i++) {
      const v = from[first + i]!;
      const gap = widths[i]! - v.length;
      const padding = gap > 0 ? pad[gap]! : '';
      parts[3 * i] = i ? '  ' : '';
      parts[3 * i + 1] = right[i] ? padding : v;
      parts[3 * i + 2] = right[i] ? v : i < n - 1 ? padding : '';
    }
    out.push(clean(parts.join('')).trimEnd());
  }
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
