// Multi-head attention, backward for the queries, on subgroup matrices (tensor cores: f16
// products, f32 sums), for heads of 64. A workgroup takes 64 query rows of one (image, head),
// 16 per subgroup, and streams the keys and values in tiles of 32; per tile it rebuilds the
// softmax from the forward's per-row log-sum (`stats`) and adds up
//   dq_i = Σ_j p_ij (dp_ij − delta_i) k_j / √64,   dp_ij = g_i · v_j,   delta_i = g_i · o_i,
// the products as matrix tiles: S = Q·Kᵀ, dP = G·Vᵀ, dQ += dS·K. Also writes delta (the
// key-side kernel needs it). Layouts and log2-unit scores as in attention_grad_query.wgsl.

// matrix_prologue.wgsl is prepended (extensions, f16 tile stores).

const DH: u32 = 64u;
const DH4: u32 = 16u;
const QUERIES: u32 = 64u;
const KEYS: u32 = 32u;
const THREADS: u32 = 128u;

@group(0) @binding(0) var<storage, read> qkv: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> context: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> grad: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> stats: array<f32>;
@group(0) @binding(4) var<storage, read> params: array<u32>;
@group(0) @binding(5) var<storage, read_write> grad_qkv: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read_write> delta: array<f32>;

// Row-major f16 tiles: queries (scaled to log2 units) and context gradients [QUERIES][DH],
// keys and values [KEYS][DH].
var<workgroup> tile_q: array<f16, 4096>;
var<workgroup> tile_g: array<f16, 4096>;
var<workgroup> tile_k: array<f16, 2048>;
var<workgroup> tile_v: array<f16, 2048>;
// [QUERIES][KEYS]: scores, then dp (f32); p and ds (f16) as the matrix products' left sides.
var<workgroup> tile_s: array<f32, 2048>;
var<workgroup> tile_p: array<f16, 2048>;
var<workgroup> tile_ds: array<f16, 2048>;
var<workgroup> tile_log_sum: array<f32, QUERIES>;
var<workgroup> tile_delta: array<f32, QUERIES>;

