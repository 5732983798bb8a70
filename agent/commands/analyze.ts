// `originmap analyze <capture...>`: read pcap/pcapng files and print the inventory.
import { DataFileError } from '../../core/catalog/yaml-source.js';
import { createGeoLookup } from '../../core/geo/geo-lookup.js';
import { GeoDataError } from '../../core/geo/mmdb-source.js';
import { type LoadedIdentifier, loadIdentifier } from '../../core/identify/load-identifier.js';
import { RuleLoadError } from '../../core/identify/rules/load-rules.js';
import { parseCidrList } from '../../core/net/cidr.js';
import { PolicyError } from '../../core/policy/types.js';
import { loadShippedSignatures } from '../../core/signatures/shipped.js';
import { isCountryCode } from '../../core/vocabulary/countries.js';
import { analyzeCaptures } from '../analyze.js';
import { CaptureFormatError } from '../capture/types.js';
import { DEFAULT_MAX_FLOWS } from '../observe/flow-table.js';
import { parseCommandArgs } from './args.js';
import { CliError } from './cli-error.js';
import { inventoryText } from './inventory-text.js';
import { jsonText } from './json-output.js';
import { ProgressLine } from './progress.js';

const HELP = `usage: originmap analyze <capture...> [options]

Reads pcap and pcapng files (the format is taken from the file's magic bytes, never its
name), fingerprints every device seen, and prints the inventory and the external connections.
Several files merge into one inventory.

options:
  --json               print one JSON document {devices, connections, findings, stats}
  --policy <spec>      evaluate a policy: a shipped pack (jp-espa, us-ndaa-889,
                       fcc-covered-list, ot-baseline), a YAML file, or several, comma separated
  --home-country <cc>  the operator's country (ISO 3166 alpha-2) for "foreign" in policies
                       (default: the pack's own, e.g. JP for jp-espa)
  --ot-net <cidrs>     networks that are OT segments (for ot-baseline)
  --unknown            list banners, DHCP fingerprints and other values no rule knows, as rule
                       stubs ready to paste into signatures/rules/<key>.yaml
  --rules <dir>        identification rules folder (default: the shipped signatures/rules)
  --home-net <cidrs>   more networks that are yours (comma separated); private, loopback,
                       link-local and multicast ranges are always local
  --max-flows <n>      flows held at once before the least recently used is finished (${DEFAULT_MAX_FLOWS})
  --stream-bytes <n>   bytes of each TCP direction kept for the decoders (4096)
  --geo-country <mmdb> a MaxMind-format country database instead of the packaged one
  --geo-asn <mmdb>     a MaxMind-format ASN database instead of the packaged one
  --upload <url>       send the inventory to a collector as the agent whose token is given by
                       --token-file <file> (a bare token or the agent's credentials file) or
                       the ORIGINMAP_TOKEN variable; the site's networks count as home networks
  --insecure-http      allow --upload over plain http to a collector not on this machine
  --quiet              no progress line on stderr
  -h, --help           this help
`;

