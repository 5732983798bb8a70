import { describe, expect, it } from 'vitest';
import { inventoryFromObservations } from '../../../agent/observe/inventory-from-observations.js';
import type { Observation } from '../../../core/observation.js';

const ts = Date.UTC(2026, 10, 23, 9, 0, 0);

describe('inventory from observations', () => {
  it('groups active observations by MAC, binding addresses the probe saw with it', () => {
    const obs: Observation[] = [
      {
        ts,
        source: 'active',
        key: 'net.service',
        value: 'tcp/102',
        ip: '198.18.0.10',
        mac: '00:1B:1B:00:00:10',
      },
      {
        ts: ts + 5,
        source: 'active',
        key: 's7.order_number',
        value: '6ES7 315-2EH14-0AB0',
        ip: '198.18.0.10',
      },
      { ts, source: 'active', key: 'http.server', value: 'App-webs/', ip: '198.18.0.20' },
      { ts, source: 'active', key: 'nmap.os', value: 'Linux 4.x', port: 22 } as Observation,
    ];
    const r = inventoryFromObservations(obs, { identifier: null });
    expect(r.devices.map((d) => d.id)).toEqual(['ip:198.18.0.20', 'mac:00:1b:1b:00:00:10']);
    const plc = r.devices[1]!;
    expect(plc.ips).toEqual(['198.18.0.10']);
    expect(plc.services).toEqual(['tcp/102']);
    expect(plc.observations.find((o) => o.key === 's7.order_number')).toMatchObject({
      source: 'active',
      value: '6ES7 315-2EH14-0AB0',
    });
    expect(plc.lastSeen).toBe(new Date(ts + 5).toISOString());
    expect(r.stats.skipped).toEqual({ observation_without_subject: 1 });
  });
});
