// One full garbage collection on demand. V8 collects the old generation only once it has about
// doubled, so garbage that is already unreachable still counts in the RSS until then. Used at two
// moments where that matters, each measured:
// - `analyze`, between the engine and the inventory: the flow table, stream buffers and decoders'
//   garbage are unreachable, and the inventory's allocations (4,000 devices and 7,290 connections
//   on the bench capture) came on top of them; one collection lowered the peak RSS ~191 → ~180 MB.
// - the agent daemon, after each snapshot: its heap swung between ~35 MB live and ~85 MB
//   (`npm run bench:agent`), past the agent's 150 MB budget; one collection per snapshot keeps the
//   peak near the live size plus one interval's garbage.
// `gc` is exposed only to contexts made after V8's expose-gc flag is set: the flag is set at run
// time and `gc` taken from a new context (the trick of jest's leak detector), so no command-line
// flag is needed, on the main thread or a worker.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | null | undefined;

/** Runs a full collection; its duration in ms, or null when this V8 refuses to expose one. */
export function fullCollection(): number | null {
  if (gc === undefined) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (exposed) gc = exposed;
    else {
      setFlagsFromString('--expose-gc');
      const fn: unknown = runInNewContext('typeof gc === "function" ? gc : null');
      gc = typeof fn === 'function' ? (fn as () => void) : null;
    }
  }
  if (!gc) return null;
  const start = performance.now();
  gc();
  return performance.now() - start;
}
