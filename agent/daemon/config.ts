// `originmap agent --config <file>`: the YAML file an OT engineer writes (docs/agent.md, example in
// docs/agent.example.yaml). Read as hostile input through YamlSource: every problem is reported as
// `file:line: message`, all of them before failing; defaults are filled in here, once.
import { dirname, isAbsolute, resolve } from 'node:path';
import { isScalar } from 'yaml';
import { YamlSource } from '../../core/catalog/yaml-source.js';
import { type Cidr, parseCidr } from '../../core/net/cidr.js';
import { DEFAULT_MAX_FLOWS } from '../observe/flow-table.js';
import { DEFAULT_STREAM_BUFFERS } from '../observe/stream-buffers.js';

/** The largest config file we read. */
export const MAX_CONFIG_BYTES = 256 * 1024;

export interface CollectorSettings {
  url: URL;
  /** The one-time enrollment token, given inline or in a file (read once, at enrollment). */
  enrollmentToken: string | null;
  enrollmentTokenFile: string | null;
  /** PEM file of the CA that signed the collector's certificate (default: the system's CAs). */
  caFile: string | null;
  /** Plain http to a host that is not loopback was allowed explicitly. */
  allowInsecureHttp: boolean;
  timeoutMs: number;
}

export interface DirectorySource {
  path: string;
  /** File names to read: a suffix list such as [".pcap", ".pcapng"] (default: any name). */
  suffixes: string[];
  /** A file is complete when a newer one exists or it has not changed for this long. */
  settleMs: number;
  pollMs: number;
  deleteAfterRead: boolean;
}

export interface CaptureSettings {
  interfaces: string[];
  /** BPF filter handed to tcpdump as one argument (never through a shell). */
  filter: string;
  snapLength: number;
  immediate: boolean;
  /** Kernel capture buffer per interface, MiB. */
  bufferMegabytes: number;
  tcpdump: string;
  /** A command that writes pcap to stdout instead of tcpdump (argv, no shell), or null. */
  command: string[] | null;
  directory: DirectorySource | null;
  restartMinMs: number;
  restartMaxMs: number;
}

export interface EngineSettings {
  maxFlows: number;
  streamBytes: number;
  /** TCP directions buffered at once for the decoders (each holds streamBytes). */
  streamBuffers: number;
  flowIdleMs: number;
  maxEndpoints: number;
  /** Endpoints unseen this long, and fully reported, are freed. */
  evictAfterMs: number;
}

export interface UplinkSettings {
  snapshotMs: number;
  heartbeatMs: number;
  configPullMs: number;
  /** Counts of unchanged facts are refreshed at most this often (new facts go at once). */
  deviceRefreshMs: number;
  maxBatchDevices: number;
  backoffMinMs: number;
  backoffMaxMs: number;
}

export interface ScanSchedule {
  everyMs: number;
  targets: Cidr[];
  exclude: Cidr[];
  safe: boolean;
}

export interface AgentConfigFile {
  file: string;
  collector: CollectorSettings;
  stateDir: string;
  capture: CaptureSettings;
  engine: EngineSettings;
  homeNet: Cidr[];
  uplink: UplinkSettings;
  spool: { maxBytes: number };
  scan: ScanSchedule | null;
  log: { level: string };
  metrics: { host: string; port: number } | null;
}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'];
const IFNAME = /^[A-Za-z0-9_.:@-]{1,15}$/;
const TOKEN = /^[A-Za-z0-9_-]{16,256}$/;
const S = 1000;

/** True for addresses that never leave the machine: plain HTTP to them exposes nothing. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

export function loadAgentConfig(file: string): AgentConfigFile {
  const src = YamlSource.read(file, MAX_CONFIG_BYTES);
  const config = readConfig(src, resolve(file));
  src.check();
  return config!;
}

export function parseAgentConfig(text: string, file: string): AgentConfigFile {
  const src = new YamlSource(file, text);
  const config = readConfig(src, resolve(file));
  src.check();
  return config!;
}

/** Reads the whole tree, reporting into `src`; the result is meaningful only when no problem was found. */
function readConfig(src: YamlSource, file: string): AgentConfigFile | null {
  const base = dirname(file);
  const path = (node: unknown, what: string) => {
    const t = src.text(node, what, 4096);
    return t === null ? null : isAbsolute(t) ? t : resolve(base, t);
  };
  const top = src.fields(
    src.doc.contents,
    'the file',
    ['collector', 'stateDir', 'capture'],
    ['engine', 'homeNet', 'uplink', 'spool', 'scan', 'log', 'metrics'],
  );
  if (!top) return null;
  const r = new Reader(src);
  return {
    file,
    collector: readCollector(src, r, top.get('collector'), path),
    stateDir: path(top.get('stateDir'), 'stateDir') ?? '',
    capture: readCapture(src, r, top.get('capture'), path),
    engine: readEngine(src, r, top.get('engine')),
    homeNet: r.cidrs(top.get('homeNet'), 'homeNet'),
    uplink: readUplink(src, r, top.get('uplink')),
    spool: readSpool(src, r, top.get('spool')),
    scan: readScan(src, r, top.get('scan')),
    log: readLog(src, top.get('log')),
    metrics: readMetrics(src, r, top.get('metrics')),
  };
}

