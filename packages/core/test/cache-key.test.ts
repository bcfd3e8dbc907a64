// Pure parts of the render cache: hashes, keys, the byte-bounded LRU, the entry format.
import { describe, expect, it } from 'vitest';
import { decodeEntry, encodeEntry, HEADER_BYTES, toHostPixels } from '../src/cache/entry.ts';
import { crc32, fnv1a64, fnv1a64String } from '../src/cache/hash.ts';
import { contextKey, renderSettingsKey, viewKeys } from '../src/cache/key.ts';
import { createByteLru } from '../src/cache/lru.ts';

/** FNV-1a 64 with BigInt: the oracle for the 16-bit-limb version. */
function fnvBig(bytes: Uint8Array): string {
  let h = 0xcbf29ce484222325n;
  for (const b of bytes) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h.toString(16).padStart(16, '0');
}

describe('hashes', () => {
  it('FNV-1a 64 matches the published vectors and a BigInt reference', () => {
    expect(fnv1a64String('')).toBe('cbf29ce484222325');
    expect(fnv1a64String('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64String('foobar')).toBe('85944171f73967e8');
    let seed = 7;
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n * 13 }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
      expect(fnv1a64(bytes)).toBe(fnvBig(bytes));
    }
  });

  it('CRC-32 matches the check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

describe('view keys', () => {
  const q = { poseQuantum: 1e-4, intrinsicsQuantum: 1e-3 };
  const ctx = contextKey('00112233aabbccdd', renderSettingsKey({ mode: 'classic', shDegree: 1, background: [0, 0, 0] }));
  // Entries on the quantum grid (bucket centres), so ±0.3 quantum stays inside the bucket.
  const grid = (v: number) => Math.round(v / q.poseQuantum) * q.poseQuantum;
  const viewmat = [0.8, 0, 0.6, 0.1, 0, 1, 0, -0.2, -0.6, 0, 0.8, 3.5, 0, 0, 0, 1].map(grid);
  const K = [30, 0, 16, 0, 30, 12, 0, 0, 1];
  const batch = (vm: number[], k = K, width = 32, height = 24) => ({ viewmats: new Float32Array(vm), Ks: new Float32Array(k), width, height });
  const key = (vm: number[], k = K, c = ctx, width = 32, height = 24) => viewKeys(batch(vm, k, width, height), c, q)[0]!;

  it('are 16 hex digits, stable across calls and equal for equal views', () => {
    const a = key(viewmat);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(key([...viewmat])).toBe(a);
    const two = viewKeys(batch([...viewmat, ...viewmat], [...K, ...K]), ctx, q);
    expect(two).toEqual([a, a]);
  });

  it('ignore changes within the quantum and notice changes beyond it', () => {
    const base = key(viewmat);
    for (const i of [0, 3, 7, 11]) {
      const within = [...viewmat];
      within[i]! += 0.3 * q.poseQuantum;
      expect(key(within)).toBe(base);
      const beyond = [...viewmat];
      beyond[i]! += 1.5 * q.poseQuantum;
      expect(key(beyond)).not.toBe(base);
    }
    const k2 = [...K];
    k2[2]! += 0.3 * q.intrinsicsQuantum;
    expect(key(viewmat, k2)).toBe(base);
    k2[2]! += 2 * q.intrinsicsQuantum;
    expect(key(viewmat, k2)).not.toBe(base);
  });

  it('depend on image size, scene and settings, and treat -0 as 0', () => {
    const base = key(viewmat);
    expect(key(viewmat, K, ctx, 33, 24)).not.toBe(base);
    expect(key(viewmat, K, ctx, 32, 25)).not.toBe(base);
    expect(key(viewmat, K, contextKey('00112233aabbccde', 'mode=classic;sh=1;bg=0,0,0'))).not.toBe(base);
    const settings = (s: Parameters<typeof renderSettingsKey>[0]) => key(viewmat, K, contextKey('00112233aabbccdd', renderSettingsKey(s)));
    expect(settings({ mode: 'antialiased', shDegree: 1, background: [0, 0, 0] })).not.toBe(base);
    expect(settings({ mode: 'classic', shDegree: 0, background: [0, 0, 0] })).not.toBe(base);
    expect(settings({ mode: 'classic', shDegree: 1, background: [0, 0, 0.5] })).not.toBe(base);
    const negZero = viewmat.map((v) => (v === 0 ? -0 : v));
    expect(key(negZero)).toBe(base);
  });

  it('accept one shared K and reject malformed input', () => {
    const two = viewKeys(batch([...viewmat, ...viewmat], K), ctx, q);
    expect(two).toEqual(viewKeys(batch([...viewmat, ...viewmat], [...K, ...K]), ctx, q));
    expect(() => viewKeys(batch(viewmat.slice(1)), ctx, q)).toThrow('viewmats must hold C·16 numbers');
    expect(() => viewKeys(batch(viewmat, K.slice(1)), ctx, q)).toThrow('Ks must hold 9 or C·9');
    expect(() => viewKeys(batch(viewmat.map((v, i) => (i === 5 ? NaN : v))), ctx, q)).toThrow('non-finite');
  });
});

describe('byte-bounded LRU', () => {
  it('evicts least recently used entries until the new one fits, disposing them', () => {
    const disposed: string[] = [];
    const lru = createByteLru<string>(100, (v) => disposed.push(v));
    lru.set('a', 'A', 40);
    lru.set('b', 'B', 40);
    expect(lru.get('a')).toBe('A'); // a is now the most recent
    lru.set('c', 'C', 40); // 120 > 100: b goes
    expect(disposed).toEqual(['B']);
    expect([lru.has('a'), lru.has('b'), lru.has('c')]).toEqual([true, false, true]);
    expect([lru.bytes, lru.size, lru.evictions]).toEqual([80, 2, 1]);
    lru.set('d', 'D', 100); // needs everything
    expect(disposed).toEqual(['B', 'A', 'C']);
    expect([lru.bytes, lru.size, lru.evictions]).toEqual([100, 1, 3]);
    expect(lru.set('e', 'E', 101)).toBe(false); // never fits: not stored, d stays
    expect([lru.has('d'), lru.has('e')]).toEqual([true, false]);
    lru.clear();
    expect([lru.bytes, lru.size, lru.evictions]).toEqual([0, 0, 3]);
  });
});

describe('persistent entry format', () => {
  const want = { key: '0123456789abcdef', context: 'fedcba9876543210', width: 4, height: 2 };
  const rgba = Float32Array.from({ length: 4 * 2 * 4 }, (_, i) => (i % 7) / 7);

  it('round-trips RGBA8 and f32 pixels', () => {
    for (const format of ['rgba8', 'f32'] as const) {
      const px = toHostPixels(rgba, format);
      const bytes = encodeEntry(want, px);
      expect(bytes.length).toBe(HEADER_BYTES + px.byteLength);
      const back = decodeEntry(bytes, want);
      expect(back.ok && Array.from(back.pixels)).toEqual(Array.from(px));
    }
  });

  it('detects every single-bit flip, truncation, and a key/context/size mismatch', () => {
    const bytes = encodeEntry(want, toHostPixels(rgba, 'rgba8'));
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      const bad = bytes.slice();
      bad[bit >> 3]! ^= 1 << (bit & 7);
      expect(decodeEntry(bad, want).ok, `bit ${bit}`).toBe(false);
    }
    for (const len of [0, 10, HEADER_BYTES - 1, HEADER_BYTES, bytes.length - 1]) {
      expect(decodeEntry(bytes.subarray(0, len), want).ok).toBe(false);
    }
    expect(decodeEntry(bytes, { ...want, key: '0123456789abcdee' })).toEqual({ ok: false, reason: 'key mismatch' });
    expect(decodeEntry(bytes, { ...want, context: '0000000000000000' })).toEqual({ ok: false, reason: 'context (scene or settings) mismatch' });
    expect(decodeEntry(bytes, { ...want, width: 2, height: 4 })).toEqual({ ok: false, reason: 'size mismatch' });
  });
});
