// One Adam / AdamW step of one parameter tensor (flattened), in one pass over its elements:
// the ~15 element-wise tensor operations of optim.rs, same order of operations. Weights and
// moments are updated in place, so they keep their buffers from step to step (a captured
// training step replays against the buffers it was recorded with).
//   settings: learning rate, β1, β2, ε, weight decay, decoupled (1: AdamW), 1−β1^t, 1−β2^t
// The element count is the shortest binding's: every binding holds at least the tensor.

@group(0) @binding(0) var<storage, read_write> weights: array<f32>;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> first: array<f32>;
@group(0) @binding(3) var<storage, read_write> second: array<f32>;
@group(0) @binding(4) var<storage, read> settings: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
    let count = min(min(arrayLength(&weights), arrayLength(&grad)), min(arrayLength(&first), arrayLength(&second)));
    let lr = settings[0];
    let beta1 = settings[1];
    let beta2 = settings[2];
    let epsilon = settings[3];
    let weight_decay = settings[4];
    let decoupled = settings[5] != 0.0;
    // Threads stride over the elements.
    for (var i = id.x; i < count; i += groups.x * 64u) {
        let w = weights[i];
        var g = grad[i];
        if (weight_decay > 0.0 && !decoupled) {
            g = g + w * weight_decay;
        }
        let m = first[i] * beta1 + g * (1.0 - beta1);
        let v = second[i] * beta2 + (g * g) * (1.0 - beta2);
        var update = (m / settings[6]) / (sqrt(v / settings[7]) + epsilon);
        if (weight_decay > 0.0 && decoupled) {
            update = update + w * weight_decay;
        }
        weights[i] = w - update * lr;
        first[i] = m;
        second[i] = v;
    }
}
