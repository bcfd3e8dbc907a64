// Multi-head attention, backward for the keys and values at once, on subgroup matrices (tensor
// cores: f16 products, f32 sums), for heads of 64. A workgroup takes KEYS key rows of one
// (image, head), 16 per subgroup (held as matrices the whole time), and streams the queries in
// tiles of 32; per tile it rebuilds the softmax from the forward's per-row log-sum (`stats`) and
// adds up
//   dv_j = Σ_i p_ij g_i,   dk_j = Σ_i ds_ij q_i / √64,   ds_ij = p_ij (dp_ij − delta_i),
//   dp_ij = v_j · g_i,
// the products as matrix tiles: Sᵀ = K·Qᵀ, dPᵀ = V·Gᵀ, dV += Pᵀ·G, dK += dSᵀ·Q. It also writes
// ds (f16) for attention_grad_query_scores.wgsl, which makes dq from it with one product:
// scores_grad[image·head][key][query], keys padded to KEYS, queries to 64 (keys past the end get
// 0; query columns
// past the last tile of 32 are left alone). delta comes from attention_delta.wgsl. Layouts and
// the log2-unit scores as in attention_grad_key.wgsl (the f32 version of this kernel).

// matrix_prologue.wgsl is prepended (extensions, f16 tile stores).

const DH: u32 = 64u;
const DH4: u32 = 16u;
const KEYS: u32 = {{ keys }}u;
const QUERIES: u32 = 32u;
// A subgroup of 32 per 16 keys.
const THREADS: u32 = KEYS * 2u;
// A padded query's log-sum: exp2(score − this) is 0, so it adds nothing.
const PADDED_LOG_SUM: f32 = 1.0e30;
// Row strides in workgroup memory, padded so that the 8 rows a matrix load or store touches at
// once start in different banks (unpadded rows of 128 or 64 bytes all start in the same ones):
// f16 head-wide rows, f32 and f16 rows of a query tile.
const HEAD_STRIDE: u32 = 72u;
const SCORE_STRIDE: u32 = 36u;
const HALF_SCORE_STRIDE: u32 = 40u;

@group(0) @binding(0) var<storage, read> qkv: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> grad: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> stats: array<f32>;
@group(0) @binding(3) var<storage, read> delta: array<f32>;
@group(0) @binding(4) var<storage, read> params: array<u32>;
@group(0) @binding(5) var<storage, read_write> grad_qkv: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read_write> scores_grad: array<vec4<f16>>;

// Row-major f16 tiles [QUERIES][HEAD_STRIDE]: queries, then the context gradients at G_AT.
const G_AT: u32 = QUERIES * HEAD_STRIDE;
var<workgroup> tile_qg: array<f16, 2u * G_AT>;
// [KEYS][QUERIES]: scores, then dp (f32); p, then ds at DS_AT (f16), as the matrix products'
// left sides. Before the first query tile, the keys (scaled to log2 units) and then the values
// [KEYS][HEAD_STRIDE] pass through tile_pds on their way into the subgroups' matrices (a tile
// of their own would not fit the 48 KB of workgroup memory).
const DS_AT: u32 = KEYS * HALF_SCORE_STRIDE;
var<workgroup> tile_s: array<f32, KEYS * SCORE_STRIDE>;
var<workgroup> tile_pds: array<f16, 2u * KEYS * HALF_SCORE_STRIDE>;
var<workgroup> tile_log_sum: array<f32, QUERIES>;
var<workgroup> tile_delta: array<f32, QUERIES>;

// The e-th vec4 of a head-wide row-major tile, rounded to f16 at its padded place.
fn put_kv(e: u32, v: vec4<f32>) {
    let at = (e / DH4) * HEAD_STRIDE + (e % DH4) * 4u;
    tile_pds[at] = f16(v.x); tile_pds[at + 1u] = f16(v.y); tile_pds[at + 2u] = f16(v.z); tile_pds[at + 3u] = f16(v.w);
}

// The same into tile_qg's query (`first` 0) or context-gradient (`first` G_AT) tile.
fn put_qg(first: u32, e: u32, v: vec4<f32>) {
    let at = first + (e / DH4) * HEAD_STRIDE + (e % DH4) * 4u;
    tile_qg[at] = f16(v.x); tile_qg[at + 1u] = f16(v.y); tile_qg[at + 2u] = f16(v.z); tile_qg[at + 3u] = f16(v.w);
}

