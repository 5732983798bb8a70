// A full garbage collection after each snapshot. V8 lets the old generation grow to about twice its
// live size before it collects it: measured with `npm run bench:agent`, the daemon's heap swung
// between ~35 MB live and ~85 MB, and the RSS with it, past the agent's 150 MB budget. One full
// collection per snapshot (each minute by default) keeps the peak near the live size plus one
// interval's garbage. `gc` exists only when V8's expose-gc flag was set before the daemon's thread
// made its context: run-agent.ts calls enableFullGc() first.
import { setFlagsFromString } from 'node:v8';

export function enableFullGc(): void {
  setFlagsFromString('--expose-gc');
}

/** Runs a full collection; its duration in ms, or null when gc is not exposed. */
export function fullGc(): number | null {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return null;
  const start = performance.now();
  gc();
  return performance.now() - start;
}
