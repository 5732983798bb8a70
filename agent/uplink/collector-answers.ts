// Checks of what the collector answers the agent (a batch acknowledgement, the agent's config), by
// hand rather than with the TypeBox validators of core/wire.ts: loading TypeBox costs the
// long-running agent ~20 MB of RSS (measured: 82 → 61 MB for the daemon's modules), a seventh of its
// budget. The rules are those of BatchAck and AgentConfig in core/wire.ts; a test holds both to the
// same verdict on valid and mutated answers, so the two cannot drift apart unnoticed.
import type { AgentConfig, BatchAck } from '../../core/wire.js';
import { WIRE_LIMITS } from '../../core/wire-limits.js';

type Obj = Record<string, unknown>;

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every key of `v` is allowed and every required key is present (additionalProperties: false). */
function hasShape(v: Obj, required: readonly string[], optional: readonly string[] = []): boolean {
  for (const k of required) if (!Object.hasOwn(v, k)) return false;
  for (const k of Object.keys(v)) if (!required.includes(k) && !optional.includes(k)) return false;
  return true;
}

const isInt = (v: unknown, min = -Infinity, max = Infinity): boolean =>
  Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

/** JSON Schema counts string length in code points. */
function isText(v: unknown, maxLength: number): boolean {
  if (typeof v !== 'string') return false;
  if (v.length <= maxLength) return true;
  let n = 0;
  for (const _ of v) if (++n > maxLength) return false;
  return true;
}

const isTextArray = (v: unknown, maxLength: number, minItems: number, maxItems: number): boolean =>
  Array.isArray(v) && v.length >= minItems && v.length <= maxItems && v.every((s) => isText(s, maxLength));

export function isBatchAck(v: unknown): v is BatchAck {
  if (!isObject(v)) return false;
  const counts = ['devices', 'evidence', 'connections', 'observations'];
  if (!hasShape(v, ['batchId', 'duplicate', 'receivedAt', 'skipped', ...counts])) return false;
  if (typeof v.batchId !== 'string' || typeof v.duplicate !== 'boolean') return false;
  if (typeof v.receivedAt !== 'string' || !isText(v.receivedAt, 40) || !ISO_UTC.test(v.receivedAt))
    return false;
  if (!counts.every((k) => isInt(v[k]))) return false;
  const skipped = v.skipped;
  return (
    isObject(skipped) &&
    hasShape(skipped, ['unknownKeys', 'capped']) &&
    isInt(skipped.unknownKeys) &&
    isInt(skipped.capped)
  );
}

export function isAgentConfig(v: unknown): v is AgentConfig {
  if (!isObject(v)) return false;
  const required = [
    'agentId',
    'siteId',
    'homeNet',
    'uploadIntervalSeconds',
    'heartbeatIntervalSeconds',
    'maxBatchDevices',
  ];
  if (!hasShape(v, required, ['capture', 'scan'])) return false;
  if (!isInt(v.agentId) || !isInt(v.siteId)) return false;
  if (!isTextArray(v.homeNet, 64, 0, 256)) return false;
  if (!isInt(v.uploadIntervalSeconds, 5, 86_400) || !isInt(v.heartbeatIntervalSeconds, 5, 86_400))
    return false;
  if (!isInt(v.maxBatchDevices, 1, WIRE_LIMITS.devices)) return false;
  if (v.capture !== undefined) {
    const c = v.capture;
    if (!isObject(c) || !hasShape(c, [], ['filter', 'snapLength'])) return false;
    if (c.filter !== undefined && !isText(c.filter, 4096)) return false;
    if (c.snapLength !== undefined && !isInt(c.snapLength, 64, 262_144)) return false;
  }
  if (v.scan !== undefined && v.scan !== null) {
    const s = v.scan;
    if (!isObject(s) || !hasShape(s, ['everyMinutes', 'targets', 'exclude', 'safe'])) return false;
    if (!isInt(s.everyMinutes, 1, 525_600) || typeof s.safe !== 'boolean') return false;
    if (!isTextArray(s.targets, 64, 1, 256) || !isTextArray(s.exclude, 64, 0, 256)) return false;
  }
  return true;
}