/** An absent or empty section reads as no fields (every field then takes its default). */
function section(
  src: YamlSource,
  node: unknown,
  what: string,
  known: readonly string[],
): Map<string, unknown> | null {
  if (node === undefined || node === null || (isScalar(node) && node.value === null)) return new Map();
  return src.fields(node, what, [], known);
}

type PathOf = (node: unknown, what: string) => string | null;

function readSpool(src: YamlSource, r: Reader, node: unknown): { maxBytes: number } {
  const f = section(src, node, 'spool', ['maxMegabytes']);
  return { maxBytes: r.int(f?.get('maxMegabytes'), 'spool.maxMegabytes', 1, 1_000_000, 256) * 1024 * 1024 };
}

function readCollector(src: YamlSource, r: Reader, node: unknown, path: PathOf): CollectorSettings {
  // A missing section was reported by the top level already.
  const f =
    node === undefined
      ? null
      : src.fields(
          node,
          'collector',
          ['url'],
          ['enrollmentToken', 'enrollmentTokenFile', 'caFile', 'allowInsecureHttp', 'timeoutSeconds'],
        );
  const out: CollectorSettings = {
    url: new URL('http://127.0.0.1/'),
    enrollmentToken: null,
    enrollmentTokenFile: null,
    caFile: null,
    allowInsecureHttp: false,
    timeoutMs: 30 * S,
  };
  if (!f) return out;
  const urlNode = f.get('url');
  const text = src.text(urlNode, 'collector.url', 2048);
  const insecure = r.bool(f.get('allowInsecureHttp'), 'collector.allowInsecureHttp', false);
  out.allowInsecureHttp = insecure;
  if (text !== null) {
    let url: URL | null = null;
    try {
      url = new URL(text);
    } catch {
      src.problem(urlNode as never, `collector.url: '${text}' is not a URL`);
    }
    if (url && url.protocol !== 'https:' && url.protocol !== 'http:')
      src.problem(urlNode as never, 'collector.url must be an https:// (or loopback http://) URL');
    else if (url && (url.username || url.password || url.search || url.hash))
      src.problem(urlNode as never, 'collector.url must not carry credentials, a query or a fragment');
    else if (url && url.protocol === 'http:' && !isLoopbackHost(url.hostname) && !insecure)
      src.problem(
        urlNode as never,
        `collector.url: plain http to ${url.hostname} would send tokens and inventory in clear text; use https, or set allowInsecureHttp: true`,
      );
    else if (url) out.url = url;
  }
  const token = f.get('enrollmentToken');
  if (token !== undefined) {
    const t = src.text(token, 'collector.enrollmentToken', 300);
    if (t !== null && !TOKEN.test(t.replace(/^om_/, '')))
      src.problem(token as never, 'collector.enrollmentToken does not look like a token');
    else out.enrollmentToken = t;
  }
  if (f.has('enrollmentTokenFile'))
    out.enrollmentTokenFile = path(f.get('enrollmentTokenFile'), 'collector.enrollmentTokenFile');
  if (f.has('caFile')) out.caFile = path(f.get('caFile'), 'collector.caFile');
  if (out.caFile && out.url.protocol !== 'https:')
    src.problem(f.get('caFile') as never, 'collector.caFile is only used with an https:// url');
  out.timeoutMs = r.int(f.get('timeoutSeconds'), 'collector.timeoutSeconds', 1, 600, 30) * S;
  return out;
}

