// C = op(A)·op(B) on the GPU's matrix units (tensor cores) through WebGPU's subgroup matrices:
// f32 in memory, each tile rounded to f16 in workgroup memory, products summed in f32 (as
// mixed-precision training does). op(A) is [M, K]: A stored [M, K], or [K, M] when TRANS_A;
// op(B) is [K, N]: B stored [K, N], or [N, K] when TRANS_B. Tiles are read in their stored
// layout (coalesced) and the matrix loads read them column-major where an operand is
// transposed, so no transpose is ever materialised.
//
// Workgroup (x, y, z) computes C's 64×64 tile (row y·64, column x·64) over the K range
// [z·chunk, (z + 1)·chunk) into out[z, M_pad, N]; the caller sums the z slices (split K: a
// weight gradient has K = batch·tokens and few output tiles). Four subgroups of 32 threads
// each own a 32×32 quarter as 2×2 result matrices of 16×16.
// matrix_prologue.wgsl is prepended (extensions, f16 tile stores).
// Requirements (checked by the caller): N and the stored rows' length a multiple of 4 (vec4
// loads), N a multiple of 64, out has M_pad = ⌈M/64⌉·64 rows per slice (rows past M read as 0).
// B may be a halved weight (f16 pairs, `half.rs`; inference): it is read through read_b.
//   params: M, N, K, chunk, M_pad

const TRANS_A: bool = {{ trans_a }};
const TRANS_B: bool = {{ trans_b }};
const TILE_M: u32 = 64u;
const TILE_N: u32 = 64u;
const TILE_K: u32 = 32u;
const THREADS: u32 = 128u;
// Row strides of the f16 tiles in workgroup memory: rows of 32 (TILE_K) or 64 values padded
// to 40 and 72, so the 8 rows a matrix load touches at once start in different banks.
const SHORT_STRIDE: u32 = 40u;
const LONG_STRIDE: u32 = 72u;

@group(0) @binding(0) var<storage, read> a: array<vec4<f32>>;
{{ b }}
@group(0) @binding(2) var<storage, read> params: array<u32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

// op(A)'s tile, stored [TILE_M][TILE_K] (or [TILE_K][TILE_M] when TRANS_A); op(B)'s
// [TILE_K][TILE_N] (or [TILE_N][TILE_K] when TRANS_B).
var<workgroup> tile_a: array<f16, 2560>;
var<workgroup> tile_b: array<f16, 2560>;

// The e-th vec4 of a tile whose rows hold `row4` vec4, rounded to f16 at its padded place.
fn tile_at(e: u32, row4: u32) -> u32 {
    return (e / row4) * select(SHORT_STRIDE, LONG_STRIDE, row4 == 16u) + (e % row4) * 4u;
}

fn put_a(at: u32, v: vec4<f32>) {
    tile_a[at] = f16(v.x); tile_a[at + 1u] = f16(v.y); tile_a[at + 2u] = f16(v.z); tile_a[at + 3u] = f16(v.w);
}

fn put_b(at: u32, v: vec4<f32>) {
    tile_b[at] = f16(v.x); tile_b[at + 1u] = f16(v.y); tile_b[at + 2u] = f16(v.z); tile_b[at + 3u] = f16(v.w);
}

