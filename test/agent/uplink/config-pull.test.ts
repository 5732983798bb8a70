// Config from the collector is hostile input: a config that does not fit the schema, names another
// agent, carries a bad CIDR or a filter tcpdump refuses is refused whole, with the reason.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pullConfig } from '../../../agent/uplink/config-pull.js';

let answer: unknown = {};
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer)),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => server.close());

const base = {
  agentId: 7,
  siteId: 1,
  homeNet: ['203.0.113.0/24'],
  uploadIntervalSeconds: 30,
  heartbeatIntervalSeconds: 60,
  maxBatchDevices: 500,
};

function pull(checkFilter = async (_f: string) => null as string | null) {
  return pullConfig({ url, token: `om_${'a'.repeat(43)}`, agentId: 7, fetch, timeoutMs: 2000, checkFilter });
}

describe('config pull', () => {
  it('applies a good config', async () => {
    answer = {
      ...base,
      capture: { filter: 'not port 22', snapLength: 2048 },
      scan: { everyMinutes: 60, targets: ['10.0.5.0/24'], exclude: [], safe: true },
    };
    const r = await pull();
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.settings).toMatchObject({
      snapshotMs: 30_000,
      heartbeatMs: 60_000,
      maxBatchDevices: 500,
      capture: { filter: 'not port 22', snapLength: 2048 },
    });
    expect(r.settings.homeNet.map((c) => c.text)).toEqual(['203.0.113.0/24']);
    expect(r.settings.scan?.targets.map((c) => c.text)).toEqual(['10.0.5.0/24']);
  });

  it('refuses a config with every reason, and never half-applies one', async () => {
    answer = { ...base, agentId: 8, homeNet: ['10.0.0.1/8'], capture: { filter: 'port fooo' } };
    const r = await pull(async (f) => (f === 'port fooo' ? "unknown port 'fooo'" : null));
    expect(r).toEqual({
      ok: false,
      retryable: false,
      reason: expect.stringMatching(
        /agent 8, this is agent 7.*homeNet: '10\.0\.0\.1\/8': host bits set.*capture\.filter: unknown port 'fooo'/,
      ),
    });
  });

  it('refuses what is not an agent config at all', async () => {
    for (const bad of [
      { ...base, uploadIntervalSeconds: 1 },
      { ...base, extra: 1 },
      [],
      'x',
      { ...base, homeNet: 'all' },
    ]) {
      answer = bad;
      const r = await pull();
      expect(r.ok, JSON.stringify(bad)).toBe(false);
    }
  });
});
