// CSV export (RFC 4180) of listings. Cells come from the wire (banners, hostnames): a cell that a
// spreadsheet would read as a formula (= + - @, tab, CR) is prefixed with a quote (OWASP "CSV
// injection"), and every cell with a separator, quote or line break is quoted.

export type Cell = string | number | boolean | null | undefined | readonly (string | number)[];

export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let text = typeof value === 'string' ? value : value.join(';');
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(cells: readonly Cell[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** Streams a header and every page of a keyset listing as CSV, one page per event-loop turn. */
export async function* csvPages<T>(
  columns: readonly { name: string; get: (row: T) => Cell }[],
  page: (cursor: string | undefined) => { items: T[]; next: string | null },
): AsyncGenerator<string> {
  yield csvRow(columns.map((c) => c.name));
  let cursor: string | undefined;
  for (;;) {
    const { items, next } = page(cursor);
    let chunk = '';
    for (const row of items) chunk += csvRow(columns.map((c) => c.get(row)));
    if (chunk) yield chunk;
    if (next === null) return;
    cursor = next;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