@compute @workgroup_size(128)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32, @builtin(subgroup_id) subgroup: u32) {
    let m_size = params[0];
    let n_size = params[1];
    let k_size = params[2];
    let chunk = params[3];
    let m_pad = params[4];
    let m0 = group.y * TILE_M;
    let n0 = group.x * TILE_N;
    let k_begin = group.z * chunk;
    let k_end = min(k_size, k_begin + chunk);
    // This subgroup's 32×32 quarter of the tile.
    let sub_m = (subgroup / 2u) * 32u;
    let sub_n = (subgroup % 2u) * 32u;

    var c00 = subgroup_matrix_result<f32, 16, 16>();
    var c01 = subgroup_matrix_result<f32, 16, 16>();
    var c10 = subgroup_matrix_result<f32, 16, 16>();
    var c11 = subgroup_matrix_result<f32, 16, 16>();

    for (var k0 = k_begin; k0 < k_end; k0 += TILE_K) {
        // 512 vec4 per tile, four per thread; out-of-range rows and columns load zeros.
        for (var e = lane; e < 512u; e += THREADS) {
            var v = vec4<f32>(0.0);
            if (TRANS_A) {
                let k = k0 + e / 16u;
                let m = m0 + (e % 16u) * 4u;
                if (k < k_end && m < m_size) { v = a[(k * m_size + m) / 4u]; }
            } else {
                let m = m0 + e / 8u;
                let k = k0 + (e % 8u) * 4u;
                if (m < m_size && k < k_end) { v = a[(m * k_size + k) / 4u]; }
            }
            put_a(tile_at(e, select(8u, 16u, TRANS_A)), v);
            var w = vec4<f32>(0.0);
            if (TRANS_B) {
                let n = n0 + e / 8u;
                let k = k0 + (e % 8u) * 4u;
                if (n < n_size && k < k_end) { w = read_b((n * k_size + k) / 4u); }
            } else {
                let k = k0 + e / 16u;
                let n = n0 + (e % 16u) * 4u;
                if (k < k_end && n < n_size) { w = read_b((k * n_size + n) / 4u); }
            }
            put_b(tile_at(e, select(16u, 8u, TRANS_B)), w);
        }
        workgroupBarrier();
        for (var kk = 0u; kk < TILE_K; kk += 16u) {
            // Element [row, col] of op(A)'s tile sits at row·SHORT_STRIDE + col, or
            // col·LONG_STRIDE + row when transposed (column-major); likewise for op(B).
            let a_at = select(sub_m * SHORT_STRIDE + kk, kk * LONG_STRIDE + sub_m, TRANS_A);
            let a_next = select(16u * SHORT_STRIDE, 16u, TRANS_A);
            let a_stride = select(SHORT_STRIDE, LONG_STRIDE, TRANS_A);
            let b_at = select(kk * LONG_STRIDE + sub_n, sub_n * SHORT_STRIDE + kk, TRANS_B);
            let b_next = select(16u, 16u * SHORT_STRIDE, TRANS_B);
            let b_stride = select(LONG_STRIDE, SHORT_STRIDE, TRANS_B);
            let a0 = subgroupMatrixLoad<subgroup_matrix_left<f16, 16, 16>>(&tile_a, a_at, TRANS_A, a_stride);
            let a1 = subgroupMatrixLoad<subgroup_matrix_left<f16, 16, 16>>(&tile_a, a_at + a_next, TRANS_A, a_stride);
            let b0 = subgroupMatrixLoad<subgroup_matrix_right<f16, 16, 16>>(&tile_b, b_at, TRANS_B, b_stride);
            let b1 = subgroupMatrixLoad<subgroup_matrix_right<f16, 16, 16>>(&tile_b, b_at + b_next, TRANS_B, b_stride);
            c00 = subgroupMatrixMultiplyAccumulate(a0, b0, c00);
            c01 = subgroupMatrixMultiplyAccumulate(a0, b1, c01);
            c10 = subgroupMatrixMultiplyAccumulate(a1, b0, c10);
            c11 = subgroupMatrixMultiplyAccumulate(a1, b1, c11);
        }
        workgroupBarrier();
    }
    let at = (group.z * m_pad + m0 + sub_m) * n_size + n0 + sub_n;
    subgroupMatrixStore(&out, at, c00, false, n_size);
    subgroupMatrixStore(&out, at + 16u, c01, false, n_size);
    subgroupMatrixStore(&out, at + 16u * n_size, c10, false, n_size);
    subgroupMatrixStore(&out, at + 16u * n_size + 16u, c11, false, n_size);
}