function readCapture(src: YamlSource, r: Reader, node: unknown, path: PathOf): CaptureSettings {
  const problemsBefore = src.problems.length;
  const f =
    node === undefined
      ? null
      : src.fields(
          node,
          'capture',
          [],
          [
            'interfaces',
            'filter',
            'snapLength',
            'immediate',
            'bufferMegabytes',
            'tcpdump',
            'command',
            'directory',
            'restartMinSeconds',
            'restartMaxSeconds',
          ],
        );
  const interfaces: string[] = [];
  for (const item of src.list(f?.get('interfaces'), 'capture.interfaces', 64) ?? []) {
    const name = src.text(item, 'capture.interfaces[]', 15);
    if (name === null) continue;
    if (!IFNAME.test(name))
      src.problem(item as never, `capture.interfaces: '${name}' is not an interface name`);
    else if (interfaces.includes(name))
      src.problem(item as never, `capture.interfaces: '${name}' is listed twice`);
    else interfaces.push(name);
  }
  let command: string[] | null = null;
  if (f?.has('command')) {
    command = (src.list(f.get('command'), 'capture.command', 64) ?? []).map(
      (a) => src.text(a, 'capture.command[]', 4096) ?? '',
    );
    if (command.length === 0) src.problem(f.get('command') as never, 'capture.command must name a program');
  }
  let directory: DirectorySource | null = null;
  if (f?.has('directory')) {
    const d = src.fields(
      f.get('directory'),
      'capture.directory',
      ['path'],
      ['suffixes', 'settleSeconds', 'pollSeconds', 'deleteAfterRead'],
    );
    if (d) {
      directory = {
        path: path(d.get('path'), 'capture.directory.path') ?? '',
        suffixes: (src.list(d.get('suffixes'), 'capture.directory.suffixes', 32) ?? []).map(
          (s) => src.text(s, 'capture.directory.suffixes[]', 32) ?? '',
        ),
        settleMs: r.int(d.get('settleSeconds'), 'capture.directory.settleSeconds', 0, 86_400, 10) * S,
        pollMs: r.int(d.get('pollSeconds'), 'capture.directory.pollSeconds', 1, 3600, 5) * S,
        deleteAfterRead: r.bool(d.get('deleteAfterRead'), 'capture.directory.deleteAfterRead', false),
      };
    }
  }
  // Said only when none was given (a bad one was reported where it is).
  if (f && interfaces.length === 0 && !command && !directory && src.problems.length === problemsBefore)
    src.problem(node as never, 'capture: give interfaces, a command or a directory to read packets from');
  const filterNode = f?.get('filter');
  const filter = filterNode === undefined ? '' : (src.text(filterNode, 'capture.filter', 4096) ?? '');
  const restartMinMs = r.int(f?.get('restartMinSeconds'), 'capture.restartMinSeconds', 1, 3600, 1) * S;
  const restartMaxMs = r.int(f?.get('restartMaxSeconds'), 'capture.restartMaxSeconds', 1, 86_400, 300) * S;
  if (restartMaxMs < restartMinMs)
    src.problem(f?.get('restartMaxSeconds') as never, 'capture.restartMaxSeconds is below restartMinSeconds');
  return {
    interfaces,
    filter,
    snapLength: r.int(f?.get('snapLength'), 'capture.snapLength', 64, 262_144, 65_535),
    immediate: r.bool(f?.get('immediate'), 'capture.immediate', true),
    bufferMegabytes: r.int(f?.get('bufferMegabytes'), 'capture.bufferMegabytes', 1, 1024, 32),
    tcpdump: f?.has('tcpdump') ? (src.text(f.get('tcpdump'), 'capture.tcpdump', 4096) ?? '') : 'tcpdump',
    command,
    directory,
    restartMinMs,
    restartMaxMs,
  };
}

function readEngine(src: YamlSource, r: Reader, node: unknown): EngineSettings {
  const f = section(src, node, 'engine', [
    'maxFlows',
    'streamBytes',
    'streamBuffers',
    'flowIdleSeconds',
    'maxEndpoints',
    'evictAfterHours',
  ]);
  return {
    maxFlows: r.int(f?.get('maxFlows'), 'engine.maxFlows', 16, 16_777_216, DEFAULT_MAX_FLOWS),
    streamBytes: r.int(f?.get('streamBytes'), 'engine.streamBytes', 64, 1_048_576, 4096),
    streamBuffers: r.int(
      f?.get('streamBuffers'),
      'engine.streamBuffers',
      16,
      1_048_576,
      DEFAULT_STREAM_BUFFERS,
    ),
    flowIdleMs: r.int(f?.get('flowIdleSeconds'), 'engine.flowIdleSeconds', 1, 86_400, 300) * S,
    maxEndpoints: r.int(f?.get('maxEndpoints'), 'engine.maxEndpoints', 16, 16_777_216, 262_144),
    evictAfterMs: r.int(f?.get('evictAfterHours'), 'engine.evictAfterHours', 1, 8760, 24) * 3600 * S,
  };
}

