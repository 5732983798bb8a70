// `originmap scan`: active discovery of an in-scope range (DESIGN.md §4, §6). Prints the inventory
// (a table, or the analyze --json document with --json); progress on stderr when it is a terminal.

import { DataFileError } from '../../core/catalog/yaml-source.js';
import type { Identifier } from '../../core/identify/contracts.js';
import { type LoadedIdentifier, loadIdentifier } from '../../core/identify/load-identifier.js';
import { RuleLoadError } from '../../core/identify/rules/load-rules.js';
import type { AnalyzeReport } from '../../core/inventory.js';
import type { DiscoverResult } from '../active/discover.js';
import { discover } from '../active/discover.js';
import { fragileByClass } from '../active/fragile.js';
import { NmapError } from '../active/nmap-runner.js';
import { listProbesText } from '../active/probe-docs.js';
import { loadProbes, ProbeLoadError } from '../active/probe-loader.js';
import { RateLimitError } from '../active/rate-limit.js';
import { emptyScanConfig, parsePortList, readScanConfig, ScanConfigError } from '../active/scan-config.js';
import { ScopeError } from '../active/scope.js';
import { inventoryFromObservations } from '../observe/inventory-from-observations.js';
import { parseCommandArgs } from './args.js';
import { CliError } from './cli-error.js';
import { jsonText } from './json-output.js';

export const HELP = `usage: originmap scan <targets...> --scope <cidrs> [options]

Active, read-only discovery of in-scope hosts. Targets (CIDRs or addresses) must lie inside the
scope; excluded ranges are never touched. Nothing is sent when a target is out of scope.

  --scope <cidrs>        in-scope networks, comma separated (required, or from --config)
  --exclude <cidrs>      networks and hosts never to touch
  --config <file>        read scope, exclusions, rates and communities from a file's scan: section
  --safe                 identity reads only (the default for hosts that answer an industrial read)
  --nmap                 run the real nmap (-sV and the ICS scripts) instead of the native probes
  --ports <list>         TCP ports to check instead of the default list (e.g. 80,443,8000-8010)
  --rate <pps>           packets per second for the whole scan (default 1000)
  --host-rate <pps>      packets per second per host (default 40)
  --community <c>        SNMP community to try (repeatable; default public)
  --max-hosts <n>        refuse targets that expand to more addresses (default 65536)
  --timeout <seconds>    stop the scan after this long
  --json                 print the inventory document (as analyze --json)
  --list-probes          list every probe, what it sends and why it is read-only, then exit
`;

const OPTIONS = {
  scope: { type: 'string' },
  exclude: { type: 'string' },
  config: { type: 'string' },
  safe: { type: 'boolean' },
  nmap: { type: 'boolean' },
  ports: { type: 'string' },
  rate: { type: 'string' },
  'host-rate': { type: 'string' },
  community: { type: 'string', multiple: true },
  'max-hosts': { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean' },
  'list-probes': { type: 'boolean' },
} as const;

function positiveInt(name: string, text: string | undefined, max: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,9}$/.test(text) || Number(text) < 1 || Number(text) > max) {
    throw new CliError(`--${name} must be an integer in 1..${max}`);
  }
  return Number(text);
}

