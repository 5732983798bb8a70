// A one-shot inventory (`analyze --upload`) as wire batches, each checked against the wire schema
// before it is sent. Apart from upload.ts because the check loads TypeBox, which the long-running
// agent (it sends spooled batches it built itself) does without.
import { randomUUID } from 'node:crypto';
import { Compile } from 'typebox/compile';
import type { AnalyzeReport } from '../../core/inventory.js';
import { Batch, type BatchAck, toWireConnection, toWireDevice, WIRE_LIMITS } from '../../core/wire.js';
import { gzipBatch, UploadError, type UploadOptions, uploadGzipped } from './upload.js';

// Checked before sending so that a bug on this side never costs a round trip.
const checkBatch = Compile(Batch);

/** Gzips and POSTs one batch; resolves with the collector's acknowledgement. */
export async function uploadBatch(batch: Batch, opts: UploadOptions): Promise<BatchAck> {
  if (!checkBatch.Check(batch)) {
    const first = [...checkBatch.Errors(batch)]
      .slice(0, 3)
      .map((e) => `${e.instancePath || '/'} ${e.message}`);
    throw new UploadError('rejected', `the batch does not match the wire schema: ${first.join('; ')}`);
  }
  return uploadGzipped(await gzipBatch(batch), opts);
}

/**
 * Cuts an `analyze` report into batches of at most `maxDevices` devices (connections go with
 * the batch of their device), each with a fresh batchId. seq counts from `firstSeq`.
 */
export function batchesFromReport(
  report: Pick<AnalyzeReport, 'devices' | 'connections'>,
  agentId: number,
  opts: { maxDevices?: number; firstSeq?: number; now?: Date } = {},
): Batch[] {
  const max = Math.min(opts.maxDevices ?? 1_000, WIRE_LIMITS.devices);
  const createdAt = (opts.now ?? new Date()).toISOString();
  const byDevice = new Map<string, AnalyzeReport['connections']>();
  for (const c of report.connections) {
    const list = byDevice.get(c.device) ?? [];
    list.push(c);
    byDevice.set(c.device, list);
  }
  const batches: Batch[] = [];
  let seq = opts.firstSeq ?? 0;
  const push = (devices: Batch['devices'], connections: Batch['connections']) =>
    batches.push({
      agentId,
      batchId: randomUUID(),
      seq: seq++,
      createdAt,
      devices,
      connections,
      observations: [],
    });
  for (let i = 0; i < report.devices.length; i += max) {
    const chunk = report.devices.slice(i, i + max);
    const connections = chunk.flatMap((d) => (byDevice.get(d.id) ?? []).map(toWireConnection));
    for (const d of chunk) byDevice.delete(d.id);
    for (let j = 0; j < connections.length || j === 0; j += WIRE_LIMITS.connections) {
      push(j === 0 ? chunk.map(toWireDevice) : [], connections.slice(j, j + WIRE_LIMITS.connections));
    }
  }
  // Connections of devices not in the report (should not happen): still sent, the collector makes the device.
  const rest = [...byDevice.values()].flat().map(toWireConnection);
  for (let j = 0; j < rest.length; j += WIRE_LIMITS.connections)
    push([], rest.slice(j, j + WIRE_LIMITS.connections));
  return batches;
}
