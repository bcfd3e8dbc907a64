//! Real spherical harmonics up to degree 3, with the constants and sign conventions of
//! the 3DGS reference code (which gsplat's `spherical_harmonics()` reproduces).

// The constants keep every published digit so they can be compared with the 3DGS source
// by eye; the compiler rounds them to f32.
#![allow(clippy::excessive_precision)]

/// Degree-0 basis value: colour = 0.5 + SH_C0 · dc.
pub const SH_C0: f32 = 0.282_094_791_773_878_14;
pub const SH_C1: f32 = 0.488_602_511_902_919_9;
pub const SH_C2: [f32; 5] = [
    1.092_548_430_592_079_2,
    -1.092_548_430_592_079_2,
    0.315_391_565_252_520_05,
    -1.092_548_430_592_079_2,
    0.546_274_215_296_039_6,
];
pub const SH_C3: [f32; 7] = [
    -0.590_043_589_926_643_5,
    2.890_611_442_640_554,
    -0.457_045_799_464_465_8,
    0.373_176_332_590_115_4,
    -0.457_045_799_464_465_8,
    1.445_305_721_320_277,
    -0.590_043_589_926_643_5,
];

/// Evaluates the SH of `degree` for the unit direction `dir` and returns the RGB sum
/// (before the +0.5 offset). `coeffs` is `[K, 3]` with K >= (degree + 1)²; extra
/// higher-degree coefficients are ignored, as gsplat does when asked for a lower degree.
pub fn eval_sh(degree: u32, dir: [f32; 3], coeffs: &[f32]) -> [f32; 3] {
    let basis = sh_basis(degree, dir);
    let mut rgb = [0.0f32; 3];
    for (k, weight) in basis.iter().enumerate() {
        for (channel, value) in rgb.iter_mut().enumerate() {
            *value += weight * coeffs[k * 3 + channel];
        }
    }
    rgb
}

/// The (degree + 1)² basis values at `dir` (assumed unit length).
pub fn sh_basis(degree: u32, dir: [f32; 3]) -> Vec<f32> {
    let [x, y, z] = dir;
    let mut basis = vec![SH_C0];
    if degree >= 1 {
        basis.extend([-SH_C1 * y, SH_C1 * z, -SH_C1 * x]);
    }
    if degree >= 2 {
        let (xx, yy, zz) = (x * x, y * y, z * z);
        basis.extend([
            SH_C2[0] * x * y,
            SH_C2[1] * y * z,
            SH_C2[2] * (2.0 * zz - xx - yy),
            SH_C2[3] * x * z,
            SH_C2[4] * (xx - yy),
        ]);
    }
    if degree >= 3 {
        let (xx, yy, zz) = (x * x, y * y, z * z);
        basis.extend([
            SH_C3[0] * y * (3.0 * xx - yy),
            SH_C3[1] * x * y * z,
            SH_C3[2] * y * (4.0 * zz - xx - yy),
            SH_C3[3] * z * (2.0 * zz - 3.0 * xx - 3.0 * yy),
            SH_C3[4] * x * (4.0 * zz - xx - yy),
            SH_C3[5] * z * (xx - yy),
            SH_C3[6] * x * (xx - 3.0 * yy),
        ]);
    }
    basis
}
