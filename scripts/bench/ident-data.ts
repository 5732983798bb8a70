// Cost of the identification data layer, one fresh process per measurement so every figure
// includes cold start: `npm run build && node dist/scripts/bench/ident-data.js [what]`.
// With no argument it runs each measurement in a child process and prints a table (median of
// five runs, wall and CPU ms); with an argument it runs that one measurement and prints JSON.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

type Step = () => Promise<unknown> | unknown;

const STEPS: Record<string, Step> = {
  'mac registry: load + first lookup': async () => {
    const { loadMacRegistry } = await import('../../core/oui/registry.js');
    return loadMacRegistry().lookup('00:0e:8c:12:34:56');
  },
  'vendor catalog: load': async () =>
    (await import('../../core/catalog/load-vendors.js')).loadVendorCatalog().all().length,
  'providers: load': async () =>
    (await import('../../core/geo/load-providers.js')).loadProviderCatalog().all().length,
  'geo: first public IPv4 lookup': async () => {
    const { createGeoLookup } = await import('../../core/geo/geo-lookup.js');
    return createGeoLookup().lookup('8.8.8.8');
  },
  'geo: first public IPv6 lookup': async () => {
    const { createGeoLookup } = await import('../../core/geo/geo-lookup.js');
    return createGeoLookup().lookup('2001:4860:4860::8888');
  },
  'geo: 100k IPv4 lookups after load': async () => {
    const { createGeoLookup } = await import('../../core/geo/geo-lookup.js');
    const geo = createGeoLookup();
    geo.lookup('8.8.8.8');
    const t0 = performance.now();
    for (let i = 0; i < 100_000; i++) geo.lookup(`${(i % 223) + 1}.${i & 255}.${(i >> 8) & 255}.1`);
    return { perLookupUs: ((performance.now() - t0) / 100).toFixed(2) };
  },
};

async function one(name: string): Promise<void> {
  const step = STEPS[name];
  if (!step) throw new Error(`unknown measurement '${name}'`);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await step();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const rssMb = process.memoryUsage().rss / 1e6;
  console.log(JSON.stringify({ wall, cpu: (cpu.user + cpu.system) / 1000, rssMb, result }));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function table(): void {
  const self = fileURLToPath(import.meta.url);
  console.log('| measurement | wall ms | cpu ms | rss MB | note |\n|---|---|---|---|---|');
  for (const name of Object.keys(STEPS)) {
    const runs = Array.from({ length: 5 }, () =>
      JSON.parse(execFileSync(process.execPath, [self, name], { encoding: 'utf8' })),
    );
    const note = JSON.stringify(runs[0].result)?.slice(0, 60) ?? '';
    const f = (k: string) => median(runs.map((r) => r[k] as number)).toFixed(1);
    console.log(`| ${name} | ${f('wall')} | ${f('cpu')} | ${f('rssMb')} | ${note} |`);
  }
}

const arg = process.argv[2];
if (arg) await one(arg);
else table();
