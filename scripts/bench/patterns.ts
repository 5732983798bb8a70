// `node dist/scripts/bench/patterns.js` (after `npm run build`): what the linear-time regexp engine
// costs against the backtracking one, for docs/benchmarks.md "Pattern engines". Per shipped rule
// pattern on its own examples (median of many runs); identification of every example value
// through the whole rule set; polynomial patterns on hostile text; and a policy with `matches`
// conditions evaluated over generated devices (--devices, default 100000). Medians of --runs.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { compileLinear, LinearPatternError } from '../../core/identify/rules/linear-pattern.js';
import { loadRules } from '../../core/identify/rules/load-rules.js';
import { RuleSet } from '../../core/identify/rules/rule-set.js';
import type { CompiledRule } from '../../core/identify/rules/rule-types.js';
import { evaluate } from '../../core/policy/evaluate.js';
import { policyFromText } from '../../core/policy/packs.js';
import type { Condition, Policy } from '../../core/policy/types.js';
import { generateInventory } from '../lib/inventory-gen.js';

const { values } = parseArgs({
  options: { devices: { type: 'string', default: '100000' }, runs: { type: 'string', default: '7' } },
});
const DEVICES = Number(values.devices);
const RUNS = Number(values.runs);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)]!;
const fmt = (n: number, d = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

/** Median over RUNS of the time one call of `f` takes, in ns, each run `reps` calls. */
function timeNs(f: () => void, reps: number): number {
  const runs: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    for (let k = 0; k < reps; k++) f();
    runs.push(((performance.now() - t) * 1e6) / reps);
  }
  return median(runs);
}

/** A shipped rule compiled for the linear engine, or null when that engine cannot run it. */
function linearRule(rule: CompiledRule): CompiledRule | null {
  try {
    return { ...rule, regex: compileLinear(rule.pattern!, rule.regex!.flags as '' | 'i').regex };
  } catch (err) {
    if (err instanceof LinearPatternError) return null;
    throw err;
  }
}

const shipped = loadRules(undefined, { catalog: null });
const all = shipped.rules();
const patterned = all.filter((r) => r.regex !== null);
const linear = patterned.map((r) => [r, linearRule(r)] as const);
const runnable = linear.filter((p): p is readonly [CompiledRule, CompiledRule] => p[1] !== null);
console.log(
  `shipped patterns: ${patterned.length}; the linear engine runs ${runnable.length}, refuses ${patterned.length - runnable.length}`,
);

// 1. Each pattern on its own examples: typical values of the key it reads.
const perPattern: [number, number][] = [];
for (const [b, l] of runnable) {
  const inputs = b.examples.map((e) => e.value);
  const exec = (re: RegExp) => () => {
    for (const v of inputs) re.exec(v);
  };
  const reps = 2000;
  perPattern.push([
    timeNs(exec(b.regex!), reps) / inputs.length,
    timeNs(exec(l.regex!), reps) / inputs.length,
  ]);
}
const ratios = perPattern.map(([b, l]) => l / b);
console.log(
  '\n| per exec, shipped pattern on its examples | backtracking | linear | linear / backtracking |',
);
console.log('|---|---|---|---|');
for (const [name, p] of [
  ['median pattern', 0.5],
  ['p90 pattern', 0.9],
] as const)
  console.log(
    `| ${name} | ${fmt(
      pct(
        perPattern.map((x) => x[0]),
        p,
      ),
    )} ns | ${fmt(
      pct(
        perPattern.map((x) => x[1]),
        p,
      ),
    )} ns | ${fmt(pct(ratios, p), 1)}x |`,
  );

// 2. Identification: every example value through the whole rule set of its key (first specific
// match, else generic), as the identifier does once per distinct (key, value).
const mixed = new RuleSet(all.map((r) => (r.regex ? (linearRule(r) ?? r) : r)));
const lookups = all.flatMap((r) => r.examples.map((e) => [r.key, e.value] as const));
const identify = (set: RuleSet) => () => {
  for (const [key, value] of lookups) set.hit(key, value);
};
const idB = timeNs(identify(shipped), 20) / lookups.length;
const idL = timeNs(identify(mixed), 20) / lookups.length;
console.log(
  `\nidentification, ${fmt(lookups.length)} example values through their key's rules: backtracking ${fmt(idB / 1000, 1)} us/value, linear ${fmt(idL / 1000, 1)} us/value (the ${patterned.length - runnable.length} refused patterns on backtracking)`,
);

