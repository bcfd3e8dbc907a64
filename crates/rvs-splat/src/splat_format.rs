//! antimatter15's `.splat` format, and picking between it and PLY.
//!
//! 32 bytes per splat, no header: position 3×f32 LE, linear scale 3×f32 LE,
//! colour RGBA 4×u8 (rgb = 0.5 + SH_C0·f_dc, a = opacity), rotation 4×u8
//! (q_i = (b_i − 128) / 128, order w x y z). Only degree-0 colour survives the format.

use crate::error::SceneError;
use crate::ply::parse_ply;
use crate::scene::Splats;
use crate::sh::SH_C0;

pub const SPLAT_RECORD_BYTES: usize = 32;

/// An alpha byte of 0 or 255 means opacity 0 or 1, whose logits are infinite. Clamping
/// keeps them finite; sigmoid of the clamped logit is still 0 or 1 to within 1e-6.
const OPACITY_CLAMP: f64 = 1e-6;

/// Parses a `.splat` file. Errors if it is empty or not a whole number of records.
pub fn parse_splat(bytes: &[u8]) -> Result<Splats, SceneError> {
    if bytes.is_empty() {
        return Err(SceneError::EmptySplatFile);
    }
    let remainder = bytes.len() % SPLAT_RECORD_BYTES;
    if remainder != 0 {
        return Err(SceneError::SplatLengthNotMultiple {
            len: bytes.len(),
            remainder,
        });
    }
    let count = bytes.len() / SPLAT_RECORD_BYTES;
    let mut splats = Splats {
        means: Vec::with_capacity(count),
        quats: Vec::with_capacity(count),
        log_scales: Vec::with_capacity(count),
        opacity_logits: Vec::with_capacity(count),
        sh_degree: 0,
        sh: Vec::with_capacity(count * 3),
    };
    for (index, record) in bytes.chunks_exact(SPLAT_RECORD_BYTES).enumerate() {
        let f32_at =
            |i: usize| f32::from_le_bytes(record[i * 4..i * 4 + 4].try_into().expect("4 bytes"));
        splats.means.push([f32_at(0), f32_at(1), f32_at(2)]);

        let mut log_scale = [0.0f32; 3];
        for (axis, log) in log_scale.iter_mut().enumerate() {
            let scale = f32_at(3 + axis);
            if !scale.is_finite() || scale < 0.0 {
                return Err(SceneError::NegativeSplatScale {
                    index,
                    axis,
                    value: scale,
                });
            }
            // A zero scale (a perfectly flat splat) would give ln = -inf; keep it finite.
            *log = scale.max(f32::MIN_POSITIVE).ln();
        }
        splats.log_scales.push(log_scale);

        let [r, g, b, a] = [record[24], record[25], record[26], record[27]];
        splats
            .sh
            .extend([r, g, b].map(|c| (f32::from(c) / 255.0 - 0.5) / SH_C0));
        splats.opacity_logits.push(logit(f64::from(a) / 255.0));

        let q = |i: usize| (f32::from(record[28 + i]) - 128.0) / 128.0;
        splats.quats.push([q(0), q(1), q(2), q(3)]);
    }
    splats.validate()?;
    Ok(splats)
}

fn logit(p: f64) -> f32 {
    let p = p.clamp(OPACITY_CLAMP, 1.0 - OPACITY_CLAMP);
    (p / (1.0 - p)).ln() as f32
}

/// Parses PLY when the bytes start with a `ply` line, `.splat` otherwise.
pub fn detect_and_parse(bytes: &[u8]) -> Result<Splats, SceneError> {
    if bytes.starts_with(b"ply\n") || bytes.starts_with(b"ply\r\n") {
        parse_ply(bytes)
    } else {
        parse_splat(bytes)
    }
}
