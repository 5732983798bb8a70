// What each probe sends, for people: `originmap scan --list-probes` and docs/probes.md are both
// written from the loaded definitions, and a test keeps the committed docs equal to this output.
import type { Payload, ProbeSpec } from './probe-spec.js';

function payloadText(p: Payload): string {
  if (p.text !== undefined) return JSON.stringify(p.text);
  const hex = Buffer.from(p.bytes!)
    .toString('hex')
    .replace(/(..)(?!$)/g, '$1 ');
  const nodes = p.srcNodeAt?.length ? ` (byte ${p.srcNodeAt.join(', ')} = scanner's node number)` : '';
  return `hex ${hex}${nodes}`;
}

/** One line per thing sent, in order. */
export function sends(p: ProbeSpec): string[] {
  switch (p.kind) {
    case 'arp':
      return [
        'ARP who-has for the target address, sent by the kernel before the first packet (up to 3 tries)',
      ];
    case 'tcp-connect':
      return ['TCP SYN; on SYN-ACK, ACK then FIN (no payload)'];
    case 'banner':
      return ['nothing: connect, read the server greeting, close'];
    case 'tls':
      return ['TLS ClientHello (TLS 1.0-1.3, no SNI), close after the server certificate'];
    case 'snmp':
      return [`SNMPv2c GetRequest of ${p.oids.join(', ')} with each configured community`];
    case 'dns':
      return [
        `DNS query (unicast, random id) for ${p.questions.map((q) => `${q.name} ${q.type}`).join(', ')}`,
      ];
    case 'request':
      return p.steps.map((s, i) => {
        const alts = s.send.map(payloadText);
        return `step ${i + 1}: ${alts.join(' — or, on a new connection, — ')}`;
      });
  }
}

export function listProbesText(probes: readonly ProbeSpec[]): string {
  const lines: string[] = [];
  for (const p of probes) {
    const where = p.kind === 'arp' ? 'link' : `${p.transport} ${p.ports.join(',')}`;
    lines.push(`${p.id}  [${p.safe ? 'safe' : 'not safe'}${p.industrial ? ', industrial' : ''}]  ${where}`);
    lines.push(`  ${p.title}`);
    for (const s of sends(p)) lines.push(`  sends: ${s}`);
    lines.push(`  read-only: ${p.readOnly}`);
    lines.push('');
  }
  return lines.join('\n');
}

export function probesMarkdown(probes: readonly ProbeSpec[]): string {
  const out = [
    '# Active probes',
    '',
    '<!-- Generated from signatures/probes/*.yaml by `npm run docs:probes`; test/agent/active/probe-docs.test.ts keeps it in sync. -->',
    '',
    'Every packet `originmap scan` sends comes from one of these definitions. Each is a read-only',
    'identity request; `safe` probes are the only ones sent under `--safe` and to any host that answered',
    'an industrial identity read (or that the identification engine classes plc, rtu, ied or hmi).',
    'Rates: 1000 packets/s overall and 40 packets/s per host by default (`--rate`, `--host-rate`), one',
    'connection at a time per host. With `--nmap`, nmap paces its port scan with `--max-rate` and',
    '`--scan-delay`, but nmap applies no rate limit to version detection or NSE scripts: for fragile',
    'equipment use the native probes.',
    '',
    '| probe | kind | transport/ports | safe | industrial | decoder |',
    '|---|---|---|---|---|---|',
    ...probes.map(
      (p) =>
        `| \`${p.id}\` | ${p.kind} | ${p.kind === 'arp' ? 'link' : `${p.transport} ${p.ports.join(', ')}`} | ${p.safe ? 'yes' : 'no'} | ${p.industrial ? 'yes' : 'no'} | ${p.decoder ?? '—'} |`,
    ),
    '',
  ];
  for (const p of probes) {
    out.push(`## ${p.id}`, '', p.title, '', '- sends:');
    for (const s of sends(p)) out.push(`  - ${s.replaceAll('|', '\\|')}`);
    out.push(
      `- why it is read-only: ${p.readOnly}`,
      `- built from: ${p.source}`,
      `- defined in: ${p.origin}`,
      '',
    );
  }
  return out.join('\n');
}