// A·Bᵀ for this subgroup's 16 key rows into tile_s: A's rows are the head-wide a0..a3 (16
// columns each), B the 32 query rows of tile_qg from `first` (queries or context gradients);
// Bᵀ's element [d, i] is tile_qg[first + i·HEAD_STRIDE + d], a column-major read.
fn product_with_query_tile(a0: subgroup_matrix_left<f16, 16, 16>, a1: subgroup_matrix_left<f16, 16, 16>, a2: subgroup_matrix_left<f16, 16, 16>, a3: subgroup_matrix_left<f16, 16, 16>, first: u32, row0: u32) {
    var c0 = subgroup_matrix_result<f32, 16, 16>();
    var c1 = subgroup_matrix_result<f32, 16, 16>();
    c0 = subgroupMatrixMultiplyAccumulate(a0, subgroupMatrixLoad<subgroup_matrix_right<f16, 16, 16>>(&tile_qg, first, true, HEAD_STRIDE), c0);
    c0 = subgroupMatrixMultiplyAccumulate(a1, subgroupMatrixLoad<subgroup_matrix_right<f16, 16, 16>>(&tile_qg, first + 16u, true, HEAD_STRIDE), c0);
    c0 = subgroupMatrixMultiplyAccumulate(a2, subgroupMatrixLoad<subgroup_matrix_right<f16, 16, 16>>(&tile_qg, first + 32u, true, HEAD_STRIDE), c0);
    c0 = subgroupMatrixMultiplyAccumulate(a3, subgroupMatrixLoad<subgroup_matrix_right<f16, 16, 16>>(&tile_qg, first + 48u, true, HEAD_STRIDE), c0);
    let next = first + 16u * HEAD_STRIDE;
    c1 = subgroupMatrixMultiplyAccumulate(a0, subgroupMatrixLoad<subgroup_matrix_right<f16, 16, 16>>(&tile_qg, next, true, HEAD_STRIDE), c1);
    c1 = subgroupMatrixMultiplyAccumulate(a1, subgroupMatrixLoad<subgroup_matrix_right<f16, 16, 16>>(&tile_qg, next + 16u, true, HEAD_STRIDE), c1);
    c1 = subgroupMatrixMultiplyAccumulate(a2, subgroupMatrixLoad<subgroup_matrix_right<f16, 16, 16>>(&tile_qg, next + 32u, true, HEAD_STRIDE), c1);
    c1 = subgroupMatrixMultiplyAccumulate(a3, subgroupMatrixLoad<subgroup_matrix_right<f16, 16, 16>>(&tile_qg, next + 48u, true, HEAD_STRIDE), c1);
    subgroupMatrixStore(&tile_s, row0 * SCORE_STRIDE, c0, false, SCORE_STRIDE);
    subgroupMatrixStore(&tile_s, row0 * SCORE_STRIDE + 16u, c1, false, SCORE_STRIDE);
}