export async function run(argv: string[]): Promise<number> {
  const args = parseCommandArgs(argv, {
    json: { type: 'boolean' },
    policy: { type: 'string' },
    'home-country': { type: 'string' },
    'ot-net': { type: 'string', multiple: true },
    unknown: { type: 'boolean' },
    rules: { type: 'string' },
    'home-net': { type: 'string', multiple: true },
    'max-flows': { type: 'string' },
    'stream-bytes': { type: 'string' },
    'geo-country': { type: 'string' },
    'geo-asn': { type: 'string' },
    quiet: { type: 'boolean' },
    upload: { type: 'string' },
    'token-file': { type: 'string' },
    'insecure-http': { type: 'boolean' },
  });
  if (args.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (args.positionals.length === 0)
    throw new CliError('no capture file given (try: originmap analyze --help)');
  const homeNets = ((args.values['home-net'] as string[] | undefined) ?? []).flatMap((text) => {
    try {
      return parseCidrList(text);
    } catch (err) {
      throw new CliError(`--home-net: ${(err as Error).message}`);
    }
  });
  // The collector is asked first: a wrong token or URL fails before minutes of reading.
  const uploadUrl = args.values.upload as string | undefined;
  // Loaded only for --upload: its wire schemas (TypeBox) cost ~0.4 s of CPU and ~25 MB of RSS.
  const upload = uploadUrl ? await import('./upload-report.js') : null;
  const target =
    upload && uploadUrl
      ? upload.uploadTarget(
          uploadUrl,
          args.values['token-file'] as string | undefined,
          process.env,
          args.values['insecure-http'] === true,
        )
      : null;
  const settings = upload && target ? await upload.agentSettings(target) : null;
  if (settings) homeNets.push(...siteNets(settings.homeNet));
  const progress = !args.values.quiet && process.stderr.isTTY ? new ProgressLine(process.stderr) : null;
  const countryMmdb = args.values['geo-country'] as string | undefined;
  const asnMmdb = args.values['geo-asn'] as string | undefined;
  const identifier = loadIdentifierOrExplain(args.values.rules as string | undefined);
  const geo = createGeoLookup({ countryMmdb, asnMmdb, providers: loadShippedSignatures().providers });
  let report: ReturnType<typeof analyzeCaptures>;
  try {
    // The data loads on first use; a user's file is opened now so a bad one fails before the capture is read.
    if (countryMmdb || asnMmdb) geo.lookup('1.1.1.1');
    report = analyzeCaptures(args.positionals, {
      homeNets,
      geo,
      identifier,
      // The text table prints no observations; JSON, --unknown and --upload read them.
      observations: args.values.json === true || args.values.unknown === true || upload !== null,
      engine: {
        maxFlows: intOption(args.values['max-flows'], '--max-flows', 16, 16_777_216),
        streamBytes: intOption(args.values['stream-bytes'], '--stream-bytes', 64, 1_048_576),
      },
      onProgress: progress
        ? (i, read, total, packets) =>
            progress.update(`${args.positionals[i]}: ${pct(read, total)} ${packets} packets`)
        : undefined,
    });
  } catch (err) {
    progress?.clear();
    if (err instanceof CaptureFormatError || err instanceof RangeError || err instanceof GeoDataError) {
      throw new CliError(err.message);
    }
    throw err;
  }
  progress?.clear();
  const policy = args.values.policy as string | undefined;
  // Policies and --unknown load their modules only when asked for (~10 modules fewer at start).
  const policies = policy ? await import('../../core/policy/analyze.js') : null;
  if (policy && policies) report.findings = evaluatePolicy(policies, report, policy, args.values);
  let text = args.values.json ? jsonText(report) : inventoryText(report);
  if (policies && !args.values.json)
    text += `\n${policies.formatFindings(report.findings, { width: process.stdout.columns })}`;
  if (args.values.unknown) {
    const { formatUnknownRules, unknownValues } = await import('../../core/identify/unknown.js');
    const { values, omitted } = unknownValues(report.devices, identifier.rules);
    text = args.values.json ? text : `${text}\n`;
    text += formatUnknownRules(values, omitted);
  }
  process.stdout.write(text);
  if (upload && target && settings) {
    const totals = await upload.uploadReport(report, target, settings, (done, total) =>
      progress?.update(`uploading: batch ${done} of ${total}`),
    );
    progress?.clear();
    const again = totals.duplicates ? `, ${totals.duplicates} already there` : '';
    const skipped = totals.skipped ? `, ${totals.skipped} facts left out by the collector` : '';
    process.stderr.write(
      `uploaded ${totals.devices} devices and ${totals.connections} connections in ${totals.batches} batches as agent ${settings.agentId}${again}${skipped}\n`,
    );
  }
  return 0;
}

/** The site's networks from the collector; one it cannot parse is reported, not guessed at. */
function siteNets(cidrs: readonly string[]) {
  try {
    return parseCidrList(cidrs.join(','));
  } catch (err) {
    throw new CliError(`--upload: the collector's home networks for this site: ${(err as Error).message}`);
  }
}

/** The shipped (or given) signatures; a broken file stops with every problem listed, file:line. */
function loadIdentifierOrExplain(rulesDir: string | undefined): LoadedIdentifier {
  try {
    return rulesDir ? loadIdentifier(rulesDir) : loadIdentifier();
  } catch (err) {
    if (err instanceof RuleLoadError || err instanceof DataFileError) throw new CliError(err.message);
    throw err;
  }
}

function evaluatePolicy(
  { findingsForReport }: typeof import('../../core/policy/analyze.js'),
  report: ReturnType<typeof analyzeCaptures>,
  spec: string,
  values: Record<string, unknown>,
) {
  const home = values['home-country'] as string | undefined;
  if (home !== undefined && !isCountryCode(home))
    throw new CliError(`--home-country: '${home}' is not an ISO 3166 alpha-2 code`);
  const otNetworks = ((values['ot-net'] as string[] | undefined) ?? []).flatMap((t) =>
    t.split(',').filter(Boolean),
  );
  try {
    parseCidrList(otNetworks.join(','));
  } catch (err) {
    throw new CliError(`--ot-net: ${(err as Error).message}`);
  }
  try {
    return findingsForReport(report, spec, {
      homeCountry: home,
      otNetworks: otNetworks.length ? otNetworks : undefined,
    });
  } catch (err) {
    // Every problem of a bad policy file, one per line (file:line: message); the first line says what failed.
    if (err instanceof PolicyError) throw new CliError(err.message);
    throw err;
  }
}

function intOption(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  // Decimal digits only: Number() also takes '0x10', '1e3', ' 5 ' and '' (0).
  const n = typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max)
    throw new CliError(`${name}: expected an integer from ${min} to ${max}`);
  return n;
}

function pct(read: number, total: number): string {
  return total > 0 ? `${Math.floor((100 * read) / total)}%` : '';
}
