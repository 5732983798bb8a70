const { analyzeCaptures } = await import('./dist/agent/analyze.js');
const mode = process.argv[2];
const t = performance.now();
const r = analyzeCaptures(['bench-data/mix-1024m.pcap'], {
  identifier: null,
  geo: null,
  decoders: mode === 'none' ? [] : undefined,
});
const cu = process.cpuUsage();
console.log(
  mode,
  ((performance.now() - t) / 1000).toFixed(2),
  's',
  (cu.user / 1e6).toFixed(2),
  'user',
  r.devices.length,
);
