// Multi-head attention, backward for the keys (KEY_GRAD = true) or the values (false). One
// thread per key row; queries and context gradients stream through workgroup memory, and the
// softmax is rebuilt from the forward's per-row log-sum (`stats`):
//   dk_j = Σ_i p_ij (dp_ij − delta_i) q_i / √DH,   dv_j = Σ_i p_ij g_i.
// Two launches instead of one thread holding k, v, dk and dv: 4·DH floats would not stay in
// registers. Layouts as in attention_forward.wgsl; delta from attention_grad_query.wgsl.

const DH4: u32 = {{ dh4 }}u;
const TILE: u32 = {{ tile }}u;
const ROWS: u32 = {{ rows }}u;
const KEY_GRAD: bool = {{ key_grad }};
// A padded query's log-sum: exp2(score − this) is 0, so it adds nothing.
const PADDED_LOG_SUM: f32 = 1.0e30;

@group(0) @binding(0) var<storage, read> qkv: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> grad: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> stats: array<f32>;
@group(0) @binding(3) var<storage, read> delta: array<f32>;
@group(0) @binding(4) var<storage, read> params: array<u32>;
@group(0) @binding(5) var<storage, read_write> grad_qkv: array<vec4<f32>>;

var<workgroup> tile_queries: array<vec4<f32>, TILE * DH4>;
var<workgroup> tile_grads: array<vec4<f32>, TILE * DH4>;
var<workgroup> tile_log_sum: array<f32, TILE>;
var<workgroup> tile_delta: array<f32, TILE>;

@compute @workgroup_size({{ rows }})
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
    let tokens = params[0];
    let heads = params[1];
    let scale = bitcast<f32>(params[2]);
    let head = group.y % heads;
    let first_token = (group.y / heads) * tokens;
    let token_stride = 3u * heads * DH4;
    let key = group.x * ROWS + lane;
    let k_at = (first_token + min(key, tokens - 1u)) * token_stride + (heads + head) * DH4;
    let v_at = k_at + heads * DH4;
    var k: array<vec4<f32>, DH4>;
    var v: array<vec4<f32>, DH4>;
    var acc: array<vec4<f32>, DH4>;
    for (var d = 0u; d < DH4; d++) {
        k[d] = qkv[k_at + d] * scale;
        if (KEY_GRAD) {
            v[d] = qkv[v_at + d];
        }
        acc[d] = vec4<f32>(0.0);
    }
    for (var start = 0u; start < tokens; start += TILE) {
        workgroupBarrier();
        for (var e = lane; e < TILE * DH4; e += ROWS) {
            let query = start + e / DH4;
            var q = vec4<f32>(0.0);
            var g = vec4<f32>(0.0);
            if (query < tokens) {
                q = qkv[(first_token + query) * token_stride + head * DH4 + e % DH4];
                g = grad[((first_token + query) * heads + head) * DH4 + e % DH4];
            }
            tile_queries[e] = q;
            tile_grads[e] = g;
        }
        for (var e = lane; e < TILE; e += ROWS) {
            let query = start + e;
            var log_sum = PADDED_LOG_SUM;
            var row_delta = 0.0;
            if (query < tokens) {
                log_sum = stats[group.y * tokens + query];
                row_delta = delta[group.y * tokens + query];
            }
            tile_log_sum[e] = log_sum;
            tile_delta[e] = row_delta;
        }
        workgroupBarrier();
        let count = min(TILE, tokens - start);
        for (var c = 0u; c < count; c += 4u) {
            var s = vec4<f32>(0.0);
            var dp = vec4<f32>(0.0);
            for (var d = 0u; d < DH4; d++) {
                let kd = k[d];
                s.x += dot(kd, tile_queries[c * DH4 + d]);
                s.y += dot(kd, tile_queries[(c + 1u) * DH4 + d]);
                s.z += dot(kd, tile_queries[(c + 2u) * DH4 + d]);
                s.w += dot(kd, tile_queries[(c + 3u) * DH4 + d]);
                if (KEY_GRAD) {
                    let vd = v[d];
                    dp.x += dot(vd, tile_grads[c * DH4 + d]);
                    dp.y += dot(vd, tile_grads[(c + 1u) * DH4 + d]);
                    dp.z += dot(vd, tile_grads[(c + 2u) * DH4 + d]);
                    dp.w += dot(vd, tile_grads[(c + 3u) * DH4 + d]);
                }
            }
            let log_sum = vec4<f32>(tile_log_sum[c], tile_log_sum[c + 1u], tile_log_sum[c + 2u], tile_log_sum[c + 3u]);
            let p = exp2(s - log_sum);
            if (KEY_GRAD) {
                let row_delta = vec4<f32>(tile_delta[c], tile_delta[c + 1u], tile_delta[c + 2u], tile_delta[c + 3u]);
                let ds = p * (dp - row_delta);
                for (var d = 0u; d < DH4; d++) {
                    acc[d] += ds.x * tile_queries[c * DH4 + d] + ds.y * tile_queries[(c + 1u) * DH4 + d]
                        + ds.z * tile_queries[(c + 2u) * DH4 + d] + ds.w * tile_queries[(c + 3u) * DH4 + d];
                }
            } else {
                for (var d = 0u; d < DH4; d++) {
                    acc[d] += p.x * tile_grads[c * DH4 + d] + p.y * tile_grads[(c + 1u) * DH4 + d]
                        + p.z * tile_grads[(c + 2u) * DH4 + d] + p.w * tile_grads[(c + 3u) * DH4 + d];
                }
            }
        }
    }
    if (key < tokens) {
        let inverse_root = bitcast<f32>(params[3]);
        for (var d = 0u; d < DH4; d++) {
            if (KEY_GRAD) {
                grad_qkv[k_at + d] = acc[d] * inverse_root;
            } else {
                grad_qkv[v_at + d] = acc[d];
            }
        }
    }
}
