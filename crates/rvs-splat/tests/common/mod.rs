//! Small scenes and cameras shared by the integration tests.
#![allow(dead_code)]

use rvs_splat::{Camera, RasterMode, RenderSettings, Splats, sh_coeffs_for_degree};

/// A camera at the world origin looking along +z (OpenCV axes), focal `f`, principal
/// point at the image centre.
pub fn identity_camera(width: u32, height: u32, f: f32) -> Camera {
    let mut viewmat = [0.0; 16];
    for i in 0..4 {
        viewmat[i * 5] = 1.0;
    }
    Camera {
        viewmat,
        k: [
            f,
            0.0,
            width as f32 / 2.0,
            0.0,
            f,
            height as f32 / 2.0,
            0.0,
            0.0,
            1.0,
        ],
    }
}

pub fn settings(width: u32, height: u32, sh_degree: u32, mode: RasterMode) -> RenderSettings {
    RenderSettings {
        width,
        height,
        sh_degree,
        background: [0.0; 3],
        mode,
    }
}

/// An isotropic Gaussian of std-dev `scale` with degree-0 colour `rgb`.
#[derive(Debug, Clone, Copy)]
pub struct Blob {
    pub mean: [f32; 3],
    pub scale: f32,
    pub rgb: [f32; 3],
    pub opacity_logit: f32,
}

/// An isotropic blob.
pub fn blob(mean: [f32; 3], scale: f32, rgb: [f32; 3], opacity_logit: f32) -> Blob {
    Blob { mean, scale, rgb, opacity_logit }
}

/// A scene of the given SH degree made of blobs; higher SH coefficients are zero.
pub fn scene_of(blobs: &[Blob], sh_degree: u32) -> Splats {
    let k = sh_coeffs_for_degree(sh_degree);
    let mut s = Splats {
        sh_degree,
        ..Splats::default()
    };
    for blob in blobs {
        s.means.push(blob.mean);
        s.quats.push([1.0, 0.0, 0.0, 0.0]);
        s.log_scales.push([blob.scale.ln(); 3]);
        s.opacity_logits.push(blob.opacity_logit);
        s.sh.extend(blob.rgb.map(|c| (c - 0.5) / rvs_splat::sh::SH_C0));
        s.sh.extend(std::iter::repeat_n(0.0, (k - 1) * 3));
    }
    s
}

/// A scene with every field filled with distinct, deterministic values.
pub fn varied_scene(count: usize, sh_degree: u32, seed: u64) -> Splats {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 40) as f32 / (1u64 << 24) as f32 * 2.0 - 1.0
    };
    let k = sh_coeffs_for_degree(sh_degree);
    let mut s = Splats {
        sh_degree,
        ..Splats::default()
    };
    for _ in 0..count {
        s.means.push([next() * 3.0, next() * 3.0, next() * 3.0]);
        s.quats.push([next() + 1.5, next(), next(), next()]);
        s.log_scales
            .push([next() - 3.0, next() - 3.0, next() - 3.0]);
        s.opacity_logits.push(next() * 4.0);
        for _ in 0..k * 3 {
            s.sh.push(next());
        }
    }
    s
}
