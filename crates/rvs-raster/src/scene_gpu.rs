use rvs_gpu::{storage_buffer_init, GpuContext};
use rvs_splat::Splats;

use crate::RasterError;

/// A scene resident on the GPU, in the layouts the kernels read.
pub struct GpuScene {
    /// [N, 3] vec4: (mean.xyz, opacity), (Σxx, Σxy, Σxz, Σyy), (Σyz, Σzz, 0, 0)
    pub(crate) splats3d: wgpu::Buffer,
    /// [K * 3, N] SH coefficients, transposed for coalesced reads.
    pub(crate) sh_t: wgpu::Buffer,
    pub num_splats: u32,
    pub sh_degree: u32,
    pub content_hash: u64,
}

impl GpuScene {
    /// Validates `splats` and uploads them. The 3D covariance Σ = R S Sᵀ Rᵀ is computed
    /// here once per scene, not once per view.
    pub fn upload(ctx: &GpuContext, splats: &Splats) -> Result<Self, RasterError> {
        splats.validate()?;
        let n = splats.len();
        let num_splats = u32::try_from(n).map_err(|_| RasterError::Settings(format!("{n} splats is more than 2^32")))?;
        if n == 0 {
            return Err(RasterError::Settings("the scene has no splats".into()));
        }
        let k = splats.sh_coeffs();
        ctx.check_binding("scene splats", 48 * n as u64)?;
        ctx.check_binding("scene SH coefficients", 12 * (k * n) as u64)?;
        let mut packed = Vec::with_capacity(n * 12);
        for i in 0..n {
            let m = splats.means[i];
            let opacity = 1.0 / (1.0 + (-splats.opacity_logits[i]).exp());
            let s = covariance(splats.quats[i], splats.log_scales[i]);
            packed.extend_from_slice(&[m[0], m[1], m[2], opacity, s[0], s[1], s[2], s[3], s[4], s[5], 0.0, 0.0]);
        }
        let mut sh_t = vec![0.0f32; k * 3 * n];
        for i in 0..n {
            for kc in 0..k * 3 {
                sh_t[kc * n + i] = splats.sh[i * k * 3 + kc];
            }
        }
        Ok(Self {
            splats3d: storage_buffer_init(&ctx.device, "scene splats3d", &packed),
            sh_t: storage_buffer_init(&ctx.device, "scene sh", &sh_t),
            num_splats,
            sh_degree: splats.sh_degree,
            content_hash: splats.content_hash(),
        })
    }

    pub fn sh_coeffs(&self) -> u32 {
        (self.sh_degree + 1) * (self.sh_degree + 1)
    }

    pub fn gpu_bytes(&self) -> u64 {
        self.splats3d.size() + self.sh_t.size()
    }

    pub fn destroy(&self) {
        self.splats3d.destroy();
        self.sh_t.destroy();
    }
}

/// Upper triangle (xx, xy, xz, yy, yz, zz) of R S Sᵀ Rᵀ for quaternion wxyz and log scales.
fn covariance(q: [f32; 4], log_scale: [f32; 3]) -> [f32; 6] {
    let norm = (q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]).sqrt();
    let [w, x, y, z] = q.map(|v| v / norm);
    let r = [
        [1.0 - 2.0 * (y * y + z * z), 2.0 * (x * y - w * z), 2.0 * (x * z + w * y)],
        [2.0 * (x * y + w * z), 1.0 - 2.0 * (x * x + z * z), 2.0 * (y * z - w * x)],
        [2.0 * (x * z - w * y), 2.0 * (y * z + w * x), 1.0 - 2.0 * (x * x + y * y)],
    ];
    let s = log_scale.map(f32::exp);
    // M = R S; Σ = M Mᵀ.
    let m = |i: usize, j: usize| r[i][j] * s[j];
    let sigma = |i: usize, j: usize| (0..3).map(|c| m(i, c) * m(j, c)).sum::<f32>();
    [sigma(0, 0), sigma(0, 1), sigma(0, 2), sigma(1, 1), sigma(1, 2), sigma(2, 2)]
}

#[cfg(test)]
mod tests {
    use super::covariance;

    #[test]
    fn identity_rotation_gives_diagonal_squared_scales() {
        let s = covariance([1.0, 0.0, 0.0, 0.0], [0.0, 2f32.ln(), 3f32.ln()]);
        let want = [1.0, 0.0, 0.0, 4.0, 0.0, 9.0];
        for (a, b) in s.iter().zip(want) {
            assert!((a - b).abs() < 1e-5, "{s:?}");
        }
    }

    #[test]
    fn quarter_turn_about_z_swaps_x_and_y() {
        let h = std::f32::consts::FRAC_1_SQRT_2;
        let s = covariance([h, 0.0, 0.0, h], [0.0, 2f32.ln(), 0.0]);
        assert!((s[0] - 4.0).abs() < 1e-4 && (s[3] - 1.0).abs() < 1e-4 && s[1].abs() < 1e-4, "{s:?}");
    }
}
