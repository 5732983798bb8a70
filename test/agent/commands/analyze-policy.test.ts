// Acceptance, end to end on the real capture: `originmap analyze <s7comm capture> --policy jp-espa`
// reports the Siemens CPU as foreign-vendor equipment in a critical class. It needs the analyze
// command (lead) and identification (ident branches) merged, and the shared corpus; until then it
// skips, saying which piece is missing.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';

const capture = new URL('../../../../shared/corpus/iti__s7comm_reading_plc_status.pcap', import.meta.url);
const identification = new URL('../../../core/identify/load-identifier.ts', import.meta.url);
const missing = !existsSync(capture)
  ? 'the shared corpus (../shared/corpus)'
  : !existsSync(identification)
    ? 'the identification engine (core/identify/load-identifier.ts)'
    : null;
if (missing) console.warn(`skipping analyze --policy acceptance: ${missing} is not here`);

describe.skipIf(missing !== null)('analyze --policy jp-espa on iti__s7comm_reading_plc_status.pcap', () => {
  it('reports the Siemens CPU as foreign-vendor equipment in a critical class, with the reason', async () => {
    const r = await runCli(['analyze', capture.pathname, '--policy', 'jp-espa', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as {
      findings: { rule: string; subject: { id: string }; message: string; facts: Record<string, unknown> }[];
    };
    const f = doc.findings.find(
      (x) => x.rule === 'jp-espa.foreign-vendor-critical-class' && x.subject.id === 'mac:00:1b:1b:23:eb:3b',
    );
    expect(f).toBeDefined();
    expect(f!.facts).toMatchObject({
      vendor: 'Siemens',
      vendorCountry: 'DE',
      class: 'plc',
      vendorForeign: true,
    });
    expect(f!.message).toMatch(/^Siemens \(DE\) plc .* is equipment of a foreign vendor in a critical class/);
  });
});
