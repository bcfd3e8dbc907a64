// A 1×1 convolution or its input gradient: out[n, o, l] = Σ_c W(o, c) · x[n, c, l], with
// W(o, c) = weight[o·stride_o + c·stride_c] (the weight [C_out, C_in] as is, or transposed for
// the input gradient, without a copy). These layers are memory-bound (16 to 672 channels, a
// few hundred thousand pixels): each input value is read once per 16 output channels, each
// output written once. A workgroup takes 64 pixels (a thread each, coalesced) of one image and
// 16 output channels (a thread keeps them in registers); the weights stream through workgroup
// memory 64 input channels at a time.
//   weight: f32, or halved (f16 pairs, `half.rs`) for inference; read through weight_at
//   params: C_out, C_in, L (pixels per image), stride_o, stride_c

const OUTS: u32 = 16u;
const PIXELS: u32 = 64u;
const CHUNK: u32 = 64u;

@group(0) @binding(0) var<storage, read> x: array<f32>;
{{ weight }}
@group(0) @binding(2) var<storage, read> params: array<u32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

// [CHUNK][OUTS]: one input channel's 16 weights are four vec4 reads, the same for every thread.
var<workgroup> tile_w: array<vec4<f32>, CHUNK * OUTS / 4u>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_index) lane: u32) {
    let c_out = params[0];
    let c_in = params[1];
    let length = params[2];
    let stride_o = params[3];
    let stride_c = params[4];
    let pixel = group.x * PIXELS + lane;
    let first_out = group.y * OUTS;
    let image = group.z;
    var sum: array<vec4<f32>, 4>;

    for (var c0 = 0u; c0 < c_in; c0 += CHUNK) {
        workgroupBarrier();
        for (var e = lane; e < CHUNK * OUTS; e += PIXELS) {
            let c = c0 + e / OUTS;
            let o = first_out + e % OUTS;
            var w = 0.0;
            if (c < c_in && o < c_out) {
                w = weight_at(o * stride_o + c * stride_c);
            }
            tile_w[e / 4u][e % 4u] = w;
        }
        workgroupBarrier();
        if (pixel < length) {
            let count = min(CHUNK, c_in - c0);
            var at = (image * c_in + c0) * length + pixel;
            for (var c = 0u; c < count; c++) {
                let value = x[at];
                sum[0] += tile_w[c * 4u] * value;
                sum[1] += tile_w[c * 4u + 1u] * value;
                sum[2] += tile_w[c * 4u + 2u] * value;
                sum[3] += tile_w[c * 4u + 3u] * value;
                at += length;
            }
        }
    }
    if (pixel < length) {
        for (var o = 0u; o < OUTS; o++) {
            if (first_out + o < c_out) {
                out[(image * c_out + first_out + o) * length + pixel] = sum[o / 4u][o % 4u];
            }
        }
    }
}
