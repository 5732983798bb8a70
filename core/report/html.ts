// The printable HTML report: one self-contained page (inline CSS and SVG, no scripts, no remote
// assets, a CSP that forbids both), English or Japanese labels, every string escaped by `h`.
import { localCountryName } from '../vocabulary/countries.js';
import { h, type SafeHtml, trusted } from './html-escape.js';
import { classLabel, kindLabel, type Lang, labels, sectorLabel } from './labels.js';
import type { Summary } from './schema.js';
import { barChart } from './svg-charts.js';

export interface HtmlOptions {
  lang: Lang;
  /** Key id of the signature, shown in the footer (the JSON file carries the signature itself). */
  keyId?: string | null;
  /** Rows per table before "n more not shown" (default 100). */
  maxRows?: number;
}

const CSS = `
:root{--ink:#1b1f24;--muted:#5b6470;--line:#d8dde3;--bar:#6b8fb5;--accent:#c2462e;--bg:#f6f7f9}
*{box-sizing:border-box}
body{font-family:"DejaVu Sans",Arial,"Noto Sans CJK JP","Hiragino Sans","Yu Gothic","IPAPGothic",sans-serif;color:var(--ink);margin:0;padding:24px 32px;font-size:13px;line-height:1.45}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px;padding-bottom:4px;border-bottom:2px solid var(--ink)}h3{font-size:13px;margin:16px 0 6px;color:var(--muted)}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:8px 0}.meta dt{color:var(--muted)}.meta dd{margin:0}
.note{color:var(--muted);font-size:12px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px}
.card{background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:10px}.card b{display:block;font-size:22px}.card span{color:var(--muted);font-size:12px}
table{border-collapse:collapse;width:100%;margin:6px 0 10px;font-size:12px}th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top;overflow-wrap:break-word}
th{background:var(--bg);font-weight:600;white-space:nowrap}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}td.id{white-space:nowrap}td.subj{min-width:11em;max-width:16em;overflow-wrap:anywhere}
.sev-critical,.sev-high{color:var(--accent);font-weight:600}
.chart .lbl,.chart .val{font-size:12px;fill:var(--ink)}.chart .bar{fill:var(--bar)}.chart .bar.accent{fill:var(--accent)}
html:lang(ja) body{font-family:"Noto Sans CJK JP","Hiragino Sans","Yu Gothic","IPAPGothic","IPAGothic","DejaVu Sans",sans-serif}
footer{margin-top:32px;color:var(--muted);font-size:11px;border-top:1px solid var(--line);padding-top:8px}
@page{size:A4;margin:14mm}
@media print{body{padding:0}h2{break-after:avoid}tr,.card,svg{break-inside:avoid}thead{display:table-header-group}}
`;

const num = new Intl.NumberFormat('en-US');

