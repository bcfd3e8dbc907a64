// A tiny seeded PRNG so pose sampling is reproducible: the same seed gives the same poses on
// every platform (Math.random cannot be seeded).

/** Seeded uniform random numbers. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

/**
 * mulberry32 (Tommy Ettinger's 32-bit generator) seeded through one splitmix32 step, so nearby
 * seeds (0, 1, 2, …) still start far apart. Period 2³²: plenty for sampling poses.
 * @param seed any number; it is truncated to 32 bits.
 */
export function createRng(seed: number): Rng {
  let state = splitmix32(seed >>> 0);
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    int: (n) => Math.floor(next() * n),
  };
}

function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}
