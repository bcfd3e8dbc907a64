import { encode as encodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { decodeImageSync, sniffImageFormat, toFloatRgba } from '../src/dataset/decode.ts';

describe('decodeImageSync', () => {
  it('decodes 8-bit RGB, RGBA and grey+alpha PNGs to RGBA8', () => {
    const rgb = encodePng({ width: 2, height: 1, channels: 3, depth: 8, data: Uint8Array.from([255, 0, 0, 10, 20, 30]) });
    expect(sniffImageFormat(rgb)).toBe('png');
    const a = decodeImageSync(rgb);
    expect([a.width, a.height]).toEqual([2, 1]);
    expect(Array.from(a.data)).toEqual([255, 0, 0, 255, 10, 20, 30, 255]);
    const rgba = encodePng({ width: 1, height: 2, channels: 4, depth: 8, data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]) });
    expect(Array.from(decodeImageSync(rgba).data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const ga = encodePng({ width: 2, height: 1, channels: 2, depth: 8, data: Uint8Array.from([100, 50, 200, 255]) });
    expect(Array.from(decodeImageSync(ga).data)).toEqual([100, 100, 100, 50, 200, 200, 200, 255]);
  });

  it('keeps the high byte of 16-bit PNGs', () => {
    const grey16 = encodePng({ width: 2, height: 1, channels: 1, depth: 16, data: Uint16Array.from([0x1234, 0xff00]) });
    expect(Array.from(decodeImageSync(grey16).data)).toEqual([0x12, 0x12, 0x12, 255, 0xff, 0xff, 0xff, 255]);
  });

  it('decodes a JPEG within compression error', () => {
    const width = 16;
    const height = 8;
    const data = new Uint8Array(width * height * 4);
    for (let i = 0; i < width * height; i++) data.set([200, 100, 50, 255], 4 * i);
    const bytes = new Uint8Array(jpeg.encode({ width, height, data }, 100).data);
    expect(sniffImageFormat(bytes)).toBe('jpeg');
    const img = decodeImageSync(bytes, 'flat.jpg');
    expect([img.width, img.height]).toEqual([16, 8]);
    for (let i = 0; i < width * height; i++) {
      expect(Math.abs((img.data[4 * i] as number) - 200)).toBeLessThanOrEqual(3);
      expect(Math.abs((img.data[4 * i + 1] as number) - 100)).toBeLessThanOrEqual(3);
      expect(Math.abs((img.data[4 * i + 2] as number) - 50)).toBeLessThanOrEqual(3);
      expect(img.data[4 * i + 3]).toBe(255);
    }
    const f = toFloatRgba(img);
    expect(f.data[3]).toBe(1);
    expect(Math.abs((f.data[0] as number) - 200 / 255)).toBeLessThan(0.02);
  });

  it('names the image when the bytes are not a PNG or JPEG, or are corrupt', () => {
    expect(() => decodeImageSync(new TextEncoder().encode('GIF89a'), 'a.gif')).toThrow('a.gif: not a PNG or JPEG (6 bytes, starting 47 49 46 38)');
    const png = encodePng({ width: 4, height: 4, channels: 3, depth: 8, data: new Uint8Array(48) });
    expect(() => decodeImageSync(png.subarray(0, 30), 'cut.png')).toThrow(/^cut\.png: cannot decode PNG: /);
  });
});