@compute @workgroup_size(THREADS)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32, @builtin(subgroup_id) subgroup: u32) {
    let tokens = params[0];
    let heads = params[1];
    let scale = bitcast<f32>(params[2]);
    let inverse_root = bitcast<f32>(params[3]);
    let head = group.y % heads;
    let first_token = (group.y / heads) * tokens;
    let token_stride = 3u * heads * DH4;
    let first_key = group.x * KEYS;
    // This subgroup's 16 key rows within the tile.
    let row0 = subgroup * 16u;

    let keys_padded = (tokens + KEYS - 1u) / KEYS * KEYS;
    let queries_padded = (tokens + 63u) / 64u * 64u;
    for (var e = lane; e < KEYS * DH4; e += THREADS) {
        let key = first_key + e / DH4;
        var k = vec4<f32>(0.0);
        if (key < tokens) {
            k = qkv[(first_token + key) * token_stride + (heads + head) * DH4 + e % DH4] * scale;
        }
        put_kv(e, k);
    }
    workgroupBarrier();
    let k0 = subgroupMatrixLoad<subgroup_matrix_left<f16, 16, 16>>(&tile_pds, row0 * HEAD_STRIDE, false, HEAD_STRIDE);
    let k1 = subgroupMatrixLoad<subgroup_matrix_left<f16, 16, 16>>(&tile_pds, row0 * HEAD_STRIDE + 16u, false, HEAD_STRIDE);
    let k2 = subgroupMatrixLoad<subgroup_matrix_left<f16, 16, 16>>(&tile_pds, row0 * HEAD_STRIDE + 32u, false, HEAD_STRIDE);
    let k3 = subgroupMatrixLoad<subgroup_matrix_left<f16, 16, 16>>(&tile_pds, row0 * HEAD_STRIDE + 48u, false, HEAD_STRIDE);
    workgroupBarrier();
    for (var e = lane; e < KEYS * DH4; e += THREADS) {
        let key = first_key + e / DH4;
        var v = vec4<f32>(0.0);
        if (key < tokens) {
            v = qkv[(first_token + key) * token_stride + (2u * heads + head) * DH4 + e % DH4];
        }
        put_kv(e, v);
    }
    workgroupBarrier();
    let v0 = subgroupMatrixLoad<subgroup_matrix_left<f16, 16, 16>>(&tile_pds, row0 * HEAD_STRIDE, false, HEAD_STRIDE);
    let v1 = subgroupMatrixLoad<subgroup_matrix_left<f16, 16, 16>>(&tile_pds, row0 * HEAD_STRIDE + 16u, false, HEAD_STRIDE);
    let v2 = subgroupMatrixLoad<subgroup_matrix_left<f16, 16, 16>>(&tile_pds, row0 * HEAD_STRIDE + 32u, false, HEAD_STRIDE);
    let v3 = subgroupMatrixLoad<subgroup_matrix_left<f16, 16, 16>>(&tile_pds, row0 * HEAD_STRIDE + 48u, false, HEAD_STRIDE);

    var dk0 = subgroup_matrix_result<f32, 16, 16>();
    var dk1 = subgroup_matrix_result<f32, 16, 16>();
    var dk2 = subgroup_matrix_result<f32, 16, 16>();
    var dk3 = subgroup_matrix_result<f32, 16, 16>();
    var dv0 = subgroup_matrix_result<f32, 16, 16>();
    var dv1 = subgroup_matrix_result<f32, 16, 16>();
    var dv2 = subgroup_matrix_result<f32, 16, 16>();
    var dv3 = subgroup_matrix_result<f32, 16, 16>();

    for (var start = 0u; start < tokens; start += QUERIES) {
        workgroupBarrier();
        for (var e = lane; e < QUERIES * DH4; e += THREADS) {
            let query = start + e / DH4;
            var q = vec4<f32>(0.0);
            var g = vec4<f32>(0.0);
            if (query < tokens) {
                q = qkv[(first_token + query) * token_stride + head * DH4 + e % DH4];
                g = grad[((first_token + query) * heads + head) * DH4 + e % DH4];
            }
            put_qg(0u, e, q);
            put_qg(G_AT, e, g);
        }
        if (lane < QUERIES) {
            let query = start + lane;
            var log_sum = PADDED_LOG_SUM;
            var row_delta = 0.0;
            if (query < tokens) {
                log_sum = stats[group.y * tokens + query];
                row_delta = delta[group.y * tokens + query];
            }
            tile_log_sum[lane] = log_sum;
            tile_delta[lane] = row_delta;
        }
        workgroupBarrier();

        // Sᵀ = K·Qᵀ.
        product_with_query_tile(k0, k1, k2, k3, 0u, row0);
        workgroupBarrier();
        for (var e = lane; e < KEYS * QUERIES; e += THREADS) {
            let at = (e / QUERIES) * SCORE_STRIDE + e % QUERIES;
            tile_pds[(e / QUERIES) * HALF_SCORE_STRIDE + e % QUERIES] = f16(exp2(tile_s[at] - tile_log_sum[e % QUERIES]));
        }
        workgroupBarrier();

        // dPᵀ = V·Gᵀ, over the scores.
        product_with_query_tile(v0, v1, v2, v3, G_AT, row0);
        workgroupBarrier();
        // Keys past the end have zero rows, so dp is 0 there but p is not: masked here.
        for (var e = lane; e < KEYS * QUERIES; e += THREADS) {
            let half_at = (e / QUERIES) * HALF_SCORE_STRIDE + e % QUERIES;
            let ds = f32(tile_pds[half_at]) * (tile_s[(e / QUERIES) * SCORE_STRIDE + e % QUERIES] - tile_delta[e % QUERIES]);
            tile_pds[DS_AT + half_at] = f16(select(0.0, ds, first_key + e / QUERIES < tokens));
        }
        workgroupBarrier();
        for (var e = lane; e < KEYS * QUERIES / 4u; e += THREADS) {
            let at = DS_AT + (e / 8u) * HALF_SCORE_STRIDE + (e % 8u) * 4u;
            scores_grad[((group.y * keys_padded + first_key + e / 8u) * queries_padded + start) / 4u + e % 8u] = vec4<f16>(tile_pds[at], tile_pds[at + 1u], tile_pds[at + 2u], tile_pds[at + 3u]);
        }

        // dV += Pᵀ·G and dK += dSᵀ·Q, over this tile's queries.
        for (var i = 0u; i < QUERIES; i += 16u) {
            let p = subgroupMatrixLoad<subgroup_matrix_left<f16, 16, 16>>(&tile_pds, row0 * HALF_SCORE_STRIDE + i, false, HALF_SCORE_STRIDE);
            let ds = subgroupMatrixLoad<subgroup_matrix_left<f16, 16, 16>>(&tile_pds, DS_AT + row0 * HALF_SCORE_STRIDE + i, false, HALF_SCORE_STRIDE);
            dv0 = subgroupMatrixMultiplyAccumulate(p, subgroupMatrixLoad<subgroup_matrix_right<f16, 16, 16>>(&tile_qg, G_AT + i * HEAD_STRIDE, false, HEAD_STRIDE), dv0);
            dv1 = subgroupMatrixMultiplyAccumulate(p, subgroupMatrixLoad<subgroup_matrix_right<f16, 16, 16>>(&tile_qg, G_AT + i * HEAD_STRIDE + 16u, false, HEAD_STRIDE), dv1);
            dv2 = subgroupMatrixMultiplyAccumulate(p, subgroupMatrixLoad<subgroup_matrix_right<f16, 16, 16>>(&tile_qg, G_AT + i * HEAD_STRIDE + 32u, false, HEAD_STRIDE), dv2);
            dv3 = subgroupMatrixMultiplyAccumulate(p, subgroupMatrixLoad<subgroup_matrix_right<f16, 16, 16>>(&tile_qg, G_AT + i * HEAD_STRIDE + 48u, false, HEAD_STRIDE), dv3);
            dk0 = subgroupMatrixMultiplyAccumulate(ds, subgroupMatrixLoad<subgroup_matrix_right<f16, 16, 16>>(&tile_qg, i * HEAD_STRIDE, false, HEAD_STRIDE), dk0);
            dk1 = subgroupMatrixMultiplyAccumulate(ds, subgroupMatrixLoad<subgroup_matrix_right<f16, 16, 16>>(&tile_qg, i * HEAD_STRIDE + 16u, false, HEAD_STRIDE), dk1);
            dk2 = subgroupMatrixMultiplyAccumulate(ds, subgroupMatrixLoad<subgroup_matrix_right<f16, 16, 16>>(&tile_qg, i * HEAD_STRIDE + 32u, false, HEAD_STRIDE), dk2);
            dk3 = subgroupMatrixMultiplyAccumulate(ds, subgroupMatrixLoad<subgroup_matrix_right<f16, 16, 16>>(&tile_qg, i * HEAD_STRIDE + 48u, false, HEAD_STRIDE), dk3);
        }
    }

    // Out through tile_s, 32 of the 64 head columns at a time ([KEYS][32]): dk (scaled by
    // 1/√64) then dv, key rows past the end skipped.
    for (var part = 0u; part < 4u; part++) {
        workgroupBarrier();
        switch part {
            case 0u: {
                subgroupMatrixStore(&tile_s, row0 * SCORE_STRIDE, dk0, false, SCORE_STRIDE);
                subgroupMatrixStore(&tile_s, row0 * SCORE_STRIDE + 16u, dk1, false, SCORE_STRIDE);
            }
            case 1u: {
                subgroupMatrixStore(&tile_s, row0 * SCORE_STRIDE, dk2, false, SCORE_STRIDE);
                subgroupMatrixStore(&tile_s, row0 * SCORE_STRIDE + 16u, dk3, false, SCORE_STRIDE);
            }
            case 2u: {
                subgroupMatrixStore(&tile_s, row0 * SCORE_STRIDE, dv0, false, SCORE_STRIDE);
                subgroupMatrixStore(&tile_s, row0 * SCORE_STRIDE + 16u, dv1, false, SCORE_STRIDE);
            }
            default: {
                subgroupMatrixStore(&tile_s, row0 * SCORE_STRIDE, dv2, false, SCORE_STRIDE);
                subgroupMatrixStore(&tile_s, row0 * SCORE_STRIDE + 16u, dv3, false, SCORE_STRIDE);
            }
        }
        workgroupBarrier();
        let is_key = part < 2u;
        let factor = select(1.0, inverse_root, is_key);
        let column0 = (part % 2u) * 8u;
        for (var e = lane; e < KEYS * 8u; e += THREADS) {
            let row = e / 8u;
            let key = first_key + row;
            if (key < tokens) {
                let c = (e % 8u) * 4u;
                let value = vec4<f32>(tile_s[row * SCORE_STRIDE + c], tile_s[row * SCORE_STRIDE + c + 1u], tile_s[row * SCORE_STRIDE + c + 2u], tile_s[row * SCORE_STRIDE + c + 3u]) * factor;
                let slot = select(2u * heads + head, heads + head, is_key);
                grad_qkv[(first_token + key) * token_stride + slot * DH4 + column0 + e % 8u] = value;
            }
        }
    }
}