export function renderHtml(s: Summary, options: HtmlOptions): string {
  const L = labels(options.lang);
  const lang = options.lang;
  const maxRows = options.maxRows ?? 100;
  const country = (c: string | null) => (c === null ? L.unknown : `${localCountryName(c, lang)} (${c})`);
  const cls = (c: string | null) => (c === null ? L.unknown : classLabel(c, lang));
  const sev = (x: string) => h`<span class="${`sev-${x}`}">${L[`sev_${x}` as keyof typeof L] ?? x}</span>`;
  const table = <T>(rows: readonly T[], head: SafeHtml, row: (r: T) => SafeHtml): SafeHtml => {
    if (rows.length === 0) return h`<p class="note">${L.none}</p>`;
    const more =
      rows.length > maxRows ? h`<p class="note">${num.format(rows.length - maxRows)} ${L.more}</p>` : h``;
    return h`<table><thead>${head}</thead><tbody>${rows.slice(0, maxRows).map(row)}</tbody></table>${more}`;
  };
  const date = (iso: string | null) =>
    iso === null ? L.unknown : iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
  const foreignVendor = s.devices.byVendorCountry
    .filter((x) => x.foreign === true)
    .reduce((n, x) => n + x.count, 0);
  const cov = s.coverage;

  const header = h`<header><h1>${L.title}</h1><dl class="meta">
<dt>${L.operator}</dt><dd>${s.operator.name} (${s.operator.id})</dd>
<dt>${L.sector}</dt><dd>${s.operator.sector === null ? L.unknown : sectorLabel(s.operator.sector, lang)}</dd>
<dt>${L.homeCountry}</dt><dd>${country(s.operator.homeCountry)}</dd>
<dt>${L.period}</dt><dd>${s.period.label} (${date(s.period.start)} – ${date(s.period.end)}, ${s.period.timeZone})</dd>
<dt>${L.sites}</dt><dd>${s.sites.map((x) => x.name).join(', ') || L.none}</dd>
<dt>${L.policy}</dt><dd>${s.policy.packs.join(', ') || L.none}</dd>
<dt>${L.generated}</dt><dd>${date(s.generatedAt)}</dd></dl><p class="note">${L.signedNote}</p></header>`;

  const card = (value: number | string, label: string) =>
    h`<div class="card"><b>${typeof value === 'number' ? num.format(value) : value}</b><span>${label}</span></div>`;
  const overview = h`<section><h2>${L.overview}</h2><div class="cards">
${card(s.devices.total, L.devices)}${card(foreignVendor, L.foreignVendorDevices)}${card(s.devices.unknownVendorCountry, L.unknownOrigin)}
${card(s.watchlisted.total, L.watchlisted)}${card(s.foreignConnections.total, L.foreignConnections)}${card(s.findings.openAtEnd, L.openFindings)}
${card(cov ? `${cov.agentsReporting} / ${cov.agentsTotal}` : '–', L.agentsReporting)}</div></section>`;

  // Class × country pivot: the eight most common countries as columns, the rest as "other".
  const topCountries = s.devices.byVendorCountry.slice(0, 8).map((x) => x.country);
  const colOf = (c: string | null) => (topCountries.includes(c) ? c : '__other');
  const classes = s.devices.byClass.map((x) => x.class);
  const cell = (k: string, c: string | null | '__other') =>
    s.devices.byClassCountry
      .filter((x) => x.class === k && colOf(x.vendorCountry) === c)
      .reduce((n, x) => n + x.count, 0);
  const hasOther = s.devices.byVendorCountry.length > 8;
  const pivot = classes.length
    ? h`<table><thead><tr><th>${L.class}</th>${topCountries.map((c) => h`<th class="n">${c ?? L.unknown}</th>`)}${hasOther ? h`<th class="n">${L.other}</th>` : ''}<th class="n">${L.total}</th></tr></thead><tbody>${classes.map(
        (k) =>
          h`<tr><td>${cls(k)}</td>${topCountries.map((c) => h`<td class="n">${cell(k, c) || ''}</td>`)}${hasOther ? h`<td class="n">${cell(k, '__other') || ''}</td>` : ''}<td class="n">${s.devices.byClass.find((x) => x.class === k)?.count ?? 0}</td></tr>`,
      )}</tbody></table>`
    : h`<p class="note">${L.none}</p>`;
  const devices = h`<section><h2>${L.devicesByCountry}</h2>${barChart(
    s.devices.byVendorCountry.map((x) => ({
      label: country(x.country),
      value: x.count,
      accent: x.foreign === true,
    })),
    { title: L.devicesByCountry, other: L.other },
  )}<h3>${L.devicesByClassCountry}</h3>${pivot}</section>`;

  const watch = h`<section><h2>${L.watchlisted} (${num.format(s.watchlisted.total)})</h2>${table(
    s.watchlisted.devices,
    h`<tr><th>${L.device}</th><th>${L.site}</th><th>${L.vendor}</th><th>${L.class}</th><th>${L.model}</th><th>${L.firmware}</th><th>${L.lists}</th><th>${L.lastSeen}</th></tr>`,
    (d) =>
      h`<tr><td class="id">${d.device}</td><td class="id">${d.site ?? ''}</td><td>${d.vendor ?? L.unknown} (${d.vendorCountry ?? '?'})</td><td>${cls(d.class)}</td><td>${d.model ?? ''}</td><td>${d.firmware ?? ''}</td><td>${d.watchlists.join(', ')}</td><td>${date(d.lastSeen)}</td></tr>`,
  )}</section>`;

  const fc = s.foreignConnections;
  const connections = h`<section><h2>${L.foreignConnections} (${num.format(fc.total)})</h2>
${barChart(
  fc.byCountry.map((x) => ({ label: country(x.country), value: x.connections, accent: true })),
  { title: L.foreignByCountry, other: L.other },
)}
<p class="note">${L.unknownCountryConnections}: ${num.format(fc.unknownCountry)}</p>
<h3>${L.foreignByKind}</h3>${table(fc.byProviderKind, h`<tr><th>${L.kind}</th><th class="n">${L.connections}</th><th class="n">${L.bytes}</th></tr>`, (x) => h`<tr><td>${kindLabel(x.kind, lang)}</td><td class="n">${num.format(x.connections)}</td><td class="n">${num.format(x.bytes)}</td></tr>`)}
<h3>${L.topConnections}</h3>${table(
    fc.top,
    h`<tr><th>${L.device}</th><th>${L.remote}</th><th>${L.country}</th><th>${L.asn}</th><th>${L.provider}</th><th>${L.names}</th><th class="n">${L.bytes}</th></tr>`,
    (c) =>
      h`<tr><td class="id">${c.device}</td><td class="id">${c.direction === 'inbound' ? '→ ' : ''}${c.remoteIp} ${c.proto}/${c.remotePort ?? c.localPort ?? ''}</td><td>${country(c.country)}</td><td>${c.asn === null ? '' : `AS${c.asn}`} ${c.asOrg ?? ''}</td><td>${c.provider ?? ''} ${c.providerKind ? `(${kindLabel(c.providerKind, lang)})` : ''}</td><td>${c.names.join(', ')}</td><td class="n">${num.format(c.bytes)}</td></tr>`,
  )}</section>`;

  const f = s.findings;
  const findings = h`<section><h2>${L.findings}</h2><div class="cards">${card(f.opened, L.opened)}${card(f.resolved, L.resolved)}${card(f.waived, L.waived)}${card(f.reopened, L.reopened)}${card(f.openAtEnd, L.open)}</div>
<h3>${L.findingsBySeverity}</h3>${barChart(
    f.bySeverity.map((x) => ({
      label: L[`sev_${x.severity}` as keyof typeof L],
      value: x.open,
      accent: x.severity === 'critical' || x.severity === 'high',
    })),
    { title: L.findingsBySeverity, other: L.other },
  )}
<h3>${L.findingsByRule}</h3>${table(
    f.byRule,
    h`<tr><th>${L.rule}</th><th>${L.severity}</th><th class="n">${L.open}</th><th class="n">${L.opened}</th><th class="n">${L.resolved}</th><th class="n">${L.waived}</th></tr>`,
    (r) =>
      h`<tr><td>${r.rule}</td><td>${sev(r.severity)}</td><td class="n">${r.open}</td><td class="n">${r.opened}</td><td class="n">${r.resolved}</td><td class="n">${r.waived}</td></tr>`,
  )}
<h3>${L.openList}</h3>${table(
    f.open,
    h`<tr><th>${L.severity}</th><th>${L.rule}</th><th>${L.subject}</th><th>${L.message}</th></tr>`,
    (x) =>
      h`<tr><td>${sev(x.severity)}</td><td>${x.rule}</td><td class="subj">${x.subject}</td><td>${x.message}</td></tr>`,
  )}
<h3>${L.waiversExpiring}</h3>${table(
    s.waiversExpiring,
    h`<tr><th>${L.until}</th><th class="n">${L.daysLeft}</th><th>${L.rule}</th><th>${L.subject}</th><th>${L.approver}</th><th>${L.reason}</th></tr>`,
    (w) =>
      h`<tr><td>${date(w.until)}</td><td class="n">${w.daysLeft}</td><td>${w.rule}</td><td class="subj">${w.subject}</td><td>${w.approver}</td><td>${w.reason}</td></tr>`,
  )}</section>`;

  const pct = (x: number | null) => (x === null ? '' : `${(x * 100).toFixed(1)} %`);
  const coverage = cov
    ? h`<section><h2>${L.coverage}</h2>${table(
        cov.agents,
        h`<tr><th>${L.agent}</th><th>${L.site}</th><th>${L.lastSeen}</th><th>${L.reporting}</th><th class="n">${L.uptime}</th></tr>`,
        (a) =>
          h`<tr><td>${a.id}</td><td>${a.site}</td><td>${date(a.lastSeen)}</td><td>${a.reporting ? L.yes : L.no}</td><td class="n">${pct(a.uptime)}</td></tr>`,
      )}<h3>${L.gaps}</h3>${table(cov.gaps, h`<tr><th>${L.agent}</th><th>${L.site}</th><th class="n">${L.silentHours}</th></tr>`, (g) => h`<tr><td>${g.agent}</td><td>${g.site}</td><td class="n">${g.silentHours ?? L.unknown}</td></tr>`)}
<h3>${L.silences}</h3><p class="note">${L.silencesNote} ${cov.silenceHours}</p>${table(cov.silences, h`<tr><th>${L.agent}</th><th>${L.site}</th><th>${L.from}</th><th>${L.to}</th><th class="n">${L.silentHours}</th></tr>`, (x) => h`<tr><td>${x.agent}</td><td>${x.site}</td><td>${date(x.from)}</td><td>${x.to === null ? L.stillSilent : date(x.to)}</td><td class="n">${x.hours}</td></tr>`)}
<h3>${L.sitesWithoutAgent}</h3><p>${cov.sitesWithoutReportingAgent.join(', ') || L.none}</p></section>`
    : h`<section><h2>${L.coverage}</h2><p class="note">${L.coverageOffline}</p></section>`;

  const c = s.changes;
  const delta = (label: string, d: { previous: number; current: number }) =>
    h`<tr><td>${label}</td><td class="n">${num.format(d.previous)}</td><td class="n">${num.format(d.current)}</td><td class="n">${d.current - d.previous > 0 ? '+' : ''}${num.format(d.current - d.previous)}</td></tr>`;
  const changes = c
    ? h`<section><h2>${L.changes}</h2><p class="note">${L.previous}: ${c.previousPeriod.label}</p><table><thead><tr><th></th><th class="n">${L.previous}</th><th class="n">${L.current}</th><th class="n">${L.change}</th></tr></thead><tbody>
${delta(L.devices, c.devices)}${delta(L.watchlisted, c.watchlisted)}${delta(L.foreignConnections, c.foreignConnections)}${delta(L.openFindings, c.openFindings)}</tbody></table>
<dl class="meta"><dt>${L.newVendorCountries}</dt><dd>${c.newVendorCountries.map(country).join(', ') || L.none}</dd><dt>${L.goneVendorCountries}</dt><dd>${c.goneVendorCountries.map(country).join(', ') || L.none}</dd><dt>${L.newForeignCountries}</dt><dd>${c.newForeignCountries.map(country).join(', ') || L.none}</dd></dl>
${table(c.byClassCountry, h`<tr><th>${L.class}</th><th>${L.country}</th><th class="n">${L.previous}</th><th class="n">${L.current}</th></tr>`, (x) => h`<tr><td>${cls(x.class)}</td><td>${country(x.vendorCountry)}</td><td class="n">${x.previous}</td><td class="n">${x.current}</td></tr>`)}</section>`
    : h`<section><h2>${L.changes}</h2><p class="note">${L.firstReport}</p></section>`;

  const footer = h`<footer>${L.schema}: ${s.schema} · originmap ${s.generator.version} · ${L.signature}: ${options.keyId ?? L.unsigned}</footer>`;
  const csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
  const page = h`<!DOCTYPE html>
<html lang="${lang}"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${csp}"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${L.title} – ${s.operator.name} – ${s.period.label}</title><style>${trusted(CSS)}</style></head>
<body>${header}${overview}${devices}${watch}${connections}${findings}${coverage}${changes}${footer}</body></html>
`;
  return page.html;
}
