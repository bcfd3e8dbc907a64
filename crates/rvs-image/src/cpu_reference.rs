//! The GPU kernel's maths on the CPU, in f32 like PyTorch's CPU kernel for float tensors
//! (`aten/src/ATen/native/cpu/UpSampleKernel.cpp`, `UpSample.h`). The oracle for tests.

use crate::Normalize;

/// The two source indices and weights that output index `d` blends along one axis.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Taps {
    pub i0: usize,
    pub i1: usize,
    pub w0: f32,
    pub w1: f32,
}

/// PyTorch's `area_pixel_compute_scale` with `align_corners=False` and no explicit scale.
pub fn scale(in_size: u32, out_size: u32) -> f32 {
    in_size as f32 / out_size as f32
}

/// `area_pixel_compute_source_index` (negative coordinates clamp to 0) followed by
/// `guard_index_and_lambda`; the second tap clamps to the last row/column.
pub fn taps(d: u32, in_size: u32, scale: f32) -> Taps {
    let real = (scale * (d as f32 + 0.5) - 0.5).max(0.0);
    let i0 = (real.floor() as usize).min(in_size as usize - 1);
    let w1 = (real - i0 as f32).clamp(0.0, 1.0);
    let i1 = if i0 + 1 < in_size as usize { i0 + 1 } else { i0 };
    Taps { i0, i1, w0: 1.0 - w1, w1 }
}

/// Resizes one channel, `src` [in_h, in_w] → [out_h, out_w], rows first then columns,
/// in PyTorch's order of operations.
pub fn resize_plane(src: &[f32], in_w: u32, in_h: u32, out_w: u32, out_h: u32) -> Vec<f32> {
    assert_eq!(src.len(), (in_w * in_h) as usize, "plane has the wrong length");
    let (sx, sy) = (scale(in_w, out_w), scale(in_h, out_h));
    let at = |x: usize, y: usize| src[y * in_w as usize + x];
    let mut out = Vec::with_capacity((out_w * out_h) as usize);
    for y in 0..out_h {
        let ty = taps(y, in_h, sy);
        for x in 0..out_w {
            let tx = taps(x, in_w, sx);
            let top = at(tx.i0, ty.i0) * tx.w0 + at(tx.i1, ty.i0) * tx.w1;
            let bottom = at(tx.i0, ty.i1) * tx.w0 + at(tx.i1, ty.i1) * tx.w1;
            out.push(top * ty.w0 + bottom * ty.w1);
        }
    }
    out
}

/// Unpacks RGBA8 bytes [count, h, w, 4] to f32 RGBA as `byte / 255`.
pub fn rgba8_to_f32(bytes: &[u8]) -> Vec<f32> {
    bytes.iter().map(|&b| f32::from(b) / 255.0).collect()
}

