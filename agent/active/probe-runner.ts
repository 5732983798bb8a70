// Runs one probe definition against one port of one target: picks the family that sends it, hands
// every reply to the probe's decoder, and says whether the target answered.

import type { ProbeEnv, Target } from './probe-env.js';
import type { ProbeSpec } from './probe-spec.js';
import { runDns } from './probes/dns-query.js';
import { runSnmp } from './probes/snmp-request.js';
import { tcpExchange } from './probes/tcp-exchange.js';
import { runTls } from './probes/tls-certificate.js';
import { udpExchange } from './probes/udp-exchange.js';
import { observeReply } from './reply-observer.js';

export interface ProbeOutcome {
  /** The target answered the probe's request (a reply that passed the first step's check). */
  replied: boolean;
  /** The port refused (TCP RST, ICMP port unreachable): nothing listens there. */
  refused: boolean;
}

const NONE: ProbeOutcome = { replied: false, refused: false };

export async function runProbe(
  env: ProbeEnv,
  probe: ProbeSpec,
  target: Target,
  port: number,
): Promise<ProbeOutcome> {
  env.scope.check(target.ip);
  switch (probe.kind) {
    case 'banner': {
      const out = await tcpExchange(env, target, {
        port,
        steps: [],
        framing: probe.framing,
        maxReply: probe.maxReply,
        timeoutMs: probe.timeoutMs,
        listenFirst: true,
      });
      if (out.reply.length)
        observeReply(env, probe.decoder!, out.reply, { target, port, transport: 'tcp', local: out.local });
      return { replied: out.stepsAnswered > 0, refused: out.state === 'closed' };
    }
    case 'request':
      return probe.transport === 'udp'
        ? runUdpRequest(env, probe, target, port)
        : runTcpRequest(env, probe, target, port);
    case 'snmp':
      return { replied: await runSnmp(env, target, probe, port), refused: false };
    case 'dns':
      return { replied: await runDns(env, target, probe, port), refused: false };
    case 'tls':
      return { replied: await runTls(env, target, probe, port), refused: false };
    case 'arp':
    case 'tcp-connect':
      return NONE; // The scanner does these itself: they are how it finds targets and open ports.
  }
}

async function runTcpRequest(
  env: ProbeEnv,
  probe: ProbeSpec,
  target: Target,
  port: number,
): Promise<ProbeOutcome> {
  const alternatives = probe.steps[0]!.send.length;
  for (let alt = 0; alt < alternatives; alt++) {
    const out = await tcpExchange(env, target, {
      port,
      steps: probe.steps,
      alternative: alt,
      framing: probe.framing,
      maxReply: probe.maxReply,
      timeoutMs: probe.timeoutMs,
    });
    if (out.state !== 'open') return { replied: false, refused: out.state === 'closed' };
    if (out.reply.length)
      observeReply(env, probe.decoder!, out.reply, { target, port, transport: 'tcp', local: out.local });
    if (out.stepsAnswered > 0) return { replied: true, refused: false };
    if (env.signal.aborted) break;
  }
  return NONE;
}

async function runUdpRequest(
  env: ProbeEnv,
  probe: ProbeSpec,
  target: Target,
  port: number,
): Promise<ProbeOutcome> {
  const out = await udpExchange(env, target, {
    port,
    steps: probe.steps,
    maxReply: probe.maxReply,
    timeoutMs: probe.timeoutMs,
  });
  for (const reply of out.replies) {
    observeReply(env, probe.decoder!, reply, { target, port, transport: 'udp', local: out.local });
  }
  return { replied: out.replies.length > 0, refused: out.refused };
}
