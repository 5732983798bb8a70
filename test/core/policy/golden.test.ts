// Golden findings of each shipped pack over a generated plant inventory. The golden files are
// reviewed by hand when they change: UPDATE_GOLDEN=1 rewrites them, and `git diff` shows what moved.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../core/policy/evaluate.js';
import { listPacks, loadPolicy } from '../../../core/policy/packs.js';
import { generateInventory } from '../../../scripts/lib/inventory-gen.js';

const inventory = generateInventory({ seed: 7, devices: 40 });
const golden = (pack: string) => new URL(`./golden/${pack}.json`, import.meta.url);

describe('shipped packs over a generated inventory', () => {
  it('the generator is deterministic', () => {
    expect(generateInventory({ seed: 7, devices: 40 })).toEqual(inventory);
    expect(generateInventory({ seed: 8, devices: 40 })).not.toEqual(inventory);
  });

  for (const pack of listPacks()) {
    it(`${pack} gives its golden findings`, () => {
      const findings = evaluate(loadPolicy(pack), {
        devices: inventory.devices,
        connections: inventory.connections,
      });
      const got = findings.map((f) => ({
        id: f.id,
        rule: f.rule,
        severity: f.severity,
        subject: f.subject.id,
        message: f.message,
      }));
      const file = golden(pack);
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
        writeFileSync(file, `${JSON.stringify(got, null, 2)}\n`);
        if (process.env.UPDATE_GOLDEN !== '1')
          throw new Error(`wrote missing golden file ${file.pathname}; review and commit it`);
      }
      expect(got).toEqual(JSON.parse(readFileSync(file, 'utf8')));
      // Every rule of the pack is exercised by the planted devices.
      expect(new Set(got.map((f) => f.rule))).toEqual(new Set(loadPolicy(pack).rules.map((r) => r.id)));
    });
  }

  it('agrees with plain predicates written independently of the rule engine', () => {
    const count = (pack: string, rule: string) =>
      evaluate(loadPolicy(pack), inventory).filter((f) => f.rule === `${pack}.${rule}`).length;
    const critical = ['plc', 'rtu', 'hmi', 'ied', 'router', 'switch', 'firewall', 'gateway', 'base-station'];
    const telecomVideo = [
      'router',
      'switch',
      'firewall',
      'access-point',
      'base-station',
      'gateway',
      'phone',
      'camera',
      'nvr',
    ];
    const d = inventory.devices;
    expect(count('jp-espa', 'foreign-vendor-critical-class')).toBe(
      d.filter(
        (x) => critical.includes(x.class ?? '') && x.vendorCountry !== null && x.vendorCountry !== 'JP',
      ).length,
    );
    expect(count('us-ndaa-889', 'covered-telecom-or-video')).toBe(
      d.filter((x) => x.watchlists.includes('ndaa-889') && telecomVideo.includes(x.class ?? '')).length,
    );
    expect(count('fcc-covered-list', 'covered-equipment')).toBe(
      d.filter((x) => x.watchlists.includes('fcc-covered-list')).length,
    );
    const ot = new Set(
      d
        .filter(
          (x) =>
            ['plc', 'rtu', 'hmi', 'ied', 'building-controller'].includes(x.class ?? '') || x.roles.length,
        )
        .map((x) => x.id),
    );
    // Grouped rules give one finding per group (device and country; plus protocol and port).
    const groups = (cs: typeof inventory.connections, key: (c: (typeof cs)[number]) => string) =>
      new Set(cs.map(key)).size;
    expect(count('ot-baseline', 'ot-talks-to-internet')).toBe(
      groups(
        inventory.connections.filter((c) => ot.has(c.device)),
        (c) => `${c.device} ${c.country}`,
      ),
    );
    const remoteAccess = new Set([22, 23, 3389, 5900, 5938, 6568, 1723]);
    const remote = inventory.connections.filter(
      (c) =>
        c.country !== 'JP' &&
        c.remotePort !== null &&
        ((c.proto === 'tcp' && remoteAccess.has(c.remotePort)) ||
          (c.proto === 'udp' && [500, 1194, 4500].includes(c.remotePort))),
    );
    expect(count('jp-espa', 'overseas-remote-access')).toBe(
      groups(remote, (c) => `${c.device} ${c.country} ${c.proto} ${c.remotePort}`),
    );
    // Inbound: a remote opened a conversation to one of the device's own remote-access ports.
    const inbound = inventory.connections.filter(
      (c) => c.direction === 'inbound' && c.proto === 'tcp' && remoteAccess.has(c.localPort ?? -1),
    );
    expect(inbound.length).toBeGreaterThan(0);
    expect(count('jp-espa', 'overseas-remote-access-inbound')).toBe(
      groups(
        inbound.filter((c) => c.country !== null && c.country !== 'JP'),
        (c) => `${c.device} ${c.country} ${c.localPort}`,
      ),
    );
    // ot-baseline: from anywhere outside the operator's networks, into a device on an OT segment
    // (planted OT devices are on VLAN 10 or are OT themselves).
    const onOtSegment = new Set(d.filter((x) => ot.has(x.id) || x.vlans.includes(10)).map((x) => x.id));
    expect(count('ot-baseline', 'remote-access-into-ot-segment')).toBe(
      groups(
        inbound.filter((c) => onOtSegment.has(c.device) && c.localPort !== 1723),
        (c) => `${c.device} ${c.country} ${c.localPort}`,
      ),
    );
  });
});