/// `rgba` [count, in_h, in_w, 4] → normalised NCHW [count, 3, out_h, out_w]; alpha is dropped.
pub fn resize_normalize(rgba: &[f32], in_w: u32, in_h: u32, out_w: u32, out_h: u32, norm: &Normalize) -> Vec<f32> {
    let px = (in_w * in_h) as usize;
    assert_eq!(rgba.len() % (px * 4), 0, "rgba is not a whole number of images");
    let mut out = Vec::new();
    for image in rgba.chunks_exact(px * 4) {
        for c in 0..3 {
            let plane: Vec<f32> = image.chunks_exact(4).map(|p| p[c]).collect();
            out.extend(resize_plane(&plane, in_w, in_h, out_w, out_h).into_iter().map(|v| (v - norm.mean[c]) / norm.std[c]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(got: &[f32], want: &[f32]) {
        assert_eq!(got.len(), want.len());
        for (i, (g, w)) in got.iter().zip(want).enumerate() {
            assert!((g - w).abs() < 1e-5, "element {i}: got {g}, want {w} (all: {got:?})");
        }
    }

    #[test]
    fn downsample_4x4_to_2x2_averages_2x2_blocks() {
        // scale 2: out 0 ← src 0.5·2 − 0.5 = 0.5 (taps 0, 1, weights ½ ½);
        //          out 1 ← 1.5·2 − 0.5 = 2.5 (taps 2, 3, weights ½ ½).
        // v(x, y) = 4y + x, so each output is the mean of a 2×2 block:
        // (0+1+4+5)/4 = 2.5, (2+3+6+7)/4 = 4.5, (8+9+12+13)/4 = 10.5, (10+11+14+15)/4 = 12.5.
        let src: Vec<f32> = (0..16).map(|v| v as f32).collect();
        close(&resize_plane(&src, 4, 4, 2, 2), &[2.5, 4.5, 10.5, 12.5]);
    }

    #[test]
    fn upsample_2x2_to_4x4_clamps_negative_coordinates_and_last_tap() {
        // scale ½: out 0 ← 0.25 − 0.5 = −0.25 → clamped to 0: taps (0, 1), w1 = 0
        //          out 1 ← 0.75 − 0.5 = 0.25: taps (0, 1), w1 = 0.25
        //          out 2 ← 1.25 − 0.5 = 0.75: taps (0, 1), w1 = 0.75
        //          out 3 ← 1.75 − 0.5 = 1.25: i0 = 1 is the last column, so i1 = 1 too.
        // Along x [0, 4] → [0, 1, 3, 4]; along y [0, 8] → [0, 2, 6, 8]. v = 4x + 8y is
        // linear and the weights sum to 1, so out(x, y) = X[x] + Y[y].
        let src = [0.0, 4.0, 8.0, 12.0];
        #[rustfmt::skip]
        let want = [
            0.0, 1.0, 3.0, 4.0,
            2.0, 3.0, 5.0, 6.0,
            6.0, 7.0, 9.0, 10.0,
            8.0, 9.0, 11.0, 12.0,
        ];
        close(&resize_plane(&src, 2, 2, 4, 4), &want);
        assert_eq!(taps(0, 2, 0.5), Taps { i0: 0, i1: 1, w0: 1.0, w1: 0.0 });
        assert_eq!(taps(3, 2, 0.5), Taps { i0: 1, i1: 1, w0: 0.75, w1: 0.25 });
    }

    #[test]
    fn one_pixel_wide_input_repeats_along_x() {
        // Width 1 → 4: every x tap is column 0 (i1 clamps to it), so rows are constant.
        // Height 3 → 2, scale 1.5: out 0 ← 0.75 − 0.5 = 0.25 → 0·0.75 + 10·0.25 = 2.5;
        //                          out 1 ← 2.25 − 0.5 = 1.75 → 10·0.25 + 20·0.75 = 17.5.
        let src = [0.0, 10.0, 20.0];
        close(&resize_plane(&src, 1, 3, 4, 2), &[2.5, 2.5, 2.5, 2.5, 17.5, 17.5, 17.5, 17.5]);
    }

    #[test]
    fn downsample_to_one_pixel_blends_the_two_middle_samples() {
        // 4 → 1, scale 4: out 0 ← 0.5·4 − 0.5 = 1.5 → taps (1, 2), ½ ½: not the mean of all four.
        close(&resize_plane(&[0.0, 10.0, 20.0, 100.0], 4, 1, 1, 1), &[15.0]);
    }

    #[test]
    fn non_integer_scale_5_to_3() {
        // scale 5/3: out 0 ← (0.5)(5/3) − 0.5 = 1/3 → taps (0, 1), w1 = 1/3
        //            out 1 ← (1.5)(5/3) − 0.5 = 2   → tap 2, w1 = 0
        //            out 2 ← (2.5)(5/3) − 0.5 = 11/3 → taps (3, 4), w1 = 2/3
        // v = 3x: [0, 3, 6, 9, 12] → [1, 6, 11].
        close(&resize_plane(&[0.0, 3.0, 6.0, 9.0, 12.0], 5, 1, 3, 1), &[1.0, 6.0, 11.0]);
        // And 3 → 5 (scale 0.6): coordinates −0.2→0, 0.4, 1.0, 1.6, 2.2 (last tap clamps):
        // [0, 10, 20] → [0, 4, 10, 16, 20].
        close(&resize_plane(&[0.0, 10.0, 20.0], 3, 1, 5, 1), &[0.0, 4.0, 10.0, 16.0, 20.0]);
    }

    #[test]
    fn same_size_is_a_copy() {
        let src: Vec<f32> = (0..15).map(|v| (v * v) as f32 * 0.1).collect();
        close(&resize_plane(&src, 5, 3, 5, 3), &src);
    }

    #[test]
    fn normalises_per_channel_and_writes_nchw() {
        // One 1×1 RGBA pixel: ImageNet mean and std per channel, alpha dropped.
        // R: (1 − 0.485)/0.229 = 2.2489083, G: (0.456 − 0.456)/0.224 = 0, B: (0 − 0.406)/0.225 = −1.8044444.
        let out = resize_normalize(&[1.0, 0.456, 0.0, 0.5], 1, 1, 1, 1, &Normalize::IMAGENET);
        close(&out, &[2.248_908_3, 0.0, -1.804_444_4]);
        // Two 2×1 images → 1×1 each: planes R, G, B per image, image after image.
        let rgba = [
            0.0, 1.0, 2.0, 9.0, 2.0, 3.0, 4.0, 9.0, // image 0: pixels (0,1,2), (2,3,4)
            10.0, 20.0, 30.0, 9.0, 30.0, 40.0, 50.0, 9.0, // image 1
        ];
        close(&resize_normalize(&rgba, 2, 1, 1, 1, &Normalize::IDENTITY), &[1.0, 2.0, 3.0, 20.0, 30.0, 40.0]);
    }

    #[test]
    fn rgba8_is_byte_over_255() {
        close(&rgba8_to_f32(&[0, 51, 255, 128]), &[0.0, 0.2, 1.0, 128.0 / 255.0]);
    }
}
