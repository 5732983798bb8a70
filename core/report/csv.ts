// The summary's tables as CSV files (RFC 4180: CRLF, quotes doubled). Headers are stable English
// keys for machines. Text cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR) are
// prefixed with an apostrophe (OWASP "CSV injection"): wire text must not become a formula.
import type { Summary } from './schema.js';

type Cell = string | number | boolean | null;

function cell(value: Cell): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv(header: string[], rows: Cell[][]): string {
  return `${[header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

/** File name → CSV text. `bom` prepends U+FEFF so spreadsheet software reads UTF-8 (Japanese text). */
export function csvTables(s: Summary, options: { bom?: boolean } = {}): Record<string, string> {
  const out: Record<string, string> = {
    'devices-by-class-country.csv': csv(
      ['class', 'vendor_country', 'count'],
      s.devices.byClassCountry.map((x) => [x.class, x.vendorCountry, x.count]),
    ),
    'devices-by-vendor-country.csv': csv(
      ['vendor_country', 'foreign', 'count'],
      s.devices.byVendorCountry.map((x) => [x.country, x.foreign, x.count]),
    ),
    'watchlisted-devices.csv': csv(
      [
        'device',
        'site',
        'vendor',
        'vendor_country',
        'class',
        'model',
        'firmware',
        'watchlists',
        'first_seen',
        'last_seen',
      ],
      s.watchlisted.devices.map((d) => [
        d.device,
        d.site,
        d.vendor,
        d.vendorCountry,
        d.class,
        d.model,
        d.firmware,
        d.watchlists.join(' '),
        d.firstSeen,
        d.lastSeen,
      ]),
    ),
    'foreign-connections-by-country.csv': csv(
      ['country', 'connections', 'devices', 'bytes'],
      s.foreignConnections.byCountry.map((x) => [x.country, x.connections, x.devices, x.bytes]),
    ),
    'foreign-connections-by-provider-kind.csv': csv(
      ['provider_kind', 'connections', 'bytes'],
      s.foreignConnections.byProviderKind.map((x) => [x.kind, x.connections, x.bytes]),
    ),
    'foreign-connections-top.csv': csv(
      [
        'device',
        'remote_ip',
        'direction',
        'remote_port',
        'local_port',
        'proto',
        'country',
        'asn',
        'as_org',
        'provider',
        'provider_kind',
        'names',
        'bytes',
      ],
      s.foreignConnections.top.map((c) => [
        c.device,
        c.remoteIp,
        c.direction,
        c.remotePort,
        c.localPort,
        c.proto,
        c.country,
        c.asn,
        c.asOrg,
        c.provider,
        c.providerKind,
        c.names.join(' '),
        c.bytes,
      ]),
    ),
    'findings-by-rule.csv': csv(
      ['rule', 'severity', 'open', 'opened', 'resolved', 'waived'],
      s.findings.byRule.map((r) => [r.rule, r.severity, r.open, r.opened, r.resolved, r.waived]),
    ),
    'open-findings.csv': csv(
      ['id', 'rule', 'severity', 'status', 'subject', 'message', 'first_seen'],
      s.findings.open.map((f) => [f.id, f.rule, f.severity, f.status, f.subject, f.message, f.firstSeen]),
    ),
    'waivers-expiring.csv': csv(
      ['finding', 'rule', 'subject', 'until', 'days_left', 'approver', 'reason'],
      s.waiversExpiring.map((w) => [w.finding, w.rule, w.subject, w.until, w.daysLeft, w.approver, w.reason]),
    ),
  };
  if (s.coverage) {
    out['agents.csv'] = csv(
      ['agent', 'site', 'last_seen', 'reporting', 'uptime'],
      s.coverage.agents.map((a) => [a.id, a.site, a.lastSeen, a.reporting, a.uptime]),
    );
    out['agent-silences.csv'] = csv(
      ['agent', 'site', 'from', 'to', 'hours'],
      s.coverage.silences.map((x) => [x.agent, x.site, x.from, x.to, x.hours]),
    );
  }
  if (s.changes)
    out['changes-by-class-country.csv'] = csv(
      ['class', 'vendor_country', 'previous', 'current'],
      s.changes.byClassCountry.map((x) => [x.class, x.vendorCountry, x.previous, x.current]),
    );
  if (options.bom) for (const k of Object.keys(out)) out[k] = `\ufeff${out[k]}`;
  return out;
}
