// Little-endian cursor over an ArrayBuffer whose errors say which file, byte and field ran short.

export class BinaryReader {
  private readonly view: DataView;
  private offset = 0;

  constructor(
    data: ArrayBuffer | ArrayBufferView,
    private readonly file: string,
  ) {
    this.view = ArrayBuffer.isView(data)
      ? new DataView(data.buffer, data.byteOffset, data.byteLength)
      : new DataView(data);
  }

  get position(): number {
    return this.offset;
  }

  get remaining(): number {
    return this.view.byteLength - this.offset;
  }

  private take(n: number, what: string): number {
    if (this.remaining < n) {
      throw new Error(`${this.file}: truncated at byte ${this.offset} reading ${what} (needs ${n} bytes, ${this.remaining} left)`);
    }
    const at = this.offset;
    this.offset += n;
    return at;
  }

  u8(what: string): number {
    return this.view.getUint8(this.take(1, what));
  }

  i32(what: string): number {
    return this.view.getInt32(this.take(4, what), true);
  }

  u32(what: string): number {
    return this.view.getUint32(this.take(4, what), true);
  }

  /** uint64 as a number; throws past 2⁵³ since such counts or sizes mean a corrupt file. */
  u64(what: string): number {
    const at = this.offset;
    const v = this.view.getBigUint64(this.take(8, what), true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`${this.file}: ${what} at byte ${at} is ${v}, too large to be real`);
    return Number(v);
  }

  f64(what: string): number {
    return this.view.getFloat64(this.take(8, what), true);
  }

  f64s(n: number, what: string): Float64Array {
    return Float64Array.from({ length: n }, (_, i) => this.f64(`${what}[${i}]`));
  }

  /** NUL-terminated UTF-8 string. */
  cstring(what: string): string {
    const start = this.offset;
    const bytes = new Uint8Array(this.view.buffer, this.view.byteOffset, this.view.byteLength);
    let end = start;
    while (end < bytes.length && bytes[end] !== 0) end++;
    if (end >= bytes.length) throw new Error(`${this.file}: unterminated ${what} starting at byte ${start}`);
    this.offset = end + 1;
    return new TextDecoder().decode(bytes.subarray(start, end));
  }

  /** Throws if `count` records of at least `minBytes` each cannot fit: a corrupt count, caught before allocating. */
  checkCount(count: number, minBytes: number, what: string): void {
    if (count * minBytes > this.remaining) {
      throw new Error(`${this.file}: header claims ${count} ${what}, but the ${this.remaining} bytes left cannot hold them`);
    }
  }

  /** Skips `count` records of `size` bytes each. */
  skip(count: number, size: number, what: string): void {
    this.take(count * size, `${count} ${what}`);
  }

  /** Throws if bytes are left over: the file is not what the reader thought it was. */
  expectEnd(what: string): void {
    if (this.remaining !== 0) throw new Error(`${this.file}: ${this.remaining} bytes left over after ${what}`);
  }
}
