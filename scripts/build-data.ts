// Part of `npm run build`: data the CLI and the collector would otherwise parse on every start.
// dist/signatures.json — signatures/ validated and compiled (core/signatures/shipped.ts);
// dist/asn-ipv{4,6}-*.bin — the packaged ASN tables in binary form (core/geo/asn-cache.ts);
// dist/oui-*.bin — the packaged IEEE registry, parsed, in compact form (core/oui/compact-registry.ts).
import { writeAsnBinaries } from '../core/geo/asn-cache.js';
import { writeCompactRegistry } from '../core/oui/registry.js';
import { compiledPath, writeCompiledSignatures } from '../core/signatures/shipped.js';

const n = writeCompiledSignatures();
process.stderr.write(`${compiledPath()}: ${n.rules} rules, ${n.vendors} vendors, ${n.providers} providers\n`);
for (const path of writeAsnBinaries()) process.stderr.write(`${path}\n`);
const oui = writeCompactRegistry();
process.stderr.write(`${oui.path}: ${oui.entries} prefixes\n`);
