// Layer norm over the last axis without scale and shift, y = (x − mean)·rstd with
// rstd = 1/√(var + ε), forward (BACKWARD false: x → y and rstd per row) or backward
// (BACKWARD true: from y, rstd and dy, dx = rstd·(dy − mean(dy) − y·mean(dy·y))). Burn composed
// each from about ten element-wise and reduction launches over the whole [tokens, d] tensor.
// 64 threads per row, four rows per workgroup; a row's vec4s are read coalesced and summed in
// workgroup memory. Workgroups stride over blocks of four rows.
//   params: rows, d/4 (vec4 per row), bits of ε

const BACKWARD: bool = {{ backward }};
const LANES: u32 = 64u;
const ROWS: u32 = 4u;

@group(0) @binding(0) var<storage, read> a: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> b: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> params: array<u32>;
@group(0) @binding(3) var<storage, read_write> out: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> rstd: array<f32>;

var<workgroup> partial: array<vec2<f32>, 256>;

// Σ over this lane's row of v (x and y components summed separately), for all 64 lanes.
fn row_total(lane: u32, v: vec2<f32>) -> vec2<f32> {
    let base = (lane / LANES) * LANES;
    partial[lane] = v;
    for (var half = LANES / 2u; half > 0u; half /= 2u) {
        workgroupBarrier();
        if (lane % LANES < half) {
            partial[lane] += partial[lane + half];
        }
    }
    workgroupBarrier();
    let total = partial[base];
    workgroupBarrier();
    return total;
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
    let rows = params[0];
    let width = params[1];
    let epsilon = bitcast<f32>(params[2]);
    let count = f32(width * 4u);
    let blocks = (rows + ROWS - 1u) / ROWS;
    for (var block = group.x; block < blocks; block += groups.x) {
        let row = block * ROWS + lane / LANES;
        let live = row < rows;
        let at = min(row, rows - 1u) * width;
        if (!BACKWARD) {
            // a = x. Two passes (mean, then the centred squares), values re-read from cache.
            var sum = 0.0;
            for (var i = lane % LANES; i < width; i += LANES) {
                sum += dot(a[at + i], vec4<f32>(1.0));
            }
            let mean = row_total(lane, vec2<f32>(sum, 0.0)).x / count;
            var squares = 0.0;
            for (var i = lane % LANES; i < width; i += LANES) {
                let c = a[at + i] - mean;
                squares += dot(c, c);
            }
            let r = inverseSqrt(row_total(lane, vec2<f32>(squares, 0.0)).x / count + epsilon);
            if (live) {
                for (var i = lane % LANES; i < width; i += LANES) {
                    out[at + i] = (a[at + i] - mean) * r;
                }
                if (lane % LANES == 0u) {
                    rstd[row] = r;
                }
            }
        } else {
            // a = dy, b = y; rstd read.
            var sums = vec2<f32>(0.0);
            for (var i = lane % LANES; i < width; i += LANES) {
                let g = a[at + i];
                sums += vec2<f32>(dot(g, vec4<f32>(1.0)), dot(g, b[at + i]));
            }
            let means = row_total(lane, sums) / count;
            if (live) {
                let r = rstd[row];
                for (var i = lane % LANES; i < width; i += LANES) {
                    out[at + i] = (a[at + i] - means.x - b[at + i] * means.y) * r;
                }
            }
        }
    }
}
