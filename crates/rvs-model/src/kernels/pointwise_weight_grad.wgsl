// A 1×1 convolution's weight gradient, in partial sums: partial[s, o, c] = Σ_l dy[n, o, l] ·
// x[n, c, l] over the s-th stretch of pixels (image n = s / PARTS, its (s % PARTS)-th stretch
// of `stretch` pixels); the caller sums over s. A workgroup takes a 32×32 tile of the gradient
// (64 threads, 4×4 each) over one stretch, streaming 32 pixels of both at a time through
// workgroup memory (rows padded to 33: the 4×4 reads hit distinct banks). No copies of dy or x
// (Burn's batched product needed both transposed into [N·S, C, L/S] first).
//   params: C_out, C_in, L, PARTS, stretch

const TILE: u32 = 32u;
const STEP: u32 = 32u;
const ROW: u32 = 33u;

@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> params: array<u32>;
@group(0) @binding(3) var<storage, read_write> partial: array<f32>;

var<workgroup> tile_dy: array<f32, TILE * ROW>;
var<workgroup> tile_x: array<f32, TILE * ROW>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
    let c_out = params[0];
    let c_in = params[1];
    let length = params[2];
    let parts = params[3];
    let stretch = params[4];
    let tiles_c = (c_in + TILE - 1u) / TILE;
    let first_o = (group.x / tiles_c) * TILE;
    let first_c = (group.x % tiles_c) * TILE;
    let s = group.y;
    let image = s / parts;
    let begin = (s % parts) * stretch;
    let end = min(length, begin + stretch);
    // This thread's 4 gradient rows (o) and 4 columns (c) within the tile.
    let row0 = (lane / 8u) * 4u;
    let col0 = (lane % 8u) * 4u;
    var sum: array<vec4<f32>, 4>;

    for (var p0 = begin; p0 < end; p0 += STEP) {
        workgroupBarrier();
        for (var e = lane; e < TILE * STEP; e += 64u) {
            let r = e / STEP;
            let p = p0 + e % STEP;
            var g = 0.0;
            var v = 0.0;
            if (p < end) {
                if (first_o + r < c_out) { g = dy[(image * c_out + first_o + r) * length + p]; }
                if (first_c + r < c_in) { v = x[(image * c_in + first_c + r) * length + p]; }
            }
            tile_dy[r * ROW + e % STEP] = g;
            tile_x[r * ROW + e % STEP] = v;
        }
        workgroupBarrier();
        for (var p = 0u; p < STEP; p++) {
            let b = vec4<f32>(tile_x[col0 * ROW + p], tile_x[(col0 + 1u) * ROW + p], tile_x[(col0 + 2u) * ROW + p], tile_x[(col0 + 3u) * ROW + p]);
            sum[0] += tile_dy[row0 * ROW + p] * b;
            sum[1] += tile_dy[(row0 + 1u) * ROW + p] * b;
            sum[2] += tile_dy[(row0 + 2u) * ROW + p] * b;
            sum[3] += tile_dy[(row0 + 3u) * ROW + p] * b;
        }
    }
    for (var i = 0u; i < 4u; i++) {
        let o = first_o + row0 + i;
        for (var j = 0u; j < 4u; j++) {
            let c = first_c + col0 + j;
            if (o < c_out && c < c_in) {
                partial[(s * c_out + o) * c_in + c] = sum[i][j];
            }
        }
    }
}
