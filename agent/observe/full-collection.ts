// One full garbage collection between the engine and the inventory of `analyze`: the engine's flow
// table, stream buffers and decoders' garbage are unreachable then, but V8 collects the old
// generation only once it has about doubled, so the inventory's allocations (4,000 devices and
// 72,905 connections on the bench capture) came on top of them: one collection there lowered the
// peak RSS from ~191 to ~180 MB (engine + buildInventory on the bench capture). The same flag and the same
// new-context trick as jest's leak detector: `gc` is exposed only to contexts made after the flag.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | null | undefined;

/** Runs a full collection; false when this V8 refuses to expose one (then nothing happens). */
export function fullCollection(): boolean {
  if (gc === undefined) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (exposed) gc = exposed;
    else {
      setFlagsFromString('--expose-gc');
      const fn: unknown = runInNewContext('typeof gc === "function" ? gc : null');
      gc = typeof fn === 'function' ? (fn as () => void) : null;
    }
  }
  if (!gc) return false;
  gc();
  return true;
}
