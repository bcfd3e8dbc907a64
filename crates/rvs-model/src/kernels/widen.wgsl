// A halved weight (f16 pairs in 32-bit words) back to f32, for operations that read f32.
//   params: pairs

@group(0) @binding(0) var<storage, read> halves: array<u32>;
@group(0) @binding(1) var<storage, read> params: array<u32>;
@group(0) @binding(2) var<storage, read_write> values: array<vec2<f32>>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
    for (var i = id.x; i < params[0]; i += groups.x * 64u) {
        values[i] = unpack2x16float(halves[i]);
    }
}
