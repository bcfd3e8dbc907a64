// Multi-head attention, backward for the queries, on subgroup matrices, for heads of 64:
//   dq_i = Σ_j ds_ij k_j / √64
// from the score gradients ds the key-side kernel (attention_grad_key_matrix.wgsl) wrote as f16,
// transposed: scores_grad[image·head][key][query], keys padded to KEY_PADDING, queries to 64. So this is
// a plain product (no softmax rebuilt: S and dP are computed once, in the key pass). A
// workgroup takes 64 query rows of one (image, head), 16 per subgroup, and streams the keys in
// tiles of 64 through workgroup memory (f32 → f16); ds is read straight from memory. Padded
// query columns of ds may hold anything: they only reach dq rows past the end, not written.

// matrix_prologue.wgsl is prepended (extensions, f16 tile stores).

const DH: u32 = 64u;
const DH4: u32 = 16u;
const QUERIES: u32 = 64u;
const KEYS: u32 = 64u;
// The key kernel's rows per workgroup, to which the score gradients' key axis is padded.
const KEY_PADDING: u32 = {{ keys }}u;
const THREADS: u32 = 128u;
// Padded row strides (f16 key rows, f32 output rows), so the 8 rows a matrix load or store
// touches at once start in different banks.
const HEAD_STRIDE: u32 = 72u;
const OUT_STRIDE: u32 = 36u;

@group(0) @binding(0) var<storage, read> qkv: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> scores_grad: array<f16>;
@group(0) @binding(2) var<storage, read> params: array<u32>;
@group(0) @binding(3) var<storage, read_write> grad_qkv: array<vec4<f32>>;

// Keys [KEYS][DH], row-major f16; then dq out, 32 head columns at a time [QUERIES][32].
var<workgroup> tile_k: array<f16, 4608>;
var<workgroup> tile_out: array<f32, 2304>;

// The e-th vec4 of the key tile, rounded to f16 at its padded place.
fn put_k(e: u32, v: vec4<f32>) {
    let at = (e / DH4) * HEAD_STRIDE + (e % DH4) * 4u;
    tile_k[at] = f16(v.x); tile_k[at + 1u] = f16(v.y); tile_k[at + 2u] = f16(v.z); tile_k[at + 3u] = f16(v.w);
}

@compute @workgroup_size(128)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32, @builtin(subgroup_id) subgroup: u32) {
    let tokens = params[0];
    let heads = params[1];
    let inverse_root = bitcast<f32>(params[3]);
    let head = group.y % heads;
    let first_token = (group.y / heads) * tokens;
    let token_stride = 3u * heads * DH4;
    let padded = (tokens + 63u) / 64u * 64u;
    let keys_padded = (tokens + KEY_PADDING - 1u) / KEY_PADDING * KEY_PADDING;
    let first_query = group.x * QUERIES;
    let row0 = subgroup * 16u;
    let ds_rows = group.y * keys_padded;

    var dq0 = subgroup_matrix_result<f32, 16, 16>();
    var dq1 = subgroup_matrix_result<f32, 16, 16>();
    var dq2 = subgroup_matrix_result<f32, 16, 16>();
    var dq3 = subgroup_matrix_result<f32, 16, 16>();

    for (var start = 0u; start < tokens; start += KEYS) {
        workgroupBarrier();
        for (var e = lane; e < KEYS * DH4; e += THREADS) {
            let key = start + e / DH4;
            var k = vec4<f32>(0.0);
            if (key < tokens) {
                k = qkv[(first_token + key) * token_stride + (heads + head) * DH4 + e % DH4];
            }
            put_k(e, k);
        }
        workgroupBarrier();
        // dS's element [i, j] is scores_grad[(ds_rows + j)·padded + i]: a column-major read.
        for (var j = 0u; j < KEYS; j += 16u) {
            let ds = subgroupMatrixLoad<subgroup_matrix_left<f16, 16, 16>>(&scores_grad, (ds_rows + start + j) * padded + first_query + row0, true, padded);
            dq0 = subgroupMatrixMultiplyAccumulate(ds, subgroupMatrixLoad<subgroup_matrix_right<f16, 16, 16>>(&tile_k, j * HEAD_STRIDE, false, HEAD_STRIDE), dq0);
            dq1 = subgroupMatrixMultiplyAccumulate(ds, subgroupMatrixLoad<subgroup_matrix_right<f16, 16, 16>>(&tile_k, j * HEAD_STRIDE + 16u, false, HEAD_STRIDE), dq1);
            dq2 = subgroupMatrixMultiplyAccumulate(ds, subgroupMatrixLoad<subgroup_matrix_right<f16, 16, 16>>(&tile_k, j * HEAD_STRIDE + 32u, false, HEAD_STRIDE), dq2);
            dq3 = subgroupMatrixMultiplyAccumulate(ds, subgroupMatrixLoad<subgroup_matrix_right<f16, 16, 16>>(&tile_k, j * HEAD_STRIDE + 48u, false, HEAD_STRIDE), dq3);
        }
    }

    // Out through tile_out, 32 of the 64 head columns at a time, scaled by 1/√64; query rows
    // past the end skipped.
    for (var part = 0u; part < 2u; part++) {
        workgroupBarrier();
        if (part == 0u) {
            subgroupMatrixStore(&tile_out, row0 * OUT_STRIDE, dq0, false, OUT_STRIDE);
            subgroupMatrixStore(&tile_out, row0 * OUT_STRIDE + 16u, dq1, false, OUT_STRIDE);
        } else {
            subgroupMatrixStore(&tile_out, row0 * OUT_STRIDE, dq2, false, OUT_STRIDE);
            subgroupMatrixStore(&tile_out, row0 * OUT_STRIDE + 16u, dq3, false, OUT_STRIDE);
        }
        workgroupBarrier();
        for (var e = lane; e < QUERIES * 8u; e += THREADS) {
            let row = e / 8u;
            let query = first_query + row;
            if (query < tokens) {
                let c = (e % 8u) * 4u;
                let value = vec4<f32>(tile_out[row * OUT_STRIDE + c], tile_out[row * OUT_STRIDE + c + 1u], tile_out[row * OUT_STRIDE + c + 2u], tile_out[row * OUT_STRIDE + c + 3u]) * inverse_root;
                grad_qkv[(first_token + query) * token_stride + head * DH4 + part * 8u + e % 8u] = value;
            }
        }
    }
}
