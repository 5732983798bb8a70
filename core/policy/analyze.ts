// What `originmap analyze --policy` needs: findings for an analyze document from a policy spec,
// and a terminal rendering of them. The lead wires these into agent/commands/analyze.ts.
import type { AnalyzeReport, Finding, Severity } from '../inventory.js';
import { evaluate } from './evaluate.js';
import type { EvaluationContext } from './facts.js';
import { loadPolicy, type ResolveOptions } from './packs.js';
import { SEVERITIES } from './types.js';

export interface PolicyRunOptions extends ResolveOptions, EvaluationContext {}

/**
 * Evaluates `spec` ("jp-espa", "./site.yaml", "jp-espa,ot-baseline") over an analyze document.
 * Throws PolicyError (every problem as file:line: message) when the policy does not load.
 */
export function findingsForReport(
  report: Pick<AnalyzeReport, 'devices' | 'connections'>,
  spec: string,
  options: PolicyRunOptions = {},
): Finding[] {
  const policy = loadPolicy(spec, options);
  return evaluate(policy, { devices: report.devices, connections: report.connections, context: options });
}

/** Wire text may carry terminal escapes or bidi overrides: show them as visible placeholders. */
export function terminalSafe(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '\ufffd');
}

const RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

/** Most severe first, then by rule and subject, so runs diff cleanly. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      RANK[a.severity] - RANK[b.severity] ||
      a.rule.localeCompare(b.rule) ||
      a.subject.id.localeCompare(b.subject.id),
  );
}

/** The findings block of `analyze`'s table output: a count line, then one entry per finding. */
export function formatFindings(findings: readonly Finding[], options: { width?: number } = {}): string {
  if (findings.length === 0) return 'findings: none\n';
  const width = Math.max(60, options.width ?? 100);
  const counts = [...SEVERITIES]
    .reverse()
    .map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  const lines = [`findings (${findings.length}): ${counts.join(', ')}`];
  for (const f of sortFindings(findings)) {
    lines.push(`  ${f.severity.toUpperCase().padEnd(8)}  ${f.rule}  ${terminalSafe(f.subject.id)}`);
    for (const line of wrap(terminalSafe(f.message), width - 12)) lines.push(`            ${line}`);
  }
  return `${lines.join('\n')}\n`;
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}