function readUplink(src: YamlSource, r: Reader, node: unknown): UplinkSettings {
  const f = section(src, node, 'uplink', [
    'snapshotSeconds',
    'heartbeatSeconds',
    'configPullSeconds',
    'deviceRefreshMinutes',
    'maxBatchDevices',
    'backoffMinSeconds',
    'backoffMaxSeconds',
  ]);
  const min = r.int(f?.get('backoffMinSeconds'), 'uplink.backoffMinSeconds', 1, 3600, 1) * S;
  const max = r.int(f?.get('backoffMaxSeconds'), 'uplink.backoffMaxSeconds', 1, 86_400, 300) * S;
  if (max < min)
    src.problem(f?.get('backoffMaxSeconds') as never, 'uplink.backoffMaxSeconds is below backoffMinSeconds');
  return {
    snapshotMs: r.int(f?.get('snapshotSeconds'), 'uplink.snapshotSeconds', 1, 86_400, 60) * S,
    heartbeatMs: r.int(f?.get('heartbeatSeconds'), 'uplink.heartbeatSeconds', 1, 86_400, 60) * S,
    configPullMs: r.int(f?.get('configPullSeconds'), 'uplink.configPullSeconds', 5, 86_400, 300) * S,
    deviceRefreshMs:
      r.int(f?.get('deviceRefreshMinutes'), 'uplink.deviceRefreshMinutes', 0, 10_080, 15) * 60 * S,
    maxBatchDevices: r.int(f?.get('maxBatchDevices'), 'uplink.maxBatchDevices', 1, 5000, 1000),
    backoffMinMs: min,
    backoffMaxMs: max,
  };
}

function readScan(src: YamlSource, r: Reader, node: unknown): ScanSchedule | null {
  if (node === undefined) return null;
  const f = src.fields(node, 'scan', ['everyMinutes', 'targets'], ['exclude', 'safe']);
  if (!f) return null;
  const targets = r.cidrs(f.get('targets'), 'scan.targets');
  if (targets.length === 0 && f.get('targets') !== undefined)
    src.problem(f.get('targets') as never, 'scan.targets is empty');
  return {
    everyMs: r.int(f.get('everyMinutes'), 'scan.everyMinutes', 1, 525_600, 1440) * 60 * S,
    targets,
    exclude: r.cidrs(f.get('exclude'), 'scan.exclude'),
    safe: r.bool(f.get('safe'), 'scan.safe', true),
  };
}

function readLog(src: YamlSource, node: unknown): { level: string } {
  const f = section(src, node, 'log', ['level']);
  const level = f?.has('level') ? src.text(f.get('level'), 'log.level', 10) : 'info';
  if (level !== null && !LOG_LEVELS.includes(level))
    src.problem(f?.get('level') as never, `log.level must be one of ${LOG_LEVELS.join(', ')}`);
  return { level: level ?? 'info' };
}

function readMetrics(src: YamlSource, r: Reader, node: unknown): { host: string; port: number } | null {
  if (node === undefined) return null;
  const f = src.fields(node, 'metrics', ['port'], ['host']);
  if (!f) return null;
  const host = f.has('host') ? (src.text(f.get('host'), 'metrics.host', 64) ?? '') : '127.0.0.1';
  return { host, port: r.int(f.get('port'), 'metrics.port', 1, 65_535, 9471) };
}

/** Typed reads with defaults, on top of YamlSource's checks. */
class Reader {
  constructor(readonly src: YamlSource) {}

  int(node: unknown, what: string, min: number, max: number, fallback: number): number {
    if (node === undefined) return fallback;
    const n = this.src.integer(node, what, max);
    if (n === null) return fallback;
    if (n < min) {
      this.src.problem(node as never, `${what} must be between ${min} and ${max}`);
      return fallback;
    }
    return n;
  }

  bool(node: unknown, what: string, fallback: boolean): boolean {
    if (node === undefined) return fallback;
    return this.src.boolean(node, what) ?? fallback;
  }

  cidrs(node: unknown, what: string): Cidr[] {
    const out: Cidr[] = [];
    for (const item of this.src.list(node, what, 1024) ?? []) {
      const text = this.src.text(item, `${what}[]`, 64);
      if (text === null) continue;
      try {
        out.push(parseCidr(text));
      } catch (err) {
        this.src.problem(item as never, `${what}: ${(err as Error).message}`);
      }
    }
    return out;
  }
}
