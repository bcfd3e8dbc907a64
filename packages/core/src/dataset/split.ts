// Train/test splits for datasets that ship none (COLMAP models, most transforms.json).

/**
 * Every `n`-th item (index 0, n, 2n, …) goes to test, the rest to train: the "LLFF hold"
 * that 3DGS and NeRF papers use with n = 8. `n = 0` puts everything in train.
 */
export function splitEveryNth(count: number, n: number): { train: number[]; test: number[] } {
  if (!(Number.isInteger(n) && n >= 0)) throw new Error(`splitEveryNth: n must be an integer ≥ 0, got ${n}`);
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < count; i++) (n > 0 && i % n === 0 ? test : train).push(i);
  return { train, test };
}

/**
 * Items whose name is in `testNames` go to test, the rest to train.
 * @throws listing the first few test names that match no item (a typo would silently empty the test set).
 */
export function splitByNames(names: readonly string[], testNames: Iterable<string>, what = 'split'): { train: number[]; test: number[] } {
  const wanted = new Set(testNames);
  const known = new Set(names);
  const unknown = [...wanted].filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new Error(`${what}: ${unknown.length} test names match no image, e.g. ${unknown.slice(0, 3).join(', ')}`);
  }
  const train: number[] = [];
  const test: number[] = [];
  names.forEach((n, i) => (wanted.has(n) ? test : train).push(i));
  return { train, test };
}
