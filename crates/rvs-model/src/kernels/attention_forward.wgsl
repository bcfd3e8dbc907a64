// Multi-head attention, forward. One thread per query row; keys and values stream through
// workgroup memory TILE rows at a time and the softmax is kept online (a running maximum and
// sum, rescaled as larger scores arrive), so the [tokens, tokens] scores never exist.
// Scores are in log2 units (queries scaled by log2(e)/√DH), so exp2 does the exponentials.
//   qkv:     [batch, tokens, 3, heads, DH]  (queries, keys, values, as the projection writes them)
//   context: [batch, tokens, heads, DH]     (softmax(q·kᵀ/√DH)·v)
//   stats:   [batch, heads, tokens]         (log2 Σ_j exp2(score_ij), for the backward pass)
//   params:  tokens, heads, bits of log2(e)/√DH, bits of 1/√DH

const DH4: u32 = {{ dh4 }}u;
const TILE: u32 = {{ tile }}u;
const ROWS: u32 = {{ rows }}u;
const MASKED: f32 = -1.0e30;

@group(0) @binding(0) var<storage, read> qkv: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> params: array<u32>;
@group(0) @binding(2) var<storage, read_write> context: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> stats: array<f32>;


@compute @workgroup_size({{ rows }})
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
    let tokens = params[0];
    let heads = params[1];
    let scale = bitcast<f32>(params[2]);
    let head = group.y % heads;
    let first_token = (group.y / heads) * tokens;
    let token_stride = 3u * heads * DH4;
    let query = group.x * ROWS + lane;
    // Rows past the end still load tiles and meet the barriers; they write nothing.
    let q_at = (first_token + min(query, tokens - 1u)) * token_stride + head * DH4;
    var q: array<vec4<f32>, DH4>;
    var acc: array<vec4<f32>, DH4>;
    for (var d = 0u; d < DH4; d++) {
        q[d] = qkv[q_at + d] * scale;
        acc[d] = vec4<f32>(0.0);
    }
    var running_max = MASKED;
    var running_sum = 0.0;
    for (var start = 0u; start < tokens; start += TILE) {
        workgroupBarrier();
        load_key_value_tile(start, tokens, first_token, head, heads, lane);
        workgroupBarrier();
        let count = min(TILE, tokens - start);
        for (var c = 0u; c < count; c += 4u) {
            var s = vec4<f32>(0.0);
            for (var d = 0u; d < DH4; d++) {
                let qd = q[d];
                s.x += dot(qd, tile_keys[c * DH4 + d]);
                s.y += dot(qd, tile_keys[(c + 1u) * DH4 + d]);
                s.z += dot(qd, tile_keys[(c + 2u) * DH4 + d]);
                s.w += dot(qd, tile_keys[(c + 3u) * DH4 + d]);
            }
            // The last chunk of the last tile may run past the tokens: those keys get no weight.
            s = select(s, vec4<f32>(MASKED), vec4<u32>(c) + vec4<u32>(0u, 1u, 2u, 3u) >= vec4<u32>(count));
            let new_max = max(running_max, max(max(s.x, s.y), max(s.z, s.w)));
            let rescale = exp2(running_max - new_max);
            let p = exp2(s - vec4<f32>(new_max));
            running_sum = running_sum * rescale + (p.x + p.y + p.z + p.w);
            for (var d = 0u; d < DH4; d++) {
                acc[d] = acc[d] * rescale
                    + p.x * tile_values[c * DH4 + d] + p.y * tile_values[(c + 1u) * DH4 + d]
                    + p.z * tile_values[(c + 2u) * DH4 + d] + p.w * tile_values[(c + 3u) * DH4 + d];
            }
            running_max = new_max;
        }
    }
    if (query < tokens) {
        let out_at = ((first_token + query) * heads + head) * DH4;
        let inverse_sum = 1.0 / running_sum;
        for (var d = 0u; d < DH4; d++) {
            context[out_at + d] = acc[d] * inverse_sum;
        }
        stats[group.y * tokens + query] = running_max + log2(running_sum);
    }
}
