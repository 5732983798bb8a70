// `originmap report`: a signed regulator summary (JSON, CSV, HTML) from an `analyze --json`
// document, offline; and `originmap report keygen` for the Ed25519 key pair that signs it.
import type { KeyObject } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../core/paths.js';
import { evaluate } from '../../core/policy/evaluate.js';
import { track } from '../../core/policy/lifecycle.js';
import { loadPolicy } from '../../core/policy/packs.js';
import { PolicyError } from '../../core/policy/types.js';
import { SECTORS } from '../../core/policy/vocabulary.js';
import { InputError, parseAnalyzeDocument } from '../../core/report/analyze-input.js';
import { CronError, checkTimeZone, instantsOf, wallOf } from '../../core/report/cron.js';
import { isLang } from '../../core/report/labels.js';
import { produceReport, reportFiles } from '../../core/report/produce.js';
import type { Period } from '../../core/report/schedule.js';
import { type Summary, summaryProblems } from '../../core/report/schema.js';
import {
  generateSigningKeys,
  loadPrivateKey,
  SignatureError,
  verifyDocument,
} from '../../core/report/signing.js';
import { isCountryCode } from '../../core/vocabulary/countries.js';
import { parseCommandArgs } from './args.js';
import { CliError } from './cli-error.js';
import { readCapped } from './read-capped.js';
import { withSafeErrors } from './safe-error.js';

const USAGE = `usage: originmap report <analyze.json> --operator <name> --key <private-key.pem> --out <dir> [options]
       originmap report keygen --out <dir>

Builds the regulator summary for one period from an \`originmap analyze --json\` document: the
signed JSON record (Ed25519 over RFC 8785 canonical JSON), an HTML report and CSV tables.
\`keygen\` writes originmap-report.key (mode 0600) and originmap-report.pub; it never overwrites.

options:
  --operator <name>       operator name (required)
  --operator-id <id>      short id for file names (default: from the name)
  --sector <sector>       one of: ${SECTORS.slice(0, 9).join(', ')},
                          ${SECTORS.slice(9).join(', ')}
  --site <name>           site the capture comes from (default: site)
  --policy <spec>         packs or files to evaluate (default: jp-espa); replaces the input's findings
  --home-country <CC>     ISO 3166-1 alpha-2 (default: the policy's, JP for jp-espa)
  --period <YYYY-MM>      calendar month in --tz (default: the month of the latest device sighting)
  --from <ISO> --to <ISO> an explicit period instead (start inclusive, end exclusive)
  --tz <zone>             IANA time zone of the period (default: UTC)
  --previous <file>       the previous period's summary (verified with the signing key)
  --lang <en|ja>          labels of the HTML report (default: en)
  -k, --key <file>        private key (PEM) from \`originmap report keygen\`
  -o, --out <dir>         output directory (created if missing)
  -h, --help              this help
SOURCE_DATE_EPOCH, when set, fixes the generation time (reproducible output).
`;

const MAX_INPUT_BYTES = 512 * 1024 * 1024;
const KEY_FILE = 'originmap-report.key';
const PUB_FILE = 'originmap-report.pub';

export function run(argv: string[]): Promise<number> {
  return withSafeErrors(() => main(argv));
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'keygen') return keygen(argv.slice(1));
  const args = parseCommandArgs(argv, {
    operator: { type: 'string' },
    'operator-id': { type: 'string' },
    sector: { type: 'string' },
    site: { type: 'string' },
    policy: { type: 'string' },
    'home-country': { type: 'string' },
    period: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    tz: { type: 'string' },
    previous: { type: 'string' },
    lang: { type: 'string' },
    key: { type: 'string', short: 'k' },
    out: { type: 'string', short: 'o' },
  });
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const v = args.values as Record<string, string | undefined>;
  if (args.positionals.length !== 1)
    throw new CliError('name exactly one analyze --json file (try: originmap report --help)');
  for (const need of ['operator', 'key', 'out'] as const)
    if (!v[need]) throw new CliError(`--${need} is required`);
  const lang = v.lang ?? 'en';
  if (!isLang(lang)) throw new CliError(`--lang is en or ja, not '${lang}'`);
  if (v.sector && !(SECTORS as readonly string[]).includes(v.sector))
    throw new CliError(`unknown --sector '${v.sector}' (known: ${SECTORS.join(', ')})`);
  const home = v['home-country'];
  if (home !== undefined && !isCountryCode(home))
    throw new CliError(`--home-country '${home}' is not an ISO 3166-1 alpha-2 code`);
  const tz = v.tz ?? 'UTC';
  try {
    checkTimeZone(tz);
  } catch (err) {
    if (err instanceof CronError) throw new CliError(err.message);
    throw err;
  }

  const key = loadKey(v.key!);
  let input: ReturnType<typeof parseAnalyzeDocument>;
  try {
    input = parseAnalyzeDocument(readCapped(args.positionals[0]!, MAX_INPUT_BYTES, 'input').toString('utf8'));
  } catch (err) {
    if (err instanceof InputError) throw new CliError(`${args.positionals[0]}: ${err.message}`);
    throw err;
  }
  let policy: ReturnType<typeof loadPolicy>;
  try {
    policy = loadPolicy(v.policy ?? 'jp-espa');
  } catch (err) {
    if (err instanceof PolicyError)
      throw new CliError(
        err.problems.length === 1
          ? err.problems[0]!
          : `${err.problems.length} problems in the policy:\n${err.problems.join('\n')}`,
      );
    throw err;
  }
  const homeCountry = home ?? policy.defaults.homeCountry;
  const site = v.site ?? 'site';
  // Offline, a finding counts as opened when its subject was first seen.
  const findings = evaluate(policy, {
    devices: input.devices,
    connections: input.connections,
    context: { site, sector: v.sector ?? null, homeCountry },
  }).map((f) => track(f, new Date(f.firstSeen)));
  const period = choosePeriod(v, tz, input.devices);
  const previous = v.previous ? loadPrevious(v.previous, key) : null;
  const operatorName = v.operator!;
  const report = produceReport(
    {
      operator: {
        id: v['operator-id'] ?? slug(operatorName),
        name: operatorName,
        sector: v.sector ?? null,
        homeCountry,
      },
      period,
      generatedAt: now(),
      generatorVersion: version(),
      policy: policy.sources,
      sites: [{ id: site, name: site }],
      agents: null,
      devices: input.devices,
      connections: input.connections,
      findings,
      previous,
    },
    key,
    { lang },
  );
  const out = v.out!;
  mkdirSync(join(out, 'csv'), { recursive: true });
  for (const f of reportFiles(report, lang)) writeFileSync(join(out, f.path), f.content);
  const s = report.summary;
  process.stdout.write(
    `${join(out, `${report.baseName}.json`)}: ${s.devices.total} devices, ${s.watchlisted.total} watch-listed, ${s.foreignConnections.total} foreign connections, ${s.findings.openAtEnd} open findings; signed by ${report.keyId}\n`,
  );
  return 0;
}

