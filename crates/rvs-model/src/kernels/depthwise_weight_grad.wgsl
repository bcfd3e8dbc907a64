// Weight gradient of a depthwise convolution, first stage: one workgroup per (channel, group
// of IMAGES images) sums grad · input over those images' output pixels for each of the K×K
// taps; the caller sums the groups. (Burn's direct kernel gave each of the C·K² weights one
// thread looping over N·H'·W' pixels: 66 workgroups, 41 ms for the first block on an H100.)
// Small feature maps take several images per workgroup: a software adapter pays for each one.
//   input: [N, C, H, W]; grad: [N, C, OH, OW]; partial: [C, ⌈N / IMAGES⌉, K·K]
//   params: N, C, H, W, OH, OW

const K: u32 = {{ kernel }}u;
const TAPS: u32 = K * K;
const STRIDE: u32 = {{ stride }}u;
const PAD: u32 = {{ padding }}u;
const IMAGES: u32 = {{ images }}u;
const THREADS: u32 = 128u;

@group(0) @binding(0) var<storage, read> input: array<f32>;
@group(0) @binding(1) var<storage, read> grad: array<f32>;
@group(0) @binding(2) var<storage, read> params: array<u32>;
@group(0) @binding(3) var<storage, read_write> partial: array<f32>;

// Each thread's K·K sums, [tap * THREADS + thread], summed per tap at the end.
var<workgroup> sums: array<f32, TAPS * THREADS>;

@compute @workgroup_size(128)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
    let images = params[0];
    let channels = params[1];
    let height = params[2];
    let width = params[3];
    let out_height = params[4];
    let out_width = params[5];
    let channel = group.x;
    let first_image = group.y * IMAGES;
    let last_image = min(first_image + IMAGES, images);
    var acc: array<f32, TAPS>;
    for (var t = 0u; t < TAPS; t++) {
        acc[t] = 0.0;
    }
    for (var image = first_image; image < last_image; image++) {
        let input_at = (image * channels + channel) * height * width;
        let grad_at = (image * channels + channel) * out_height * out_width;
        for (var o = lane; o < out_height * out_width; o += THREADS) {
            let g = grad[grad_at + o];
            // Top-left input pixel of this output's window, shifted by PAD so it stays unsigned.
            let y0 = (o / out_width) * STRIDE;
            let x0 = (o % out_width) * STRIDE;
            for (var ky = 0u; ky < K; ky++) {
                let y = y0 + ky;
                if (y < PAD || y >= height + PAD) {
                    continue;
                }
                for (var kx = 0u; kx < K; kx++) {
                    let x = x0 + kx;
                    if (x >= PAD && x < width + PAD) {
                        acc[ky * K + kx] += g * input[input_at + (y - PAD) * width + (x - PAD)];
                    }
                }
            }
        }
    }
    for (var t = 0u; t < TAPS; t++) {
        sums[t * THREADS + lane] = acc[t];
    }
    workgroupBarrier();
    if (lane < TAPS) {
        var total = 0.0;
        for (var i = 0u; i < THREADS; i++) {
            total += sums[lane * THREADS + i];
        }
        partial[(channel * groups.y + group.y) * TAPS + lane] = total;
    }
}
