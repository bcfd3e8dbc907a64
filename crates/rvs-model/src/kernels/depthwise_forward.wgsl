// A depthwise convolution (one K×K filter per channel), forward, in NCHW: a thread per output
// pixel, its K·K taps read from the input (neighbouring threads share them in cache). Burn's
// direct kernel works in NHWC, so it went through two layout copies per call.
//   x: [N, C, H, W]; weight: [C, 1, K, K]; out: [N, C, OH, OW]; workgroups (pixels/256, C, N)
//   weight: f32, or halved (f16 pairs, `half.rs`) for inference; read through weight_at
//   params: N, C, H, W, OH, OW

const K: u32 = {{ kernel }}u;
const STRIDE: u32 = {{ stride }}u;
const PAD: i32 = {{ padding }};

@group(0) @binding(0) var<storage, read> x: array<f32>;
{{ weight }}
@group(0) @binding(2) var<storage, read> params: array<u32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
    let channels = params[1];
    let height = i32(params[2]);
    let width = i32(params[3]);
    let out_width = params[5];
    let pixels = params[4] * out_width;
    let pixel = group.x * 256u + lane;
    if (pixel >= pixels) {
        return;
    }
    let plane = group.z * channels + group.y;
    let x_at = plane * u32(height * width);
    let w_at = group.y * K * K;
    let top = i32((pixel / out_width) * STRIDE) - PAD;
    let left = i32((pixel % out_width) * STRIDE) - PAD;
    var sum = 0.0;
    for (var ky = 0u; ky < K; ky++) {
        let y = top + i32(ky);
        if (y < 0 || y >= height) {
            continue;
        }
        for (var kx = 0u; kx < K; kx++) {
            let xx = left + i32(kx);
            if (xx >= 0 && xx < width) {
                sum += weight_at(w_at + ky * K + kx) * x[x_at + u32(y * width + xx)];
            }
        }
    }
    out[plane * pixels + pixel] = sum;
}
