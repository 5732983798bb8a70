// `originmap verify <report.json> --key <public.pem>`: checks a signed summary offline. One line
// out either way; exit 0 when the exact bytes are what the key signed, 1 on any change, 2 on bad use.
import { terminalSafe } from '../../core/policy/analyze.js';
import { summaryProblems } from '../../core/report/schema.js';
import { loadPublicKey, SignatureError, verifyDocument } from '../../core/report/signing.js';
import { parseCommandArgs } from './args.js';
import { CliError } from './cli-error.js';
import { readCapped } from './read-capped.js';
import { withSafeErrors } from './safe-error.js';

const USAGE = `usage: originmap verify <summary.json> --key <public-key.pem>

Checks a regulator summary made by \`originmap report\` or the collector, offline: the Ed25519
signature over its canonical JSON (RFC 8785) and that the file is byte for byte what was signed.
Prints one line. Exit status: 0 verified, 1 changed or not signed by this key, 2 bad usage.

options:
  -k, --key <file>   the signer's public key (PEM, SPKI), e.g. originmap-report.pub
  -h, --help         this help
`;

/** Summaries are megabytes at most; refuse anything far larger before reading it. */
const MAX_REPORT_BYTES = 256 * 1024 * 1024;
const MAX_KEY_BYTES = 64 * 1024;

export function run(argv: string[]): Promise<number> {
  return withSafeErrors(() => main(argv));
}

async function main(argv: string[]): Promise<number> {
  const args = parseCommandArgs(argv, { key: { type: 'string', short: 'k' } });
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args.positionals.length !== 1)
    throw new CliError('name exactly one summary file (try: originmap verify --help)');
  const keyPath = args.values.key;
  if (typeof keyPath !== 'string') throw new CliError('--key <public-key.pem> is required');
  const file = args.positionals[0]!;
  let key: ReturnType<typeof loadPublicKey>;
  try {
    key = loadPublicKey(readCapped(keyPath, MAX_KEY_BYTES, 'key'));
  } catch (err) {
    if (err instanceof SignatureError) throw new CliError(`bad key ${keyPath}: ${err.message}`);
    throw err;
  }
  const bytes = readCapped(file, MAX_REPORT_BYTES, 'summary');
  let verified: ReturnType<typeof verifyDocument>;
  try {
    verified = verifyDocument(bytes, key);
  } catch (err) {
    if (err instanceof SignatureError) throw new CliError(`FAILED ${file}: ${err.message}`, 1);
    throw err;
  }
  const problems = summaryProblems(verified.document);
  if (problems.length)
    throw new CliError(
      `FAILED ${file}: signed, but not an originmap summary this version reads (${problems[0]})`,
      1,
    );
  const doc = verified.document as { operator: { name: string }; period: { label: string } };
  const line = terminalSafe(
    `OK ${file}: ${doc.operator.name}, period ${doc.period.label}, signed by ${verified.keyId}`,
  );
  process.stdout.write(`${line}\n`);
  return 0;
}
