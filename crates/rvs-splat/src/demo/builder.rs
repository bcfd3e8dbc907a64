//! Helpers for building procedural scenes: a tiny PRNG and a splat pusher that orients
//! flat Gaussians along surfaces.

use crate::scene::Splats;
use crate::sh::SH_C0;

/// splitmix64: a few lines, good statistical quality, identical on every platform.
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1), from the top 24 bits so every value is an exact f32.
    pub fn unit(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32
    }

    /// Uniform in [lo, hi).
    pub fn range(&mut self, lo: f32, hi: f32) -> f32 {
        lo + (hi - lo) * self.unit()
    }
}

/// How one surface splat looks: its footprint and colour.
#[derive(Debug, Clone, Copy)]
pub struct Look {
    /// Std-dev along the surface, before ±20 % jitter per axis.
    pub tangent_std: f32,
    /// Std-dev across the surface (thickness).
    pub normal_std: f32,
    pub rgb: [f32; 3],
    /// Amplitude of the random degree-1 SH coefficients (view-dependent shading).
    pub view_dependence: f32,
}

/// Accumulates splats of SH degree 1.
pub struct Builder {
    pub splats: Splats,
    pub rng: SplitMix64,
}

impl Builder {
    pub fn new(seed: u64) -> Self {
        Self {
            splats: Splats {
                sh_degree: 1,
                ..Splats::default()
            },
            rng: SplitMix64::new(seed),
        }
    }

    /// Adds a flat Gaussian at `mean` lying in the plane with unit `normal`, spun by a
    /// random angle about the normal and stored with a random quaternion norm (files do
    /// not guarantee unit quaternions, so neither does the demo).
    pub fn push_surface(&mut self, mean: [f32; 3], normal: [f32; 3], look: Look) {
        let rng = &mut self.rng;
        // Quaternions hold half angles: this spins by 0..2π about the local z axis.
        let half_spin = rng.range(0.0, std::f32::consts::PI);
        let spin_about_z = [half_spin.cos(), 0.0, 0.0, half_spin.sin()];
        let norm = rng.range(0.5, 2.0);
        let quat = quat_mul(quat_from_z_to(normal), spin_about_z).map(|c| c * norm);

        let tangent = [
            look.tangent_std * rng.range(0.8, 1.2),
            look.tangent_std * rng.range(0.8, 1.2),
        ];
        let log_scales = [tangent[0].ln(), tangent[1].ln(), look.normal_std.ln()];
        let opacity_logit = rng.range(3.0, 5.0);

        let s = &mut self.splats;
        s.means.push(mean);
        s.quats.push(quat);
        s.log_scales.push(log_scales);
        s.opacity_logits.push(opacity_logit);
        // DC so that 0.5 + SH_C0 * dc = rgb, then three small random degree-1 terms.
        s.sh.extend(look.rgb.map(|c| (c - 0.5) / SH_C0));
        for _ in 0..9 {
            s.sh.push(self.rng.range(-look.view_dependence, look.view_dependence));
        }
    }
}

/// Unit quaternion (w x y z) rotating +z onto the unit vector `n`.
fn quat_from_z_to(n: [f32; 3]) -> [f32; 4] {
    // Half-way construction: q = (1 + z·n, z × n), normalized; undefined only for n = -z.
    let q = [1.0 + n[2], -n[1], n[0], 0.0];
    let len = q.iter().map(|c| c * c).sum::<f32>().sqrt();
    if len < 1e-6 {
        [0.0, 1.0, 0.0, 0.0]
    } else {
        q.map(|c| c / len)
    }
}

/// Hamilton product a·b (apply b first, then a), w x y z order.
fn quat_mul(a: [f32; 4], b: [f32; 4]) -> [f32; 4] {
    let [aw, ax, ay, az] = a;
    let [bw, bx, by, bz] = b;
    [
        aw * bw - ax * bx - ay * by - az * bz,
        aw * bx + ax * bw + ay * bz - az * by,
        aw * by - ax * bz + ay * bw + az * bx,
        aw * bz + ax * by - ay * bx + az * bw,
    ]
}
