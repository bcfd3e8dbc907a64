// Where a dropped scene's Gaussians are: their centres, read from the file, so that cameras can
// be placed around them. The rasterizer has already validated the file (loadScene); this only
// needs x, y, z of the first element of a PLY, or the first 12 bytes of each .splat record.

const PLY_SIZES: Record<string, number> = {
  char: 1, uchar: 1, int8: 1, uint8: 1, short: 2, ushort: 2, int16: 2, uint16: 2,
  int: 4, uint: 4, int32: 4, uint32: 4, float: 4, float32: 4, double: 8, float64: 8,
};

/** At most this many centres are read (evenly spread over the file): enough for a median. */
const MAX_POINTS = 100_000;

/** xyz of up to `MAX_POINTS` Gaussians, [N, 3]. */
export function scenePoints(bytes: Uint8Array): Float32Array {
  const head = new TextDecoder().decode(bytes.subarray(0, Math.min(bytes.length, 64 * 1024)));
  if (!head.startsWith('ply')) return splatPoints(bytes);
  const end = head.indexOf('end_header');
  const bodyStart = head.indexOf('\n', end) + 1;
  if (end < 0 || bodyStart <= 0) throw new Error('scene points: PLY header has no end_header line');
  const lines = head.slice(0, end).split('\n').map((l) => l.trim());
  const format = lines.find((l) => l.startsWith('format '))?.split(/\s+/)[1] ?? '';
  const first = lines.findIndex((l) => l.startsWith('element '));
  const count = Number(lines[first]?.split(/\s+/)[2]);
  const props: { name: string; type: string }[] = [];
  for (const line of lines.slice(first + 1)) {
    if (line.startsWith('element ')) break;
    const parts = line.split(/\s+/);
    if (parts[0] !== 'property') continue;
    if (parts[1] === 'list') throw new Error('scene points: list properties in the first PLY element are not supported');
    props.push({ name: parts[2] ?? '', type: parts[1] ?? '' });
  }
  const index = ['x', 'y', 'z'].map((axis) => props.findIndex((p) => p.name === axis));
  if (!(count > 0) || index.some((i) => i < 0)) throw new Error('scene points: the first PLY element has no x, y, z');
  const step = Math.max(1, Math.ceil(count / MAX_POINTS));
  const out = new Float32Array(Math.ceil(count / step) * 3);
  if (format === 'ascii') {
    const rows = new TextDecoder().decode(bytes.subarray(bodyStart)).split('\n');
    for (let v = 0, o = 0; v < count; v += step, o += 3) {
      const cols = (rows[v] ?? '').trim().split(/\s+/);
      for (let k = 0; k < 3; k++) out[o + k] = Number(cols[index[k] as number]);
    }
    return out;
  }
  if (format !== 'binary_little_endian') throw new Error(`scene points: PLY format "${format}" is not read here`);
  const offsets: number[] = [];
  let stride = 0;
  for (const p of props) {
    const size = PLY_SIZES[p.type];
    if (size === undefined) throw new Error(`scene points: unknown PLY property type "${p.type}"`);
    offsets.push(stride);
    stride += size;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + bodyStart, count * stride);
  for (let v = 0, o = 0; v < count; v += step, o += 3) {
    for (let k = 0; k < 3; k++) {
      const at = v * stride + (offsets[index[k] as number] as number);
      const type = props[index[k] as number]?.type;
      out[o + k] = type === 'double' || type === 'float64' ? view.getFloat64(at, true) : view.getFloat32(at, true);
    }
  }
  return out;
}

/** antimatter15 `.splat`: 32 bytes per Gaussian, position first (3 × f32). */
function splatPoints(bytes: Uint8Array): Float32Array {
  const count = Math.floor(bytes.length / 32);
  const step = Math.max(1, Math.ceil(count / MAX_POINTS));
  const out = new Float32Array(Math.ceil(count / step) * 3);
  const view = new DataView(bytes.buffer, bytes.byteOffset, count * 32);
  for (let v = 0, o = 0; v < count; v += step, o += 3) {
    for (let k = 0; k < 3; k++) out[o + k] = view.getFloat32(v * 32 + 4 * k, true);
  }
  return out;
}

export interface SceneExtent {
  /** Per-axis median of the centres (robust to floaters). */
  center: [number, number, number];
  /** Median distance of the centres from `center`. */
  radius: number;
}

/** The middle of the scene and how far its Gaussians typically are from it. */
export function sceneExtent(points: Float32Array): SceneExtent {
  const n = points.length / 3;
  if (n === 0) throw new Error('scene points: the scene has no Gaussians');
  const median = (values: Float64Array) => values.sort()[values.length >> 1] as number;
  const axis = (k: number) => median(Float64Array.from({ length: n }, (_, i) => points[3 * i + k] as number));
  const center: [number, number, number] = [axis(0), axis(1), axis(2)];
  const dist = Float64Array.from({ length: n }, (_, i) =>
    Math.hypot((points[3 * i] as number) - center[0], (points[3 * i + 1] as number) - center[1], (points[3 * i + 2] as number) - center[2]),
  );
  return { center, radius: Math.max(median(dist), 1e-3) };
}
