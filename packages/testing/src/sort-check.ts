// CPU oracle for the GPU sort tests.

/** Deterministic keys with many duplicates (so stability is exercised) and values = input index. */
export function makePairs(n: number, keyBits: number, seed = 1): { keys: Uint32Array; values: Uint32Array } {
  const keys = new Uint32Array(n);
  const values = new Uint32Array(n);
  let s = seed >>> 0;
  const mask = keyBits === 32 ? 0xffffffff : (1 << keyBits) - 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    // Draw from a small pool a third of the time so equal keys are common.
    keys[i] = (i % 3 === 0 ? s % 97 : s) & mask;
    values[i] = i;
  }
  return { keys, values };
}

/** Stable CPU sort by the low `keyBits` bits; returns the expected keys and values. */
export function cpuSort(keys: Uint32Array, values: Uint32Array, keyBits: number): { keys: Uint32Array; values: Uint32Array } {
  const mask = keyBits === 32 ? 0xffffffff : (1 << keyBits) - 1;
  const order = Array.from(keys.keys()).sort((a, b) => ((keys[a]! & mask) >>> 0) - ((keys[b]! & mask) >>> 0) || a - b);
  return { keys: Uint32Array.from(order, (i) => keys[i]!), values: Uint32Array.from(order, (i) => values[i]!) };
}

/**
 * Compares two typed arrays and reports the first difference; vitest's deep diff of
 * large arrays is slow enough to look like a hang.
 */
export function firstMismatch(got: ArrayLike<number>, want: ArrayLike<number>): string | undefined {
  if (got.length !== want.length) return `length ${got.length}, expected ${want.length}`;
  for (let i = 0; i < want.length; i++) {
    if (got[i] !== want[i]) return `index ${i}: ${got[i]}, expected ${want[i]}`;
  }
  return undefined;
}
