//! Projection of one Gaussian into one camera: gsplat's fused EWA projection
//! (pinhole, packed = False), then its colour from spherical harmonics.

use super::constants::{
    ALPHA_THRESHOLD, EPS2D, FAR_PLANE, FRUSTUM_CLAMP_MARGIN, MAX_EXTEND, NEAR_PLANE, RADIUS_CLIP,
};
use super::math::{Mat3, Vec3, mat_mul, mat_vec, normalize, quat_to_rotmat, transpose};
use super::{Camera, RasterMode, RenderSettings};
use crate::scene::Splats;
use crate::sh::eval_sh;

/// A Gaussian as the rasterizer sees it in one image.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Projected {
    /// Index of the splat in the scene.
    pub index: usize,
    /// Pixel coordinates of the centre (x right, y down; pixel (i, j) spans [i, i+1)).
    pub mean2d: [f32; 2],
    /// Camera-space z, the sort key and the depth that is blended.
    pub depth: f32,
    /// Inverse of the blurred 2D covariance as (a, b, c) = (inv00, inv01, inv11).
    pub conic: [f32; 3],
    /// Sigmoid opacity, times the blur compensation in antialiased mode.
    pub opacity: f32,
    /// Screen-space half extents in whole pixels.
    pub radius: [f32; 2],
    /// RGB after SH evaluation, +0.5 and clamping at 0.
    pub color: [f32; 3],
}

/// The parts of a camera projection needs, unpacked once per render.
pub struct CameraFrame {
    rotation: Mat3,
    translation: Vec3,
    center: Vec3,
    fx: f32,
    fy: f32,
    cx: f32,
    cy: f32,
}

impl CameraFrame {
    pub fn new(camera: &Camera) -> Self {
        let v = &camera.viewmat;
        let rotation = [[v[0], v[1], v[2]], [v[4], v[5], v[6]], [v[8], v[9], v[10]]];
        let translation = [v[3], v[7], v[11]];
        // World position of the camera: -Rᵀ t (inverse of the rigid world→camera map).
        let center = mat_vec(&transpose(&rotation), translation).map(|c| -c);
        let k = &camera.k;
        Self {
            rotation,
            translation,
            center,
            fx: k[0],
            fy: k[4],
            cx: k[2],
            cy: k[5],
        }
    }
}

/// Projects splat `index`, or returns `None` where gsplat would set its radii to 0.
pub fn project(
    splats: &Splats,
    index: usize,
    frame: &CameraFrame,
    settings: &RenderSettings,
) -> Option<Projected> {
    let mean_world = splats.means[index];
    let mean_cam = add(mat_vec(&frame.rotation, mean_world), frame.translation);
    let [x, y, z] = mean_cam;
    if !(NEAR_PLANE..=FAR_PLANE).contains(&z) {
        return None;
    }

    let cov_world = world_covariance(splats.quats[index], splats.log_scales[index]);
    let cov_cam = mat_mul(
        &mat_mul(&frame.rotation, &cov_world),
        &transpose(&frame.rotation),
    );

    // Perspective Jacobian, evaluated at a point clamped to a widened frustum.
    let (width, height) = (settings.width as f32, settings.height as f32);
    let (fx, fy, cx, cy) = (frame.fx, frame.fy, frame.cx, frame.cy);
    let tan_fovx = 0.5 * width / fx;
    let tan_fovy = 0.5 * height / fy;
    let lim_x_pos = (width - cx) / fx + FRUSTUM_CLAMP_MARGIN * tan_fovx;
    let lim_x_neg = cx / fx + FRUSTUM_CLAMP_MARGIN * tan_fovx;
    let lim_y_pos = (height - cy) / fy + FRUSTUM_CLAMP_MARGIN * tan_fovy;
    let lim_y_neg = cy / fy + FRUSTUM_CLAMP_MARGIN * tan_fovy;
    let tx = z * (x / z).clamp(-lim_x_neg, lim_x_pos);
    let ty = z * (y / z).clamp(-lim_y_neg, lim_y_pos);
    let jacobian = [
        [fx / z, 0.0, -fx * tx / (z * z)],
        [0.0, fy / z, -fy * ty / (z * z)],
    ];
    let mut cov2d = project_covariance(&jacobian, &cov_cam);
    let mean2d = [fx * x / z + cx, fy * y / z + cy];

    // Low-pass blur; the compensation keeps the total mass of small Gaussians in antialiased mode.
    let det_orig = det2(&cov2d);
    cov2d[0][0] += EPS2D;
    cov2d[1][1] += EPS2D;
    let det = det2(&cov2d);
    if det <= 0.0 {
        return None;
    }
    let compensation = (det_orig / det).max(0.0).sqrt();
    let conic = [cov2d[1][1] / det, -cov2d[0][1] / det, cov2d[0][0] / det];

    let mut opacity = sigmoid(splats.opacity_logits[index]);
    if settings.mode == RasterMode::Antialiased {
        opacity *= compensation;
    }
    if opacity < ALPHA_THRESHOLD {
        return None;
    }
    // Opacity-aware extent: beyond it exp(-sigma) * opacity is below the alpha threshold.
    let extend = MAX_EXTEND.min((2.0 * (opacity / ALPHA_THRESHOLD).ln()).sqrt());
    let radius = [
        (extend * cov2d[0][0].sqrt()).ceil(),
        (extend * cov2d[1][1].sqrt()).ceil(),
    ];
    if radius[0] <= RADIUS_CLIP && radius[1] <= RADIUS_CLIP {
        return None;
    }
    if mean2d[0] + radius[0] <= 0.0
        || mean2d[0] - radius[0] >= width
        || mean2d[1] + radius[1] <= 0.0
        || mean2d[1] - radius[1] >= height
    {
        return None;
    }

    let direction = normalize(sub(mean_world, frame.center));
    let sh = eval_sh(settings.sh_degree, direction, splats.sh_of(index));
    let color = sh.map(|c| (c + 0.5).max(0.0));

    Some(Projected {
        index,
        mean2d,
        depth: z,
        conic,
        opacity,
        radius,
        color,
    })
}

/// Σ = R S Sᵀ Rᵀ with S = diag(exp(log_scale)).
fn world_covariance(quat: [f32; 4], log_scale: [f32; 3]) -> Mat3 {
    let rotation = quat_to_rotmat(quat);
    let scale = log_scale.map(f32::exp);
    let m: Mat3 =
        std::array::from_fn(|row| std::array::from_fn(|col| rotation[row][col] * scale[col]));
    mat_mul(&m, &transpose(&m))
}

/// J Σ Jᵀ for a 2×3 Jacobian.
fn project_covariance(j: &[[f32; 3]; 2], cov: &Mat3) -> [[f32; 2]; 2] {
    let j_cov: [[f32; 3]; 2] = std::array::from_fn(|row| {
        std::array::from_fn(|col| (0..3).map(|i| j[row][i] * cov[i][col]).sum())
    });
    std::array::from_fn(|row| {
        std::array::from_fn(|col| (0..3).map(|i| j_cov[row][i] * j[col][i]).sum())
    })
}

fn det2(m: &[[f32; 2]; 2]) -> f32 {
    m[0][0] * m[1][1] - m[0][1] * m[1][0]
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

fn add(a: Vec3, b: Vec3) -> Vec3 {
    std::array::from_fn(|i| a[i] + b[i])
}

fn sub(a: Vec3, b: Vec3) -> Vec3 {
    std::array::from_fn(|i| a[i] - b[i])
}
