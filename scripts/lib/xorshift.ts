// A small seeded generator (xorshift32) for fixtures, fuzz tests and benchmark data: the same
// sequence on every platform and every run, so a failure names a seed that reproduces it.

/** Numbers in [0, 1) from `seed` (0 is taken as 1: xorshift never leaves an all-zero state). */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x1_0000_0000;
  };
}

/** Whole numbers in [0, n) from `seed`: the same sequence as rng(seed), scaled. */
export function intRng(seed: number): (n: number) => number {
  const next = rng(seed);
  return (n) => Math.floor(next() * n);
}