// 3. Polynomial shapes on hostile text: the linear engine's time (the backtracking one's is minutes to hours).
console.log('\n| hostile text | linear engine, ms |');
console.log('|---|---|');
for (const [src, flags, text] of [
  ['\\w*\\w*\\w*x', '', 'a'.repeat(600)],
  ['.*a.*b.*c', 'i', 'a'.repeat(600)],
  ['^(a|a)*$', '', `${'a'.repeat(600)}!`],
  ['.*a.*b.*c.*d', 'i', 'abc'.repeat(1366).slice(0, 4096)],
] as const) {
  const { regex } = compileLinear(src, flags);
  console.log(
    `| \`${src}\` on ${text.length} characters | ${fmt(timeNs(() => regex.test(text), 5) / 1e6, 2)} |`,
  );
}

// 4. A policy's `matches` over generated devices: the linear regexes as loaded, and the same
// patterns on the backtracking engine.
const PATTERNS = [
  '^s7-1[25]00',
  'hikvision|dahua',
  'co\\.,? ?ltd',
  '^(?:win|linux)',
  '^v?\\d+\\.',
  'cam|nvr|dvr',
  'tcp/(?:23|3389)$',
];
const FIELDS = ['model', 'vendor', 'registrant', 'os', 'firmware', 'hostnames', 'services'];
const rulesText = PATTERNS.map(
  (p, k) =>
    `  - id: b.r${k}\n    subject: device\n    severity: low\n    title: t\n    when: { ${FIELDS[k]}: { matches: '${p}' } }\n    message: m\n    sources: s\n`,
).join('');
const policy = policyFromText(
  `policy: b\ntitle: bench\nextends: [jp-espa, ot-baseline]\nsources:\n  s: bench\nrules:\n${rulesText}`,
  'bench.yaml',
);
const backtrackingOf = new Map(PATTERNS.map((p) => [compileLinear(p, 'i').regex.source, new RegExp(p, 'i')]));
const swap = (c: Condition): Condition =>
  c.kind === 'test'
    ? c.value instanceof RegExp
      ? { ...c, value: backtrackingOf.get(c.value.source)! }
      : c
    : c.kind === 'not'
      ? { ...c, item: swap(c.item) }
      : { ...c, items: c.items.map(swap) };
const onBacktracking: Policy = { ...policy, rules: policy.rules.map((r) => ({ ...r, when: swap(r.when) })) };
const matchesOnly = (p: Policy): Policy => ({ ...p, rules: p.rules.filter((r) => r.id.startsWith('b.')) });
const inventory = generateInventory({ seed: 7, devices: DEVICES });
const input = { devices: inventory.devices, connections: inventory.connections };
const evalMs = (p: Policy) => {
  const runs: number[] = [];
  let findings = 0;
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    findings = evaluate(p, input).length;
    runs.push(performance.now() - t);
  }
  return { ms: median(runs), findings };
};
console.log(
  `\n| policy evaluation, ${fmt(inventory.devices.length)} devices, ${fmt(inventory.connections.length)} connections | backtracking | linear | findings |`,
);
console.log('|---|---|---|---|');
for (const [name, b, l] of [
  [`the ${PATTERNS.length} matches rules alone`, matchesOnly(onBacktracking), matchesOnly(policy)],
  [`jp-espa + ot-baseline + those ${PATTERNS.length}`, onBacktracking, policy],
] as const) {
  const rb = evalMs(b);
  const rl = evalMs(l);
  if (rb.findings !== rl.findings) throw new Error(`${name}: ${rb.findings} findings against ${rl.findings}`);
  console.log(`| ${name} | ${fmt(rb.ms)} ms | ${fmt(rl.ms)} ms | ${fmt(rl.findings)} |`);
}
