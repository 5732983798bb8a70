// Policy evaluation: the jp-espa acceptance case, unknown-fact semantics, operators, stable ids, inert messages.
import { describe, expect, it } from 'vitest';
import { findingsForReport, formatFindings, terminalSafe } from '../../../core/policy/analyze.js';
import { connectionKey, evaluate, findingId } from '../../../core/policy/evaluate.js';
import { OtSegments } from '../../../core/policy/facts.js';
import { loadPolicy, policyFromText } from '../../../core/policy/packs.js';
import { connection, device, s7Plc } from '../../helpers/records.js';

const HEAD = `policy: t
title: Test rules
sources:
  s: test source
rules:
`;

function rule(when: string, opts: { subject?: string; message?: string } = {}): string {
  return `${HEAD}  - id: t.r
    subject: ${opts.subject ?? 'device'}
    severity: high
    title: t
    when: ${when}
    message: "${opts.message ?? 'm'}"
    sources: s
`;
}

function matches(when: string, d: ReturnType<typeof device>, home: string | null = 'JP'): boolean {
  const policy = policyFromText(rule(when), 't.yaml');
  return evaluate(policy, { devices: [d], connections: [], context: { homeCountry: home } }).length === 1;
}

describe('policy evaluation', () => {
  const plc = s7Plc();

  it('acceptance: the Siemens CPU of the s7comm capture is foreign-vendor equipment in a critical class (jp-espa)', () => {
    const findings = findingsForReport({ devices: [plc], connections: [] }, 'jp-espa');
    expect(findings).toHaveLength(1);
    const f = findings[0]!;
    expect(f).toMatchObject({
      rule: 'jp-espa.foreign-vendor-critical-class',
      severity: 'high',
      subject: { kind: 'device', id: 'mac:00:1b:1b:23:eb:3b' },
      status: 'open',
      facts: { vendor: 'Siemens', vendorCountry: 'DE', class: 'plc', vendorForeign: true },
    });
    expect(f.message).toBe(
      'Siemens (DE) plc IM151-8 PN/DP CPU (6ES7 151-8AB01-0AB0) at 192.168.1.40 is equipment of a foreign vendor in a critical class: cover it in the introduction plan and supplier review',
    );
    expect(formatFindings(findings)).toContain(
      'HIGH      jp-espa.foreign-vendor-critical-class  mac:00:1b:1b:23:eb:3b',
    );
  });

  it('"foreign" is relative to the home country, and unknown when either side is unknown', () => {
    expect(matches('{ vendorForeign: true }', plc, 'JP')).toBe(true);
    expect(matches('{ vendorForeign: true }', plc, 'DE')).toBe(false);
    expect(matches('{ vendorForeign: false }', plc, 'DE')).toBe(true);
    expect(matches('{ vendorForeign: true }', plc, null)).toBe(false);
    expect(matches('{ vendorForeign: false }', plc, null)).toBe(false);
    expect(matches('{ vendorForeign: { exists: false } }', plc, null)).toBe(true);
    // A German operator running jp-espa with its own home country sees no foreign-vendor finding.
    expect(findingsForReport({ devices: [plc], connections: [] }, 'jp-espa', { homeCountry: 'DE' })).toEqual(
      [],
    );
  });

  it('treats unknown as never equal and never different', () => {
    const bare = device({ id: 'ip:10.0.0.9' });
    expect(matches('{ vendor: { ne: Siemens } }', bare)).toBe(false);
    expect(matches('{ vendor: { notIn: [Siemens] } }', bare)).toBe(false);
    expect(matches('{ vendor: { exists: false } }', bare)).toBe(true);
    expect(matches('{ not: { vendor: Siemens } }', bare)).toBe(true);
    expect(matches('{ services: { exists: false } }', bare)).toBe(true);
    expect(matches('{ confidence: { gte: 0 } }', bare)).toBe(false);
  });

  it('compares text without case, numbers and lists by their type', () => {
    expect(matches('{ vendor: siemens }', plc)).toBe(true);
    expect(matches('{ vendor: [ABB, SIEMENS] }', plc)).toBe(true);
    expect(matches('{ model: { matches: "151-8" } }', plc)).toBe(true);
    expect(matches('{ services: tcp/102 }', plc)).toBe(true);
    expect(matches('{ services: [tcp/80, tcp/102] }', plc)).toBe(true);
    expect(matches('{ services: tcp/80 }', plc)).toBe(false);
    expect(matches('{ roles: { matches: "^s7comm:" } }', plc)).toBe(true);
    expect(matches('{ confidence: { gt: 0.9, lte: 0.95 } }', plc)).toBe(true);
    expect(matches('{ confidence: { gt: 0.95 } }', plc)).toBe(false);
    expect(matches('{ any: [ { class: camera }, { ot: true } ] }', plc)).toBe(true);
    expect(matches('{ all: [ { class: camera }, { ot: true } ] }', plc)).toBe(false);
  });

  it('gives connections the local device facts and keeps stable ids', () => {
    const c = connection({
      device: plc.id,
      remoteIp: '203.0.113.7',
      remotePort: 5938,
      country: 'CN',
      asn: 64500,
      asOrg: 'Example Hosting',
      providerKind: 'hosting',
      provider: 'ExampleCloud',
    });
    const policy = policyFromText(
      rule('{ device.class: plc, foreign: true, remotePort: 5938 }', {
        subject: 'connection',
        message: '{device.vendor} to {remoteIp}',
      }),
      't.yaml',
    );
    const [f] = evaluate(policy, { devices: [plc], connections: [c], context: { homeCountry: 'JP' } });
    expect(f).toMatchObject({
      id: findingId('t.r', 'connection', connectionKey(c)),
      subject: { kind: 'connection', id: 'mac:00:1b:1b:23:eb:3b>tcp:203.0.113.7:5938' },
      message: 'Siemens to 203.0.113.7',
      facts: {
        'device.class': 'plc',
        foreign: true,
        remotePort: 5938,
        'device.vendor': 'Siemens',
        'device.id': plc.id,
      },
    });
    // Re-evaluation, another order, more records: same id.
    const again = evaluate(policy, {
      devices: [device({ id: 'mac:02:00:00:00:00:01' }), plc],
      connections: [c, c],
      context: { homeCountry: 'JP' },
    });
    expect(again[0]!.id).toBe(f!.id);
    expect(f!.id).toMatch(/^f-[0-9a-f]{24}$/);
  });

  it('fills messages once: wire text is never read as a template', () => {
    const sly = device({
      id: 'ip:10.0.0.5',
      vendor: '{model}<script>alert(1)</script>',
      model: 'SECRET',
      class: 'plc',
    });
    const policy = policyFromText(
      rule('{ class: plc }', { message: 'vendor={vendor} model={model}' }),
      't.yaml',
    );
    const [f] = evaluate(policy, { devices: [sly], connections: [] });
    expect(f!.message).toBe('vendor={model}<script>alert(1)</script> model=SECRET');
  });

  it('shows lists capped, unknowns as "unknown" and strips terminal escapes when printing', () => {
    const many = device({
      id: 'ip:10.0.0.6',
      class: 'plc',
      ips: ['10.0.0.6', '10.0.0.7', '10.0.0.8', '10.0.0.9', '10.0.0.10', '10.0.0.11', '10.0.0.12'],
    });
    const policy = policyFromText(rule('{ class: plc }', { message: '{ips} / {vendor}' }), 't.yaml');
    expect(evaluate(policy, { devices: [many], connections: [] })[0]!.message).toBe(
      '10.0.0.6, 10.0.0.7, 10.0.0.8, 10.0.0.9, 10.0.0.10 … (+2 more) / unknown',
    );
    expect(terminalSafe('ok\u001b[31mred\u202eevil')).toBe('ok\ufffd[31mred\ufffdevil');
  });

  it('decides otSegment from configured networks, shared VLANs or /24s, and says how', () => {
    const phone = device({ id: 'mac:da:00:00:00:00:01', randomizedMac: true, ips: ['192.168.1.77'] });
    const far = device({ id: 'mac:da:00:00:00:00:02', randomizedMac: true, ips: ['192.168.9.77'] });
    const policy = policyFromText(
      rule('{ randomizedMac: true, otSegment: true }', { message: '{otSegmentBasis}' }),
      't.yaml',
    );
    const run = (ctx: object) =>
      evaluate(policy, { devices: [plc, phone, far], connections: [], context: ctx });
    expect(run({}).map((f) => [f.subject.id, f.message])).toEqual([
      ['mac:da:00:00:00:00:01', '192.168.1.77 is in the same /24 as an OT device'],
    ]);
    expect(run({ otNetworks: ['192.168.9.0/24'] }).map((f) => f.subject.id)).toEqual([
      'mac:da:00:00:00:00:02',
    ]);
    expect(evaluate(policy, { devices: [phone], connections: [] })).toEqual([]);
  });

  it('decides otSegment from given OT segments when only part of the network is evaluated', () => {
    const policy = loadPolicy('ot-baseline');
    const phone = device({
      id: 'mac:da:00:00:00:00:02',
      mac: 'da:00:00:00:00:02',
      randomizedMac: true,
      vlans: [10],
      ips: ['10.9.9.9'],
    });
    const plcOnVlan10 = { ...plc, vlans: [10] };
    const whole = evaluate(policy, { devices: [plcOnVlan10, phone], connections: [] });
    const alone = evaluate(policy, { devices: [phone], connections: [] });
    const segments = OtSegments.of([plcOnVlan10]);
    const part = evaluate(policy, { devices: [phone], connections: [], context: { otSegments: segments } });
    expect(alone).toEqual([]);
    expect(part).toEqual(whole.filter((f) => f.subject.id === phone.id));
    expect(part.map((f) => f.facts.otSegmentBasis)).toEqual(['shares VLAN 10 with an OT device']);
    expect(segments.add(phone)).toBe(false);
    expect(segments.add({ ...plc, vlans: [10] })).toBe(false);
    expect(segments.add({ ...plc, vlans: [20] })).toBe(true);
  });

  it('groups matching connections by the groupBy fields into one finding with the group facts', () => {
    const c = (remoteIp: string, remotePort: number, country: string, bytes = 100) =>
      connection({ device: plc.id, remoteIp, remotePort, country, bytes, names: [`${remoteIp}.example`] });
    const conns = [
      c('203.0.113.1', 443, 'US'),
      c('203.0.113.2', 8883, 'US'),
      c('203.0.113.2', 443, 'US'),
      c('192.0.2.9', 443, 'DE'),
    ];
    const text = rule('{ foreign: true }', {
      subject: 'connection',
      message: '{connections} to {remoteIp} ports {remotePort} in {country}',
    }).replace('    sources: s\n', '    sources: s\n    groupBy: [device.id, country]\n');
    const findings = evaluate(policyFromText(text, 't.yaml'), {
      devices: [plc],
      connections: conns,
      context: { homeCountry: 'JP' },
    });
    expect(findings.map((f) => [f.subject.id, f.message])).toEqual([
      [
        'group:device.id=mac:00:1b:1b:23:eb:3b,country=US',
        '3 to 203.0.113.1, 203.0.113.2 ports 443, 8883 in US',
      ],
      ['group:device.id=mac:00:1b:1b:23:eb:3b,country=DE', '1 to 192.0.2.9 ports 443 in DE'],
    ]);
    expect(findings[0]!.facts).toMatchObject({
      connections: 3,
      country: 'US',
      foreign: true,
      'device.id': plc.id,
    });
    // A new connection in the same group keeps the finding's id.
    const more = evaluate(policyFromText(text, 't.yaml'), {
      devices: [plc],
      connections: [...conns, c('203.0.113.3', 22, 'US')],
      context: { homeCountry: 'JP' },
    });
    expect(more[0]!.id).toBe(findings[0]!.id);
    expect(more[0]!.facts.connections).toBe(4);
  });

  it('tells inbound from outbound: direction, localPort and servicePort facts; the two never share an id', () => {
    const out = connection({ device: plc.id, remoteIp: '192.0.2.9', remotePort: 22, country: 'KR' });
    const inbound = connection({
      device: plc.id,
      remoteIp: '192.0.2.9',
      direction: 'inbound',
      remotePort: null,
      localPort: 22,
      country: 'KR',
    });
    const run = (when: string, message = '{direction} {proto}/{servicePort}') =>
      evaluate(policyFromText(rule(when, { subject: 'connection', message }), 't.yaml'), {
        devices: [plc],
        connections: [out, inbound],
        context: { homeCountry: 'JP' },
      });
    expect(run('{ direction: inbound }').map((f) => f.message)).toEqual(['inbound tcp/22']);
    expect(run('{ localPort: 22 }').map((f) => f.facts)).toEqual([
      expect.objectContaining({ direction: 'inbound', localPort: 22, remotePort: null }),
    ]);
    // remotePort of an inbound connection is unknown, so it never compares.
    expect(run('{ remotePort: 22 }').map((f) => f.message)).toEqual(['outbound tcp/22']);
    const both = run('{ servicePort: 22 }');
    expect(both.map((f) => f.message)).toEqual(['outbound tcp/22', 'inbound tcp/22']);
    expect(new Set(both.map((f) => f.id)).size).toBe(2);
    expect(both.map((f) => f.subject.id)).toEqual([
      'mac:00:1b:1b:23:eb:3b>tcp:192.0.2.9:22',
      'mac:00:1b:1b:23:eb:3b<tcp:192.0.2.9:22',
    ]);
    expect(() => run('{ direction: sideways }')).toThrow(/'sideways' is not a known direction/);
  });

  it('checks groupBy: connection rules only, single-valued connection fields, and overrides can turn it off', () => {
    const bad = (groupBy: string, subject = 'connection') => {
      try {
        policyFromText(
          rule(subject === 'device' ? '{ ot: true }' : '{ foreign: true }', { subject }).replace(
            '    sources: s\n',
            `    sources: s\n    groupBy: ${groupBy}\n`,
          ),
          't.yaml',
        );
        return [];
      } catch (err) {
        return (err as { problems: string[] }).problems;
      }
    };
    expect(bad('[device.id, contry]')).toEqual([
      expect.stringMatching(/groupBy: unknown connection field 'contry' \(did you mean 'country'\?\)/),
    ]);
    expect(bad('[names]')).toEqual([expect.stringMatching(/'names' is not a single value/)]);
    expect(bad('[device.id]', 'device')).toEqual([expect.stringMatching(/groupBy is for connection rules/)]);
    expect(bad('[country, country]')).toEqual([expect.stringMatching(/names a field twice/)]);
    const off = policyFromText(
      `policy: site\ntitle: t\nextends: [ot-baseline]\noverrides:\n  - { id: ot-baseline.ot-talks-to-internet, groupBy: null }\n`,
      'site.yaml',
    );
    expect(off.rules.find((r) => r.id === 'ot-baseline.ot-talks-to-internet')!.groupBy).toBeNull();
    expect(loadGroupBy('ot-baseline', 'ot-baseline.ot-talks-to-internet')).toEqual(['device.id', 'country']);
  });
});

function loadGroupBy(pack: string, id: string): string[] | null {
  return loadPolicy(pack).rules.find((r) => r.id === id)!.groupBy;
}
