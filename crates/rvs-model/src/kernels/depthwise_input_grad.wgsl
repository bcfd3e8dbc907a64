// A depthwise convolution's input gradient, in NCHW: a thread per input pixel gathers the
// output gradients of the windows that cover it (no atomics): tap (ky, kx) of output (oy, ox)
// covers input (oy·STRIDE − PAD + ky, ox·STRIDE − PAD + kx). Burn's transposed convolution
// works in NHWC (two layout copies per call).
//   grad: [N, C, OH, OW]; weight: [C, 1, K, K]; dx: [N, C, H, W]; workgroups (pixels/256, C, N)
//   params: N, C, H, W, OH, OW

const K: u32 = {{ kernel }}u;
const STRIDE: i32 = {{ stride }};
const PAD: i32 = {{ padding }};

@group(0) @binding(0) var<storage, read> grad: array<f32>;
{{ weight }}
@group(0) @binding(2) var<storage, read> params: array<u32>;
@group(0) @binding(3) var<storage, read_write> dx: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
    let channels = params[1];
    let width = params[3];
    let pixels = params[2] * width;
    let out_height = i32(params[4]);
    let out_width = i32(params[5]);
    let pixel = group.x * 256u + lane;
    if (pixel >= pixels) {
        return;
    }
    let plane = group.z * channels + group.y;
    let grad_at = plane * u32(out_height * out_width);
    let w_at = group.y * K * K;
    let y = i32(pixel / width) + PAD;
    let xx = i32(pixel % width) + PAD;
    var sum = 0.0;
    for (var ky = 0u; ky < K; ky++) {
        let ty = y - i32(ky);
        if (ty < 0 || ty % STRIDE != 0 || ty / STRIDE >= out_height) {
            continue;
        }
        for (var kx = 0u; kx < K; kx++) {
            let tx = xx - i32(kx);
            if (tx >= 0 && tx % STRIDE == 0 && tx / STRIDE < out_width) {
                sum += weight_at(w_at + ky * K + kx) * grad[grad_at + u32((ty / STRIDE) * out_width + tx / STRIDE)];
            }
        }
    }
    dx[plane * pixels + pixel] = sum;
}
