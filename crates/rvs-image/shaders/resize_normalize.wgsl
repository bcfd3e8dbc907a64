// Bilinear resize exactly as PyTorch's F.interpolate(mode="bilinear", align_corners=False,
// antialias=False), fused with per-channel normalisation (x - mean) / std, written NCHW into
// a batch. One thread per output pixel. The host declares `OutT` (f32, or f16 behind
// `enable f16;`) before this file; see resize.rs.

struct ResizeParams {
    in_width: u32,
    in_height: u32,
    out_width: u32,
    out_height: u32,
    count: u32,    // images in this dispatch
    src_base: u32, // u32 words before this dispatch's first image in `src` (binding-offset slack)
    dst_base: u32, // OutT elements before this dispatch's first image in `dst`
    groups_x: u32,
    scale_x: f32,  // in_width / out_width in f32, as PyTorch computes it
    scale_y: f32,
    _pad0: u32,
    _pad1: u32,
    mean: vec4<f32>,
    stdev: vec4<f32>,
}

@group(0) @binding(0) var<uniform> params: ResizeParams;
// [count, in_height, in_width] pixels: 4 f32 words (RGBA) or 1 RGBA8 word (R in the low byte).
@group(0) @binding(1) var<storage, read> src: array<u32>;
// [count, 3, out_height, out_width]; only this dispatch's images are written.
@group(0) @binding(2) var<storage, read_write> dst: array<OutT>;

// Source taps and weights of output index `d` along one axis
// (PyTorch's area_pixel_compute_source_index + guard_index_and_lambda).
struct Taps {
    i0: u32,
    i1: u32,
    w0: f32,
    w1: f32,
}

fn taps(d: u32, in_size: u32, scale: f32) -> Taps {
    // Negative source coordinates clamp to 0; `real` >= 0, so u32() is floor.
    let real = max(scale * (f32(d) + 0.5) - 0.5, 0.0);
    let i0 = min(u32(real), in_size - 1u);
    let w1 = clamp(real - f32(i0), 0.0, 1.0);
    let i1 = select(i0, i0 + 1u, i0 + 1u < in_size);
    return Taps(i0, i1, 1.0 - w1, w1);
}

// RGB of source pixel `p` (counted from this dispatch's first image), in [0, 1] for RGBA8.
fn texel(p: u32, rgba8: bool) -> vec3<f32> {
    if (rgba8) {
        let w = src[params.src_base + p];
        return vec3<f32>(f32(w & 0xffu), f32((w >> 8u) & 0xffu), f32((w >> 16u) & 0xffu)) / 255.0;
    }
    let i = params.src_base + p * 4u;
    return bitcast<vec3<f32>>(vec3<u32>(src[i], src[i + 1u], src[i + 2u]));
}

fn resize_normalize(lid: u32, wid: vec3<u32>, rgba8: bool) {
    let i = linear_group(wid, params.groups_x) * 256u + lid;
    let plane = params.out_width * params.out_height;
    if (i >= params.count * plane) {
        return;
    }
    let n = i / plane;
    let r = i - n * plane;
    let y = r / params.out_width;
    let x = r - y * params.out_width;
    let tx = taps(x, params.in_width, params.scale_x);
    let ty = taps(y, params.in_height, params.scale_y);
    let image = n * params.in_width * params.in_height;
    let row0 = image + ty.i0 * params.in_width;
    let row1 = image + ty.i1 * params.in_width;
    // Same order of operations as PyTorch: each row along x, then the rows along y.
    let top = texel(row0 + tx.i0, rgba8) * tx.w0 + texel(row0 + tx.i1, rgba8) * tx.w1;
    let bottom = texel(row1 + tx.i0, rgba8) * tx.w0 + texel(row1 + tx.i1, rgba8) * tx.w1;
    let rgb = top * ty.w0 + bottom * ty.w1;
    let v = (rgb - params.mean.xyz) / params.stdev.xyz;
    let o = params.dst_base + n * 3u * plane + r;
    dst[o] = OutT(v.x);
    dst[o + plane] = OutT(v.y);
    dst[o + 2u * plane] = OutT(v.z);
}

@compute @workgroup_size(256)
fn resize_rgba_f32(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>) {
    resize_normalize(lid, wid, false);
}

@compute @workgroup_size(256)
fn resize_rgba8(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>) {
    resize_normalize(lid, wid, true);
}
