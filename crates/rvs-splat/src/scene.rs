//! The in-memory scene: one struct of arrays, in the units the files store.

use crate::error::SceneError;

/// Highest spherical-harmonics degree any loader or renderer handles.
pub const MAX_SH_DEGREE: u32 = 3;

/// Largest log scale a scene may hold: e^40 ≈ 2.4e17 world units, absurd for any real
/// splat, and small enough that the squared scale and covariance sums stay finite in f32
/// (e^80 ≈ 5.5e34, while f32 overflows at 3.4e38).
pub const MAX_LOG_SCALE: f32 = 40.0;

/// Number of SH coefficients per colour channel for a degree: (degree + 1)².
pub fn sh_coeffs_for_degree(degree: u32) -> usize {
    ((degree + 1) * (degree + 1)) as usize
}

/// A 3D Gaussian splat scene, structure of arrays, in the raw (pre-activation)
/// parameters 3DGS trains and stores, so files load without conversion.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Splats {
    /// World positions.
    pub means: Vec<[f32; 3]>,
    /// Rotation quaternions in w x y z order, as stored (not necessarily normalized).
    pub quats: Vec<[f32; 4]>,
    /// Natural log of the per-axis standard-deviation scales.
    pub log_scales: Vec<[f32; 3]>,
    /// Opacity before the sigmoid.
    pub opacity_logits: Vec<f32>,
    /// Spherical-harmonics degree, 0..=3.
    pub sh_degree: u32,
    /// SH coefficients, `[N, K, 3]` flattened with K = (sh_degree + 1)²; k = 0 is the DC term.
    pub sh: Vec<f32>,
}

impl Splats {
    /// Number of splats.
    pub fn len(&self) -> usize {
        self.means.len()
    }

    pub fn is_empty(&self) -> bool {
        self.means.is_empty()
    }

    /// SH coefficients per colour channel (K).
    pub fn sh_coeffs(&self) -> usize {
        sh_coeffs_for_degree(self.sh_degree)
    }

    /// The `[K, 3]` SH coefficients of splat `index`.
    pub fn sh_of(&self, index: usize) -> &[f32] {
        let stride = self.sh_coeffs() * 3;
        &self.sh[index * stride..(index + 1) * stride]
    }

    /// Checks that every array has N entries, the SH degree is supported, every value is
    /// finite, every quaternion can be normalized in f32 and no log scale exceeds
    /// [`MAX_LOG_SCALE`]. GPU kernels assume all of this.
    pub fn validate(&self) -> Result<(), SceneError> {
        if self.sh_degree > MAX_SH_DEGREE {
            return Err(SceneError::InvalidShDegree(self.sh_degree));
        }
        let n = self.len();
        let check_len = |field: &'static str, actual: usize, expected: usize| {
            if actual == expected {
                Ok(())
            } else {
                Err(SceneError::LengthMismatch {
                    field,
                    expected,
                    actual,
                })
            }
        };
        check_len("quats", self.quats.len(), n)?;
        check_len("log_scales", self.log_scales.len(), n)?;
        check_len("opacity_logits", self.opacity_logits.len(), n)?;
        check_len("sh", self.sh.len(), n * self.sh_coeffs() * 3)?;

        for index in 0..n {
            let non_finite = |field: &str| SceneError::NonFinite {
                index,
                field: field.to_string(),
            };
            if !self.means[index].iter().all(|v| v.is_finite()) {
                return Err(non_finite("mean"));
            }
            let q = self.quats[index];
            if !q.iter().all(|v| v.is_finite()) {
                return Err(non_finite("quaternion"));
            }
            if q.iter().all(|&v| v == 0.0) {
                return Err(SceneError::ZeroQuaternion { index });
            }
            // Normalizing divides by the f32 length: tiny quaternions underflow to 0 and
            // huge ones overflow to inf, both giving NaN or a wrong rotation.
            let squared_length: f32 = q.iter().map(|v| v * v).sum();
            if !squared_length.is_normal() {
                return Err(SceneError::QuaternionNotNormalizable {
                    index,
                    quat: q,
                    squared_length,
                });
            }
            if !self.log_scales[index].iter().all(|v| v.is_finite()) {
                return Err(non_finite("log_scale"));
            }
            if let Some(axis) = self.log_scales[index]
                .iter()
                .position(|&v| v > MAX_LOG_SCALE)
            {
                return Err(SceneError::LogScaleTooLarge {
                    index,
                    axis,
                    value: self.log_scales[index][axis],
                    max: MAX_LOG_SCALE,
                });
            }
            if !self.opacity_logits[index].is_finite() {
                return Err(non_finite("opacity_logit"));
            }
            if let Some(pos) = self.sh_of(index).iter().position(|v| !v.is_finite()) {
                return Err(non_finite(&format!(
                    "sh coefficient {} channel {}",
                    pos / 3,
                    pos % 3
                )));
            }
        }
        Ok(())
    }

    /// 64-bit FNV-1a over the SH degree, the splat count and every value's little-endian
    /// bits. The same scene hashes the same on every platform, native or wasm, so the
    /// hash can key render caches shared between them.
    pub fn content_hash(&self) -> u64 {
        let mut hash = Fnv1a::new();
        hash.write(&self.sh_degree.to_le_bytes());
        hash.write(&(self.len() as u64).to_le_bytes());
        let arrays: [&[f32]; 5] = [
            self.means.as_flattened(),
            self.quats.as_flattened(),
            self.log_scales.as_flattened(),
            &self.opacity_logits,
            &self.sh,
        ];
        for array in arrays {
            // The length goes in too, so moving values between fields changes the hash.
            hash.write(&(array.len() as u64).to_le_bytes());
            for value in array {
                hash.write(&value.to_bits().to_le_bytes());
            }
        }
        hash.finish()
    }
}

/// 64-bit FNV-1a: tiny, dependency-free and defined byte by byte, hence platform-stable.
struct Fnv1a(u64);

impl Fnv1a {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;

    fn new() -> Self {
        Self(Self::OFFSET_BASIS)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}
