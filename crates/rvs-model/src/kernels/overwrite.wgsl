// dst ← src, element by element, into dst's own buffer: state that a captured training step
// updates (batch-norm running statistics) keeps its buffer from step to step.
// The element count is the shorter binding's: both hold at least the tensor.

@group(0) @binding(0) var<storage, read_write> dst: array<f32>;
@group(0) @binding(1) var<storage, read> src: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
    let count = min(arrayLength(&dst), arrayLength(&src));
    for (var i = id.x; i < count; i += groups.x * 64u) {
        dst[i] = src[i];
    }
}
