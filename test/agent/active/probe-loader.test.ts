import { describe, expect, it } from 'vitest';
import { loadProbes, ProbeLoadError, parseProbeFile } from '../../../agent/active/probe-loader.js';

function problemsOf(text: string): string[] {
  const problems: string[] = [];
  parseProbeFile(text, 'x.yaml', problems);
  return problems;
}

describe('probe definitions in signatures/probes', () => {
  const probes = loadProbes();

  it('load without problems and have unique ids', () => {
    expect(probes.length).toBeGreaterThan(15);
    expect(new Set(probes.map((p) => p.id)).size).toBe(probes.length);
  });

  it('give every probe its read-only justification and source', () => {
    for (const p of probes) {
      expect(p.readOnly.length, p.id).toBeGreaterThan(30);
      expect(p.source.length, p.id).toBeGreaterThan(4);
    }
  });

  it('mark every industrial probe safe (identity reads only)', () => {
    for (const p of probes.filter((p) => p.industrial)) expect(p.safe, p.id).toBe(true);
  });

  it('build payloads from the spec: S7 TPKT lengths and Modbus MBAP lengths match the bytes', () => {
    for (const p of probes) {
      for (const step of p.steps) {
        for (const payload of step.send) {
          if (!payload.bytes) continue;
          const b = payload.bytes;
          if (p.framing === 'tpkt') expect((b[2]! << 8) | b[3]!, p.id).toBe(b.length);
          if (p.framing === 'mbap') expect(((b[4]! << 8) | b[5]!) + 6, p.id).toBe(b.length);
          if (p.framing === 'enip') expect(b[2]! | (b[3]! << 8), p.id).toBe(b.length - 24);
          if (p.decoder === 'bacnet') expect((b[2]! << 8) | b[3]!, p.id).toBe(b.length);
        }
      }
    }
  });

  it('record the {srcnode} offset of the FINS source node', () => {
    const fins = probes.find((p) => p.id === 'fins-controller-data')!;
    expect(fins.steps[0]!.send[0]!.srcNodeAt).toEqual([7]);
  });
});

describe('parseProbeFile', () => {
  it('reports every problem with its line, not only the first', () => {
    const problems = problemsOf(
      [
        'probes:',
        '  - id: Bad_Id', // 2
        '    title: t',
        '    kind: request',
        '    transport: tcp',
        '    ports: [0, 80, 80]', // 6
        '    safe: yes please', // 7
        '    decoder: http',
        '    framing: smoke', // 9
        '    steps:',
        '      - send: { hex: "0g" }', // 11
        '    readOnly: r',
        '    source: s',
        '    colour: red', // 14
      ].join('\n'),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^x\.yaml:14: unknown key 'colour'/),
        expect.stringMatching(/^x\.yaml:2: id 'Bad_Id' is not kebab-case/),
        expect.stringMatching(/^x\.yaml:7: 'safe' must be true or false/),
        expect.stringMatching(/^x\.yaml:9: framing 'smoke'/),
        expect.stringMatching(/^x\.yaml:6: port must be 1\.\.65535/),
        expect.stringMatching(/^x\.yaml:6: port 80 listed twice/),
        expect.stringMatching(/^x\.yaml:11: hex must be/),
      ]),
    );
  });

  it('checks what each kind needs', () => {
    const base = [
      'probes:',
      '  - id: a',
      '    title: t',
      '    safe: true',
      '    readOnly: r',
      '    source: s',
    ];
    expect(
      problemsOf([...base, '    kind: banner', '    transport: tcp', '    ports: [22]'].join('\n')),
    ).toEqual(['x.yaml:2: kind banner needs decoder']);
    expect(
      problemsOf(
        [...base, '    kind: snmp', '    transport: udp', '    ports: [161]', '    decoder: snmp'].join('\n'),
      ),
    ).toEqual(['x.yaml:2: kind snmp needs oids']);
    expect(problemsOf([...base, '    kind: arp', '    ports: [1]'].join('\n'))).toEqual([
      'x.yaml:2: arp takes no ports',
    ]);
  });

  it('refuses unknown placeholders and odd hex', () => {
    const text = (payload: string) =>
      [
        'probes:',
        '  - id: a',
        '    title: t',
        '    kind: request',
        '    transport: tcp',
        '    ports: [80]',
        '    safe: false',
        '    decoder: http',
        '    framing: http',
        '    steps:',
        `      - send: ${payload}`,
        '    readOnly: r',
        '    source: s',
      ].join('\n');
    expect(problemsOf(text('{ text: "GET {path}" }'))).toEqual([
      'x.yaml:11: unknown placeholder {path} (allowed: {ip} {host} {port})',
    ]);
    expect(problemsOf(text('{ hex: "abc" }'))).toEqual(['x.yaml:11: hex has an odd number of digits (3)']);
    expect(problemsOf(text('{ hex: "ab", text: "x" }'))).toEqual([
      'x.yaml:11: a payload has exactly one of hex or text',
    ]);
    expect(problemsOf(text('{ text: "GET / HTTP/1.0\\r\\nHost: {host}\\r\\n\\r\\n" }'))).toEqual([]);
  });

  it('reports YAML syntax errors and duplicate keys with their line', () => {
    expect(problemsOf('probes:\n  - id: a\n    id: b\n')[0]).toMatch(/^x\.yaml:3: /);
    expect(problemsOf('probes: [\n')[0]).toMatch(/^x\.yaml:\d+: /);
    expect(problemsOf('stuff: 1\nprobes: []\n')).toEqual(["x.yaml:1: unknown top-level key 'stuff'"]);
  });

  it('throws one error naming all problems when a folder fails', () => {
    const err = new ProbeLoadError(['a.yaml:1: x', 'b.yaml:2: y']);
    expect(err.message).toContain('a.yaml:1: x\nb.yaml:2: y');
  });
});
