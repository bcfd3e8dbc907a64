// Repeats a binary-little-endian PLY scene n×n times on a grid in the x–y plane, spaced by
// the scene's extent (as ../shared/scenes/garden/build.sh does for GRID), for the --tile flag.

export function tilePly(bytes: Uint8Array, n: number): Uint8Array {
  if (n === 1) return bytes;
  const text = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(bytes.length, 65536)));
  const end = text.indexOf('end_header\n');
  if (end < 0) throw new Error('tilePly: no end_header in the PLY');
  const headerLen = end + 'end_header\n'.length;
  const header = text.slice(0, headerLen);
  const count = Number(/element vertex (\d+)/.exec(header)?.[1]);
  const props = [...header.matchAll(/property (\w+) (\w+)/g)].map((m) => ({ type: m[1]!, name: m[2]! }));
  if (!props.every((p) => p.type === 'float')) throw new Error('tilePly: only all-float PLYs are supported');
  const stride = props.length * 4;
  const ix = props.findIndex((p) => p.name === 'x');
  const iy = props.findIndex((p) => p.name === 'y');
  const body = new DataView(bytes.buffer, bytes.byteOffset + headerLen, count * stride);
  let [minX, maxX, minY, maxY] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < count; i++) {
    const x = body.getFloat32(i * stride + ix * 4, true);
    const y = body.getFloat32(i * stride + iy * 4, true);
    [minX, maxX, minY, maxY] = [Math.min(minX, x), Math.max(maxX, x), Math.min(minY, y), Math.max(maxY, y)];
  }
  const offsets: [number, number][] = [];
  const half = Math.floor(n / 2);
  for (let i = -half; i < n - half; i++) for (let j = -half; j < n - half; j++) offsets.push([i * (maxX - minX), j * (maxY - minY)]);
  const newHeader = new TextEncoder().encode(header.replace(/element vertex \d+/, `element vertex ${count * offsets.length}`));
  const out = new Uint8Array(newHeader.length + count * stride * offsets.length);
  out.set(newHeader);
  const src = bytes.subarray(headerLen, headerLen + count * stride);
  offsets.forEach(([dx, dy], t) => {
    const base = newHeader.length + t * count * stride;
    out.set(src, base);
    const view = new DataView(out.buffer, base, count * stride);
    for (let i = 0; i < count; i++) {
      view.setFloat32(i * stride + ix * 4, view.getFloat32(i * stride + ix * 4, true) + dx, true);
      view.setFloat32(i * stride + iy * 4, view.getFloat32(i * stride + iy * 4, true) + dy, true);
    }
  });
  return out;
}