@compute @workgroup_size(128)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32, @builtin(subgroup_id) subgroup: u32) {
    let tokens = params[0];
    let heads = params[1];
    let scale = bitcast<f32>(params[2]);
    let inverse_root = bitcast<f32>(params[3]);
    let head = group.y % heads;
    let first_token = (group.y / heads) * tokens;
    let token_stride = 3u * heads * DH4;
    let first_query = group.x * QUERIES;
    // This subgroup's 16 query rows within the tile.
    let row0 = subgroup * 16u;

    for (var e = lane; e < QUERIES * DH4; e += THREADS) {
        let query = first_query + e / DH4;
        var q = vec4<f32>(0.0);
        var g = vec4<f32>(0.0);
        if (query < tokens) {
            q = qkv[(first_token + query) * token_stride + head * DH4 + e % DH4] * scale;
            g = grad[((first_token + query) * heads + head) * DH4 + e % DH4];
        }
        put_half4_wide(&tile_q, e * 4u, q);
        put_half4_wide(&tile_g, e * 4u, g);
    }
    if (lane < QUERIES) {
        let query = first_query + lane;
        var row_delta = 0.0;
        var log_sum = 0.0;
        if (query < tokens) {
            let at = ((first_token + query) * heads + head) * DH4;
            for (var d = 0u; d < DH4; d++) {
                row_delta += dot(grad[at + d], context[at + d]);
            }
            log_sum = stats[group.y * tokens + query];
            delta[group.y * tokens + query] = row_delta;
        }
        tile_delta[lane] = row_delta;
        tile_log_sum[lane] = log_sum;
    }

    var dq0 = subgroup_matrix_result<f32, 16, 16>();
    var dq1 = subgroup_matrix_result<f32, 16, 16>();
    var dq2 = subgroup_matrix_result<f32, 16, 16>();
    var dq3 = subgroup_matrix_result<f32, 16, 16>();

    for (var start = 0u; start < tokens; start += KEYS) {
        workgroupBarrier();
        for (var e = lane; e < KEYS * DH4; e += THREADS) {
            let key = start + e / DH4;
            var k = vec4<f32>(0.0);
            var v = vec4<f32>(0.0);
            if (key < tokens) {
                let at = (first_token + key) * token_stride + (heads + head) * DH4 + e % DH4;
                k = qkv[at];
                v = qkv[at + heads * DH4];
            }
            put_half4(&tile_k, e * 4u, k);
            put_half4(&tile_v, e * 4u, v);
        }
        workgroupBarrier();

        // S = Q·Kᵀ: Kᵀ's element [d, j] is tile_k[j·DH + d], a column-major read.
        var s0 = subgroup_matrix_result<f32, 16, 16>();
        var s1 = subgroup_matrix_result<f32, 16, 16>();
        for (var d = 0u; d < DH; d += 16u) {
            let q = subgroupMatrixLoad<subgroup_matrix_left<f16, 16, 16>>(&tile_q, row0 * DH + d, false, DH);
            s0 = subgroupMatrixMultiplyAccumulate(q, subgroupMatrixLoad<subgroup_matrix_right<f16, 16, 16>>(&tile_k, d, true, DH), s0);
            s1 = subgroupMatrixMultiplyAccumulate(q, subgroupMatrixLoad<subgroup_matrix_right<f16, 16, 16>>(&tile_k, 16u * DH + d, true, DH), s1);
        }
        subgroupMatrixStore(&tile_s, row0 * KEYS, s0, false, KEYS);
        subgroupMatrixStore(&tile_s, row0 * KEYS + 16u, s1, false, KEYS);
        workgroupBarrier();
        // Keys past the end have zero rows, not zero weights: masked here.
        for (var e = lane; e < QUERIES * KEYS; e += THREADS) {
            let p = exp2(tile_s[e] - tile_log_sum[e / KEYS]);
            tile_p[e] = f16(select(0.0, p, start + e % KEYS < tokens));
        }
        workgroupBarrier();

        // dP = G·Vᵀ, over the scores.
        var p0 = subgroup_matrix_result<f32, 16, 16>();
        var p1 = subgroup_matrix_result<f32, 16, 16>();
        for (var d = 0u; d < DH; d += 16u) {
            let g = subgroupMatrixLoad<subgroup_matrix_left<f16, 16, 16>>(&tile_g, row0 * DH + d, false, DH);
            p0 = subgroupMatrixMultiplyAccumulate(g, subgroupMatrixLoad<subgroup_matrix_right<f16, 16, 16>>(&tile_v, d, true, DH), p0);
            p1 = subgroupMatrixMultiplyAccumulate(g, subgroupMatrixLoad<subgroup_matrix_right<f16, 16, 16>>(&tile_v, 16u * DH + d, true, DH), p1);
        }
        subgroupMatrixStore(&tile_s, row0 * KEYS, p0, false, KEYS);
        subgroupMatrixStore(&tile_s, row0 * KEYS + 16u, p1, false, KEYS);
        workgroupBarrier();
        for (var e = lane; e < QUERIES * KEYS; e += THREADS) {
            tile_ds[e] = f16(f32(tile_p[e]) * (tile_s[e] - tile_delta[e / KEYS]));
        }
        workgroupBarrier();

        // dQ += dS·K, over this tile's keys.
        for (var j = 0u; j < KEYS; j += 16u) {
            let ds = subgroupMatrixLoad<subgroup_matrix_left<f16, 16, 16>>(&tile_ds, row0 * KEYS + j, false, KEYS);
            dq0 = subgroupMatrixMultiplyAccumulate(ds, subgroupMatrixLoad<subgroup_matrix_right<f16, 16, 16>>(&tile_k, j * DH, false, DH), dq0);
            dq1 = subgroupMatrixMultiplyAccumulate(ds, subgroupMatrixLoad<subgroup_matrix_right<f16, 16, 16>>(&tile_k, j * DH + 16u, false, DH), dq1);
            dq2 = subgroupMatrixMultiplyAccumulate(ds, subgroupMatrixLoad<subgroup_matrix_right<f16, 16, 16>>(&tile_k, j * DH + 32u, false, DH), dq2);
            dq3 = subgroupMatrixMultiplyAccumulate(ds, subgroupMatrixLoad<subgroup_matrix_right<f16, 16, 16>>(&tile_k, j * DH + 48u, false, DH), dq3);
        }
    }

    // Out through tile_s, 32 of the 64 head columns at a time ([QUERIES][32]), scaled by
    // 1/√64; query rows past the end skipped.
    for (var part = 0u; part < 2u; part++) {
        workgroupBarrier();
        if (part == 0u) {
            subgroupMatrixStore(&tile_s, row0 * KEYS, dq0, false, KEYS);
            subgroupMatrixStore(&tile_s, row0 * KEYS + 16u, dq1, false, KEYS);
        } else {
            subgroupMatrixStore(&tile_s, row0 * KEYS, dq2, false, KEYS);
            subgroupMatrixStore(&tile_s, row0 * KEYS + 16u, dq3, false, KEYS);
        }
        workgroupBarrier();
        for (var e = lane; e < QUERIES * 8u; e += THREADS) {
            let row = e / 8u;
            let query = first_query + row;
            if (query < tokens) {
                let c = (e % 8u) * 4u;
                let value = vec4<f32>(tile_s[row * KEYS + c], tile_s[row * KEYS + c + 1u], tile_s[row * KEYS + c + 2u], tile_s[row * KEYS + c + 3u]) * inverse_root;
                grad_qkv[(first_token + query) * token_stride + head * DH4 + part * 8u + e % 8u] = value;
            }
        }
    }
}
