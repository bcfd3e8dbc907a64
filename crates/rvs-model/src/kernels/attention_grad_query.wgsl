// Multi-head attention, backward for the queries. One thread per query row, keys and values
// streamed through workgroup memory as in the forward pass; the softmax is rebuilt from the
// forward's per-row log-sum (`stats`), so no [tokens, tokens] matrix is stored.
//   p_ij = softmax_j(q_i·k_j/√DH), dp_ij = g_i·v_j, delta_i = g_i·o_i,
//   dq_i = Σ_j p_ij (dp_ij − delta_i) k_j / √DH.
// Also writes delta (the key-side kernels need it). Layouts as in attention_forward.wgsl;
// grad: [batch, tokens, heads, DH] (of the context); grad_qkv: this kernel fills the query slots.
// q and dq stay in registers; each thread's context-gradient row sits in workgroup memory
// (read once per d for four keys), since three head-wide rows per thread overflow the registers.

const DH4: u32 = {{ dh4 }}u;
const TILE: u32 = {{ tile }}u;
const ROWS: u32 = {{ rows }}u;
const MASKED: f32 = -1.0e30;

@group(0) @binding(0) var<storage, read> qkv: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> context: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> grad: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read> stats: array<f32>;
@group(0) @binding(4) var<storage, read> params: array<u32>;
@group(0) @binding(5) var<storage, read_write> grad_qkv: array<vec4<f32>>;
@group(0) @binding(6) var<storage, read_write> delta: array<f32>;

// Row r's d-th vec4 at [d * ROWS + r]: a thread reads only its own row.
var<workgroup> grad_rows: array<vec4<f32>, DH4 * ROWS>;

@compute @workgroup_size({{ rows }})
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
    let tokens = params[0];
    let heads = params[1];
    let scale = bitcast<f32>(params[2]);
    let head = group.y % heads;
    let first_token = (group.y / heads) * tokens;
    let token_stride = 3u * heads * DH4;
    let query = group.x * ROWS + lane;
    let row = min(query, tokens - 1u);
    let q_at = (first_token + row) * token_stride + head * DH4;
    let out_at = ((first_token + row) * heads + head) * DH4;
    var q: array<vec4<f32>, DH4>;
    var dq: array<vec4<f32>, DH4>;
    var row_delta = 0.0;
    for (var d = 0u; d < DH4; d++) {
        q[d] = qkv[q_at + d] * scale;
        let g = grad[out_at + d];
        grad_rows[d * ROWS + lane] = g;
        dq[d] = vec4<f32>(0.0);
        row_delta += dot(g, context[out_at + d]);
    }
    let log_sum = stats[group.y * tokens + row];
    for (var start = 0u; start < tokens; start += TILE) {
        workgroupBarrier();
        load_key_value_tile(start, tokens, first_token, head, heads, lane);
        workgroupBarrier();
        let count = min(TILE, tokens - start);
        for (var c = 0u; c < count; c += 4u) {
            var s = vec4<f32>(0.0);
            var dp = vec4<f32>(0.0);
            for (var d = 0u; d < DH4; d++) {
                let qd = q[d];
                let gd = grad_rows[d * ROWS + lane];
                s.x += dot(qd, tile_keys[c * DH4 + d]);
                s.y += dot(qd, tile_keys[(c + 1u) * DH4 + d]);
                s.z += dot(qd, tile_keys[(c + 2u) * DH4 + d]);
                s.w += dot(qd, tile_keys[(c + 3u) * DH4 + d]);
                dp.x += dot(gd, tile_values[c * DH4 + d]);
                dp.y += dot(gd, tile_values[(c + 1u) * DH4 + d]);
                dp.z += dot(gd, tile_values[(c + 2u) * DH4 + d]);
                dp.w += dot(gd, tile_values[(c + 3u) * DH4 + d]);
            }
            s = select(s, vec4<f32>(MASKED), vec4<u32>(c) + vec4<u32>(0u, 1u, 2u, 3u) >= vec4<u32>(count));
            let ds = exp2(s - vec4<f32>(log_sum)) * (dp - vec4<f32>(row_delta));
            for (var d = 0u; d < DH4; d++) {
                dq[d] += ds.x * tile_keys[c * DH4 + d] + ds.y * tile_keys[(c + 1u) * DH4 + d]
                    + ds.z * tile_keys[(c + 2u) * DH4 + d] + ds.w * tile_keys[(c + 3u) * DH4 + d];
            }
        }
    }
    if (query < tokens) {
        let inverse_root = bitcast<f32>(params[3]);
        for (var d = 0u; d < DH4; d++) {
            grad_qkv[q_at + d] = dq[d] * inverse_root;
        }
        delta[group.y * tokens + query] = row_delta;
    }
}
