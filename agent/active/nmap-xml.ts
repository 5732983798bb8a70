// nmap's XML output (-oX -, DTD nmap.dtd 1.05) read as a stream: each <host> becomes a small tree,
// turned into observations as soon as it closes; <taskprogress> drives progress; <finished> says how
// the run ended. Everything in a host element is device-controlled text and is treated as data.
import { cleanText, type Observation, type ObservationValue } from '../../core/observation.js';
import type { ObservationKey } from '../../core/observation-keys.js';
import { scriptObservations } from './nmap-scripts.js';
import { type XmlLimits, XmlStream } from './xml-lite.js';

export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

export interface NmapProgress {
  task: string;
  percent: number;
  /** Seconds nmap estimates are left in this task, when it says. */
  remaining: number | null;
}

export interface NmapFinished {
  exit: string;
  errormsg: string | null;
  elapsed: number | null;
}

export interface NmapEvents {
  host(host: XmlNode): void;
  progress?(p: NmapProgress): void;
  finished?(f: NmapFinished): void;
}

/** Elements in one <host>: a real host has a few hundred; a hostile banner cannot make it millions. */
const MAX_HOST_NODES = 50_000;

export class NmapXmlReader {
  readonly #xml: XmlStream;
  readonly #events: NmapEvents;
  #stack: XmlNode[] = [];
  #nodes = 0;

  constructor(events: NmapEvents, limits: Partial<XmlLimits> = {}) {
    this.#events = events;
    this.#xml = new XmlStream(
      {
        open: (name, attrs) => this.#open(name, attrs),
        close: (name) => this.#close(name),
        text: (text) => {
          const top = this.#stack.at(-1);
          if (top && top.text.length < 1 << 20) top.text += text;
        },
      },
      limits,
    );
  }

  write(chunk: string): void {
    this.#xml.write(chunk);
  }

  end(): void {
    this.#xml.end();
  }

  #open(name: string, attrs: Record<string, string>): void {
    if (this.#stack.length || name === 'host') {
      if (++this.#nodes > MAX_HOST_NODES)
        throw new Error(`nmap XML: a host with more than ${MAX_HOST_NODES} elements`);
      const node: XmlNode = { name, attrs, children: [], text: '' };
      this.#stack.at(-1)?.children.push(node);
      this.#stack.push(node);
      return;
    }
    if (name === 'taskprogress') {
      const percent = Number(attrs.percent);
      if (Number.isFinite(percent)) {
        const remaining = Number(attrs.remaining);
        this.#events.progress?.({
          task: cleanText(attrs.task ?? ''),
          percent,
          remaining: Number.isFinite(remaining) ? remaining : null,
        });
      }
    } else if (name === 'finished') {
      const elapsed = Number(attrs.elapsed);
      this.#events.finished?.({
        exit: attrs.exit ?? 'unknown',
        errormsg: attrs.errormsg ? cleanText(attrs.errormsg) : null,
        elapsed: Number.isFinite(elapsed) ? elapsed : null,
      });
    }
  }

  #close(name: string): void {
    if (!this.#stack.length) return;
    const node = this.#stack.pop()!;
    if (!this.#stack.length && name === 'host') {
      this.#nodes = 0;
      this.#events.host(node);
    }
  }
}

export function child(node: XmlNode, name: string): XmlNode | undefined {
  return node.children.find((c) => c.name === name);
}

export function children(node: XmlNode, name: string): XmlNode[] {
  return node.children.filter((c) => c.name === name);
}

const MAC = /^([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}$/;

/** Observations of one <host>: addresses and nmap's MAC vendor, open ports and services, scripts, OS. */
export function hostObservations(host: XmlNode, fallbackTs: number): Observation[] {
  if (child(host, 'status')?.attrs.state !== 'up') return [];
  const addresses = children(host, 'address');
  const ip = addresses.find((a) => a.attrs.addrtype === 'ipv4' || a.attrs.addrtype === 'ipv6')?.attrs.addr;
  if (!ip) return [];
  const macNode = addresses.find((a) => a.attrs.addrtype === 'mac' && MAC.test(a.attrs.addr ?? ''));
  const mac = macNode?.attrs.addr?.toLowerCase();
  const end = Number(host.attrs.endtime);
  const ts = Number.isFinite(end) && end > 0 ? end * 1000 : fallbackTs;
  const out: Observation[] = [];
  const add = (key: ObservationKey, value: ObservationValue, port?: number, proto?: 'tcp' | 'udp') => {
    const v = typeof value === 'string' ? cleanText(value) : value;
    if (v === '' || (typeof v === 'number' && !Number.isFinite(v))) return;
    out.push({
      ts,
      source: 'active',
      key,
      value: v,
      ip,
      ...(mac ? { mac } : {}),
      ...(port ? { port, proto } : {}),
    });
  };
  if (mac) {
    add('mac.ip', ip);
    if (macNode?.attrs.vendor) add('nmap.mac_vendor', macNode.attrs.vendor);
  }
  for (const port of children(child(host, 'ports') ?? host, 'port')) {
    if (child(port, 'state')?.attrs.state !== 'open') continue;
    const number = Number(port.attrs.portid);
    const proto = port.attrs.protocol;
    if (!Number.isInteger(number) || number < 1 || number > 65535 || (proto !== 'tcp' && proto !== 'udp'))
      continue;
    add('net.service', `${proto}/${number}`, number, proto);
    const service = child(port, 'service');
    if (service && service.attrs.method === 'probed') {
      const s = service.attrs;
      const text = [s.name, s.product, s.version, s.extrainfo ? `(${s.extrainfo})` : undefined]
        .filter(Boolean)
        .join(' ');
      add('nmap.service', `${number}/${proto} ${text}`, number, proto);
      if (s.product) add('nmap.product', s.product, number, proto);
    }
    for (const cpe of children(service ?? port, 'cpe')) add('nmap.cpe', cpe.text.trim(), number, proto);
    for (const script of children(port, 'script')) {
      for (const [key, value] of scriptObservations(script)) add(key, value, number, proto);
    }
  }
  for (const script of children(child(host, 'hostscript') ?? host, 'script')) {
    for (const [key, value] of scriptObservations(script)) add(key, value);
  }
  // Only the best OS matches: lower-accuracy alternatives are nmap's guesses, not evidence.
  const matches = children(child(host, 'os') ?? host, 'osmatch');
  const best = Math.max(0, ...matches.map((m) => Number(m.attrs.accuracy) || 0));
  for (const m of matches.filter((x) => (Number(x.attrs.accuracy) || 0) === best && best > 0)) {
    add('nmap.os', `${m.attrs.name ?? '?'} (${best}%)`);
    for (const cls of children(m, 'osclass'))
      for (const cpe of children(cls, 'cpe')) add('nmap.cpe', cpe.text.trim());
  }
  return out;
}