export async function run(argv: string[]): Promise<number> {
  const args = parseCommandArgs(argv, OPTIONS);
  if (args.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const v = args.values;
  try {
    const probes = loadProbes();
    if (v['list-probes']) {
      process.stdout.write(listProbesText(probes));
      return 0;
    }
    const config = typeof v.config === 'string' ? readScanConfig(v.config) : emptyScanConfig();
    const list = (text: unknown) => (typeof text === 'string' ? text.split(/[\s,]+/).filter(Boolean) : []);
    if (v.scope !== undefined) config.scope = list(v.scope);
    if (v.exclude !== undefined) config.exclude = [...config.exclude, ...list(v.exclude)];
    if (v.safe) config.safe = true;
    if (v.nmap) config.nmap = true;
    if (typeof v.ports === 'string') config.ports = parsePortList(v.ports);
    config.limits.overallPps =
      positiveInt('rate', v.rate as string | undefined, 100_000) ?? config.limits.overallPps;
    config.limits.perHostPps =
      positiveInt('host-rate', v['host-rate'] as string | undefined, 100_000) ?? config.limits.perHostPps;
    if (Array.isArray(v.community) && v.community.length) config.communities = v.community as string[];
    config.maxHosts =
      positiveInt('max-hosts', v['max-hosts'] as string | undefined, 16_777_216) ?? config.maxHosts;
    config.timeoutSeconds =
      positiveInt('timeout', v.timeout as string | undefined, 86_400) ?? config.timeoutSeconds;
    const targets = args.positionals.length ? args.positionals : config.targets;
    if (!targets.length) throw new CliError('no targets: give CIDRs or addresses to scan (see --help)');
    if (!config.scope.length)
      throw new CliError('no scope: give --scope <cidrs> or a --config file with scan.scope');

    const engine = scanIdentifier();
    const tty = process.stderr.isTTY === true;
    const controller = new AbortController();
    const onSigint = () => controller.abort(new Error('interrupted'));
    process.once('SIGINT', onSigint);
    let result: Awaited<ReturnType<typeof discover>>;
    try {
      result = await discover({
        targets,
        config,
        probes,
        signal: controller.signal,
        onProgress: (text) => {
          if (tty) process.stderr.write(`\r\x1b[Kscan: ${text}`);
        },
        onWarning: (line) => process.stderr.write(`${tty ? '\r\x1b[K' : ''}nmap: ${line}\n`),
        fragile: fragileByClass(engine),
      });
    } finally {
      process.off('SIGINT', onSigint);
      if (tty) process.stderr.write('\r\x1b[K');
    }
    const report = scanInventory(result, engine);
    if (v.json) process.stdout.write(jsonText(report));
    else process.stdout.write(table(report, result.engine));
    return result.stats.aborted ? 130 : 0;
  } catch (err) {
    if (
      err instanceof ScopeError ||
      err instanceof ScanConfigError ||
      err instanceof RateLimitError ||
      err instanceof ProbeLoadError
    ) {
      throw new CliError(err.message);
    }
    if (err instanceof NmapError) throw new CliError(err.message, 1);
    throw err;
  }
}

let identifier: LoadedIdentifier | null = null;

/**
 * The identification engine, as analyze uses it (the shipped signatures): it decides the identities
 * in the report and, during the scan, which hosts are plc/rtu/ied/hmi and get the safe profile.
 */
export function scanIdentifier(): LoadedIdentifier {
  if (identifier) return identifier;
  try {
    identifier = loadIdentifier();
    return identifier;
  } catch (err) {
    if (err instanceof RuleLoadError || err instanceof DataFileError) throw new CliError(err.message);
    throw err;
  }
}

/** The same inventory document analyze prints, built from the scan's observations. */
export function scanInventory(result: DiscoverResult, engine: Identifier | null): AnalyzeReport {
  const report = inventoryFromObservations(result.observations, { identifier: engine });
  const s = result.stats;
  report.stats = {
    ...report.stats,
    packets: s.packets,
    durationMs: s.durationMs,
    skipped: { ...report.stats.skipped, excluded: s.excluded, self: s.skippedSelf },
    anomalies: { ...report.stats.anomalies, ...s.anomalies },
  };
  return report;
}

const SHOWN = [
  'modbus.vendor',
  'modbus.product_code',
  's7.order_number',
  's7.module_name',
  'enip.product_name',
  'bacnet.vendor_name',
  'bacnet.model_name',
  'fins.model',
  'snmp.sys_descr',
  'ssh.banner',
  'http.server',
  'http.title',
  'tls.cert_subject_cn',
  'ssdp.server',
  'mdns.name',
  'nmap.mac_vendor',
  'nmap.product',
];

function table(report: AnalyzeReport, engine: string): string {
  const lines = [
    `${report.devices.length} device(s) found (${engine} scan, ${report.stats.durationMs} ms)`,
    '',
  ];
  for (const d of report.devices) {
    lines.push(`${d.ips.join(', ') || '?'}  ${d.mac ?? '(no MAC: routed)'}  ${d.services.join(' ')}`);
    const who = [
      d.vendor ? `${d.vendor}${d.vendorCountry ? ` (${d.vendorCountry})` : ''}` : 'vendor unknown',
      d.class,
      d.model,
    ]
      .filter(Boolean)
      .join(', ');
    lines.push(
      `  ${who}${d.registrant ? `; MAC registrant ${d.registrant} (${d.registrantCountry ?? '?'})` : ''}`,
    );
    const facts = d.observations
      .filter((o) => SHOWN.includes(o.key))
      .sort((a, b) => SHOWN.indexOf(a.key) - SHOWN.indexOf(b.key))
      .slice(0, 6);
    for (const f of facts) lines.push(`    ${f.key}: ${String(f.value).slice(0, 100)}`);
  }
  lines.push(
    '',
    'identity (vendor, model, class, origin) is decided by the identification engine: see --json reasons',
  );
  return `${lines.join('\n')}\n`;
}
