// A least-recently-used map bounded by bytes (each entry states its size). A Map keeps
// insertion order, so re-inserting on use makes the first key the least recently used.

export interface ByteLru<V> {
  readonly budget: number;
  readonly bytes: number;
  readonly size: number;
  /** Entries pushed out by `set` to stay within the budget. */
  readonly evictions: number;
  /** The value, marked as most recently used. */
  get(key: string): V | undefined;
  has(key: string): boolean;
  /**
   * Stores `value` as most recently used, evicting least recently used entries until it fits.
   * Returns false (and stores nothing) when `bytes` alone exceeds the budget.
   */
  set(key: string, value: V, bytes: number): boolean;
  delete(key: string): void;
  /** Drops every entry (disposing each; not counted as evictions). */
  clear(): void;
}

/** `dispose` runs for every value that leaves the map (evicted, replaced, deleted, cleared). */
export function createByteLru<V>(budget: number, dispose: (value: V) => void = () => {}): ByteLru<V> {
  if (!(budget >= 0)) throw new RangeError(`LRU budget must be ≥ 0 bytes, got ${budget}`);
  const map = new Map<string, { value: V; bytes: number }>();
  let bytes = 0;
  let evictions = 0;

  const remove = (key: string): void => {
    const e = map.get(key);
    if (!e) return;
    map.delete(key);
    bytes -= e.bytes;
    dispose(e.value);
  };

  return {
    budget,
    get bytes() {
      return bytes;
    },
    get size() {
      return map.size;
    },
    get evictions() {
      return evictions;
    },
    get(key) {
      const e = map.get(key);
      if (!e) return undefined;
      map.delete(key);
      map.set(key, e);
      return e.value;
    },
    has: (key) => map.has(key),
    set(key, value, size) {
      remove(key);
      if (size > budget) {
        dispose(value);
        return false;
      }
      while (bytes + size > budget) {
        const oldest = map.keys().next().value as string;
        remove(oldest);
        evictions++;
      }
      map.set(key, { value, bytes: size });
      bytes += size;
      return true;
    },
    delete: remove,
    clear() {
      for (const key of [...map.keys()]) remove(key);
    },
  };
}
