// Every registered observation key must be produced by some fixture the project generates (issue:
// "N of M observation keys exercised by fixtures"): a key nothing emits is either dead or untested.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hostObservations, NmapXmlReader, type XmlNode } from '../../agent/active/nmap-xml.js';
import { OBSERVATION_KEYS } from '../../core/observation-keys.js';
import { allFixtureFrames } from '../../scripts/fixtures/index.js';
import { runFrames } from '../helpers/run-engine.js';

/** Keys observed when the generated demo network goes through the passive engine. */
function passiveKeys(): Set<string> {
  const run = runFrames(allFixtureFrames());
  return new Set(run.devices.flatMap((d) => d.observations.map((o) => o.key)));
}

/** Keys active discovery makes from nmap's XML (the nmap.* keys), from the project's nmap fixture. */
function nmapKeys(): Set<string> {
  const hosts: XmlNode[] = [];
  const reader = new NmapXmlReader({ host: (h) => hosts.push(h) });
  reader.write(readFileSync(new URL('../agent/active/fixtures/nmap-ics.xml', import.meta.url), 'utf8'));
  reader.end();
  return new Set(hosts.flatMap((h) => hostObservations(h, 0)).map((o) => o.key));
}

describe('observation keys exercised by fixtures', () => {
  it('covers every registered key', () => {
    const exercised = new Set([...passiveKeys(), ...nmapKeys()]);
    const all = Object.keys(OBSERVATION_KEYS);
    const covered = all.filter((k) => exercised.has(k));
    process.stdout.write(`${covered.length} of ${all.length} observation keys exercised by fixtures\n`);
    expect(all.filter((k) => !exercised.has(k))).toEqual([]);
  });
});
