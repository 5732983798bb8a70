// Small inline SVG charts of our own (no library, no remote assets): horizontal bars with labels
// and values. Every label goes through `h`, so chart text is escaped like the rest of the page.
import { h, type SafeHtml } from './html-escape.js';

export interface Bar {
  label: string;
  value: number;
  /** Drawn in the accent colour (e.g. foreign countries, high severities). */
  accent?: boolean;
}

const fmt = new Intl.NumberFormat('en-US');

/** Horizontal bar chart; `title` is the accessible name. At most `max` bars, the rest summed as "other". */
export function barChart(
  bars: readonly Bar[],
  options: { title: string; other: string; max?: number; width?: number },
): SafeHtml {
  const max = options.max ?? 10;
  const shown = bars.slice(0, max);
  if (bars.length > max)
    shown.push({ label: options.other, value: bars.slice(max).reduce((n, b) => n + b.value, 0) });
  const width = options.width ?? 640;
  const labelW = 190;
  const valueW = 70;
  const row = 22;
  const plot = width - labelW - valueW;
  const top = Math.max(1, ...shown.map((b) => b.value));
  const height = shown.length * row + 8;
  const rows = shown.map((b, i) => {
    const y = 4 + i * row;
    const w = b.value === 0 ? 0 : Math.max(2, Math.round((b.value / top) * plot));
    return h`<g><text x="${labelW - 8}" y="${y + 15}" text-anchor="end" class="lbl">${truncate(b.label, 28)}</text><rect x="${labelW}" y="${y + 3}" width="${w}" height="${row - 8}" rx="2" class="${b.accent ? 'bar accent' : 'bar'}"></rect><text x="${labelW + w + 6}" y="${y + 15}" class="val">${fmt.format(b.value)}</text></g>`;
  });
  return h`<svg class="chart" role="img" aria-label="${options.title}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><title>${options.title}</title>${rows}</svg>`;
}

function truncate(text: string, n: number): string {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}
