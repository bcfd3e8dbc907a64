// f32 values → f16, two to a 32-bit word (the first in the low half): a halved weight.
// pack2x16float is core WGSL (no shader-f16) and rounds to nearest even.
//   params: pairs

@group(0) @binding(0) var<storage, read> values: array<vec2<f32>>;
@group(0) @binding(1) var<storage, read> params: array<u32>;
@group(0) @binding(2) var<storage, read_write> halves: array<u32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
    for (var i = id.x; i < params[0]; i += groups.x * 64u) {
        halves[i] = pack2x16float(values[i]);
    }
}
