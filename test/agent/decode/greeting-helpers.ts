// Shared by the greeting decoder tests: server/client contexts on a given port, decode+observe.

import { DecodeError } from '../../../agent/decode/errors.js';
import type { AppContext, AppDecoder } from '../../../agent/decode/types.js';
import { ctx, RecordingEmitter } from './helpers.js';

export function serverCtx(port: number): AppContext {
  return ctx('tcp', {
    src: { mac: '00:80:f4:00:00:05', ip: '192.168.0.30', port },
    dst: { mac: '00:1b:1b:00:00:01', ip: '192.168.0.10', port: 50400 },
    fromClient: false,
  });
}

export function clientCtx(port: number): AppContext {
  return ctx('tcp', {
    src: { mac: '00:1b:1b:00:00:01', ip: '192.168.0.10', port: 50400 },
    dst: { mac: '00:80:f4:00:00:05', ip: '192.168.0.30', port },
  });
}

export const text = (s: string): Buffer => Buffer.from(s, 'latin1');

export function observeWith<P>(decoder: AppDecoder<P>, bytes: Uint8Array, c: AppContext): RecordingEmitter {
  const out = new RecordingEmitter();
  decoder.observe(decoder.decode(bytes, c), c, out);
  return out;
}

export function thrown(fn: () => unknown): DecodeError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DecodeError) return err;
    throw err;
  }
  throw new Error('expected a DecodeError');
}
