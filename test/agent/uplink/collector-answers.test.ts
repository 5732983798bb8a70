// The agent's hand-written checks of collector answers give the same verdict as the wire schema's
// TypeBox validators (core/wire.ts) on valid answers and on thousands of mutated ones.
import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { isAgentConfig, isBatchAck } from '../../../agent/uplink/collector-answers.js';
import { AgentConfig, BatchAck } from '../../../core/wire.js';
import { Rng } from '../../../scripts/bench/traffic-mix.js';

const ack = {
  batchId: '3f1c2a9e-0d4b-4e8a-9b1f-2c3d4e5f6a7b',
  duplicate: false,
  receivedAt: '2026-11-23T10:00:00.123Z',
  devices: 12,
  evidence: 80,
  connections: 5,
  observations: 0,
  skipped: { unknownKeys: 0, capped: 1 },
};

const config = {
  agentId: 7,
  siteId: 3,
  homeNet: ['192.0.2.0/24', '2001:db8::/32'],
  uploadIntervalSeconds: 60,
  heartbeatIntervalSeconds: 30,
  maxBatchDevices: 1000,
  capture: { filter: 'not port 22', snapLength: 1514 },
  scan: { everyMinutes: 1440, targets: ['192.0.2.0/24'], exclude: ['192.0.2.1'], safe: true },
};

// Values that sit on or across the schemas' edges.
const HOSTILE: unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  4,
  5,
  64,
  262_144,
  262_145,
  86_400,
  86_401,
  5000,
  5001,
  Number.MAX_SAFE_INTEGER,
  Number.POSITIVE_INFINITY,
  Number.NaN,
  '',
  'x',
  '2026-11-23T10:00:00Z',
  '2026-11-23 10:00:00Z',
  'x'.repeat(40),
  'x'.repeat(41),
  'x'.repeat(64),
  'x'.repeat(65),
  '😀'.repeat(64),
  '😀'.repeat(65),
  'x'.repeat(4097),
  [],
  ['192.0.2.0/24'],
  [1],
  Array.from({ length: 257 }, () => '10.0.0.0/8'),
  {},
  { unknownKeys: 0, capped: 0 },
  { filter: 'tcp' },
  { everyMinutes: 1, targets: ['x'], exclude: [], safe: false },
];

/** A deep copy of `base` with one value replaced, deleted, or one key added, at a random place. */
function mutate(rng: Rng, base: unknown): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  let node: Record<string, unknown> = copy;
  for (;;) {
    const keys = Object.keys(node);
    const key = rng.pick(keys);
    const child = node[key];
    if (child !== null && typeof child === 'object' && rng.int(3) > 0) {
      node = child as Record<string, unknown>;
      continue;
    }
    const what = rng.int(10);
    if (what === 0) delete node[key];
    else if (what === 1) node[`extra${rng.int(3)}`] = rng.pick(HOSTILE);
    else node[key] = rng.pick(HOSTILE);
    return copy;
  }
}

describe('collector answers', () => {
  const cases = [
    { name: 'batch acknowledgement', base: ack, ours: isBatchAck, schema: Compile(BatchAck) },
    { name: 'agent config', base: config, ours: isAgentConfig, schema: Compile(AgentConfig) },
  ];

  for (const { name, base, ours, schema } of cases) {
    it(`${name}: accepts a valid answer and agrees with the wire schema on 5,000 mutations`, () => {
      expect(schema.Check(base)).toBe(true);
      expect(ours(base)).toBe(true);
      const rng = new Rng(name.length * 7919);
      let rejected = 0;
      for (let i = 0; i < 5000; i++) {
        const m = mutate(rng, base);
        const want = schema.Check(m);
        if (ours(m) !== want) expect.fail(`disagree (schema says ${want}) on ${JSON.stringify(m)}`);
        if (!want) rejected++;
      }
      // The mutations must exercise both verdicts, or the comparison proves little.
      expect(rejected).toBeGreaterThan(2000);
      expect(rejected).toBeLessThan(5000);
    });
  }

  it('refuses what is not an object', () => {
    for (const v of [null, [], 'ok', 1, [ack]]) {
      expect(isBatchAck(v)).toBe(false);
      expect(isAgentConfig(v)).toBe(false);
    }
  });

  it('takes optional parts away: no capture, scan null or absent', () => {
    const { capture: _c, scan: _s, ...plain } = config;
    expect(isAgentConfig(plain)).toBe(true);
    expect(isAgentConfig({ ...plain, scan: null })).toBe(true);
    expect(isAgentConfig({ ...plain, capture: {} })).toBe(true);
  });
});
