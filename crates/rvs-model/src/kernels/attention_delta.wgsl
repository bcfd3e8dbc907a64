// delta_i = g_i · o_i for every (image, head, query): the softmax backward's row term, which
// the key-side kernel on subgroup matrices needs for every query of its tiles. One thread per
// row; layouts as in attention_forward.wgsl (grad like the context), delta [batch, heads, tokens].

const DH4: u32 = 16u;
const ROWS: u32 = 64u;

@group(0) @binding(0) var<storage, read> context: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> grad: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> params: array<u32>;
@group(0) @binding(3) var<storage, read_write> delta: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
    let tokens = params[0];
    let heads = params[1];
    let query = group.x * ROWS + lane;
    if (query >= tokens) {
        return;
    }
    let head = group.y % heads;
    let at = (((group.y / heads) * tokens + query) * heads + head) * DH4;
    var sum = 0.0;
    for (var d = 0u; d < DH4; d++) {
        sum += dot(grad[at + d], context[at + d]);
    }
    delta[group.y * tokens + query] = sum;
}