function keygen(argv: string[]): number {
  const args = parseCommandArgs(argv, { out: { type: 'string', short: 'o' } }, false);
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const out = args.values.out;
  if (typeof out !== 'string') throw new CliError('keygen needs --out <dir>');
  mkdirSync(out, { recursive: true });
  const keys = generateSigningKeys();
  const keyPath = join(out, KEY_FILE);
  // 'wx': never overwrite a key that signed earlier reports; mode 0600 from creation, not after.
  writeNew(keyPath, keys.privatePem, 0o600);
  writeNew(join(out, PUB_FILE), keys.publicPem, 0o644);
  process.stdout.write(`${keyPath} (private, mode 0600) and ${join(out, PUB_FILE)}: key ${keys.keyId}\n`);
  return 0;
}

function writeNew(path: string, text: string, mode: number): void {
  let fd: number;
  try {
    fd = openSync(path, 'wx', mode);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(
      code === 'EEXIST'
        ? `${path} exists; refusing to overwrite a signing key`
        : `cannot write ${path}: ${code}`,
    );
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

function loadKey(path: string): KeyObject {
  const st = statSafe(path);
  // Like ssh: a private key others can read is refused (POSIX modes only).
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0)
    throw new CliError(
      `private key ${path} is readable by others (mode ${(st.mode & 0o777).toString(8)}); run chmod 600 ${path}`,
    );
  try {
    return loadPrivateKey(readCapped(path, 64 * 1024, 'key'));
  } catch (err) {
    if (err instanceof SignatureError) throw new CliError(`bad key ${path}: ${err.message}`);
    throw err;
  }
}

function statSafe(path: string) {
  try {
    return statSync(path);
  } catch (err) {
    throw new CliError(
      `cannot read key ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}

function loadPrevious(path: string, key: KeyObject): Summary {
  try {
    const { document } = verifyDocument(readCapped(path, 256 * 1024 * 1024, 'previous summary'), key);
    const problems = summaryProblems(document);
    if (problems.length)
      throw new CliError(`--previous ${path}: not a summary this version reads (${problems[0]})`);
    return document as unknown as Summary;
  } catch (err) {
    if (err instanceof SignatureError)
      throw new CliError(`--previous ${path} does not verify with the signing key: ${err.message}`);
    throw err;
  }
}

function choosePeriod(
  v: Record<string, string | undefined>,
  tz: string,
  devices: { lastSeen: string }[],
): Period {
  if (v.from || v.to) {
    if (!v.from || !v.to || v.period) throw new CliError('give --from and --to together, without --period');
    const [from, to] = [Date.parse(v.from), Date.parse(v.to)];
    if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to)
      throw new CliError('--from and --to must be ISO times with --from before --to');
    const day = (ms: number) => new Date(wallOf(ms, tz)).toISOString().slice(0, 10);
    return {
      start: new Date(from).toISOString(),
      end: new Date(to).toISOString(),
      label: `${day(from)}/${day(to)}`,
      timeZone: tz,
    };
  }
  let year: number;
  let month: number;
  if (v.period) {
    const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(v.period);
    if (!m) throw new CliError(`--period is YYYY-MM, not '${v.period}'`);
    year = Number(m[1]);
    month = Number(m[2]) - 1;
  } else {
    if (devices.length === 0) throw new CliError('the input has no devices: give --period or --from/--to');
    const latest = devices.reduce((a, d) => (d.lastSeen > a ? d.lastSeen : a), devices[0]!.lastSeen);
    const wall = new Date(wallOf(Date.parse(latest), tz));
    year = wall.getUTCFullYear();
    month = wall.getUTCMonth();
  }
  const start = instantsOf(Date.UTC(year, month, 1), tz)[0];
  const end = instantsOf(Date.UTC(year, month + 1, 1), tz)[0];
  if (start === undefined || end === undefined)
    throw new CliError(`the month ${year}-${month + 1} has no midnight on the 1st in ${tz}`);
  return {
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    label: `${year}-${String(month + 1).padStart(2, '0')}`,
    timeZone: tz,
  };
}

function now(): Date {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch === undefined) return new Date();
  if (!/^\d{1,12}$/.test(epoch))
    throw new CliError(`SOURCE_DATE_EPOCH '${epoch}' is not whole seconds since 1970`);
  return new Date(Number(epoch) * 1000);
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'operator'
  );
}

function version(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string })
    .version;
}
