//! Per-Gaussian projection and colour checked against closed forms and independent
//! formulations (quaternion algebra, EWA Jacobian, world-space view directions).

mod common;

use common::{blob, identity_camera, scene_of, settings};
use rvs_splat::reference::constants::{ALPHA_THRESHOLD, EPS2D, MAX_EXTEND};
use rvs_splat::reference::{Projected, project_and_sort};
use rvs_splat::sh::{SH_C1, sh_basis};
use rvs_splat::{RasterMode, render};

const W: u32 = 64;
const H: u32 = 48;
const F: f32 = 80.0;


#[test]
fn on_axis_projection_matches_closed_form() {
    // Isotropic std s at depth z on the optical axis: cov2d = (f s / z)² I, then + 0.3 I.
    let (s, z) = (0.1f32, 4.0f32);
    let scene = scene_of(&[blob([0.0, 0.0, z], s, [0.5; 3], 2.0)], 0);
    let g = project_and_sort(
        &scene,
        &identity_camera(W, H, F),
        &settings(W, H, 0, RasterMode::Classic),
    )[0];
    let var = (F * s / z).powi(2) + EPS2D;
    let expect_conic = [1.0 / var, 0.0, 1.0 / var];
    for (got, want) in g.conic.iter().zip(expect_conic) {
        assert!((got - want).abs() < 1e-5, "conic {:?}", g.conic);
    }
    let opacity = 1.0 / (1.0 + (-2.0f32).exp());
    let extend = MAX_EXTEND.min((2.0 * (opacity / ALPHA_THRESHOLD).ln()).sqrt());
    assert_eq!(g.radius, [(extend * var.sqrt()).ceil(); 2]);
    assert_eq!(g.depth, z);
}

/// A degree-3 scene with non-zero higher coefficients, seen from an oblique camera.
fn view_dependent_case() -> (rvs_splat::Splats, rvs_splat::Camera, [f32; 3]) {
    let mut scene = scene_of(&[blob([0.8, -0.4, 4.0], 0.3, [0.5; 3], 3.0)], 3);
    for k in 1..16 {
        for c in 0..3 {
            scene.sh[k * 3 + c] = 0.01 * (k as f32) * if c == 1 { -1.0 } else { 1.0 };
        }
    }
    let mut camera = identity_camera(W, H, F);
    camera.viewmat[3] = 0.3; // camera at world x = -0.3
    camera.viewmat[7] = -0.2;
    let center = [-0.3f32, 0.2, 0.0];
    let d = [0.8 - center[0], -0.4 - center[1], 4.0 - center[2]];
    let n = (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).sqrt();
    (scene, camera, d.map(|c| c / n))
}

#[test]
fn sh_degree_changes_only_the_view_dependent_colour() {
    let (scene, camera, dir) = view_dependent_case();
    let p0 = project_and_sort(&scene, &camera, &settings(W, H, 0, RasterMode::Classic))[0];
    let p3 = project_and_sort(&scene, &camera, &settings(W, H, 3, RasterMode::Classic))[0];
    let same_geometry = |p: &Projected| (p.mean2d, p.conic, p.opacity, p.radius, p.depth);
    assert_eq!(same_geometry(&p0), same_geometry(&p3));

    let basis = sh_basis(3, dir);
    for c in 0..3 {
        let view_term: f32 = (1..16).map(|k| basis[k] * scene.sh[k * 3 + c]).sum();
        assert!(
            view_term.abs() > 1e-3 && 0.5 + view_term > 0.0,
            "view term {view_term} must be visible and unclamped"
        );
        assert!(
            (p3.color[c] - p0.color[c] - view_term).abs() < 1e-5,
            "channel {c}"
        );
    }
    let i0 = render(&scene, &camera, &settings(W, H, 0, RasterMode::Classic)).unwrap();
    let i3 = render(&scene, &camera, &settings(W, H, 3, RasterMode::Classic)).unwrap();
    assert_eq!(i0.alpha, i3.alpha);
    assert_ne!(i0.rgb, i3.rgb);

    // With the higher coefficients zeroed, degree 3 renders exactly like degree 0.
    let mut flat = scene.clone();
    flat.sh[3..].fill(0.0);
    let f0 = render(&flat, &camera, &settings(W, H, 0, RasterMode::Classic)).unwrap();
    let f3 = render(&flat, &camera, &settings(W, H, 3, RasterMode::Classic)).unwrap();
    assert_eq!(f0, f3);
}

#[test]
fn degree_one_straight_ahead_uses_the_z_coefficient() {
    // Direction +z: the degree-1 basis is (-C1·y, C1·z, -C1·x) = (0, C1, 0).
    let mut scene = scene_of(&[blob([0.0, 0.0, 4.0], 0.3, [0.4, 0.5, 0.6], 3.0)], 1);
    scene.sh[3..12].copy_from_slice(&[9.0, 9.0, 9.0, 0.1, 0.2, 0.3, 9.0, 9.0, 9.0]);
    let g = project_and_sort(
        &scene,
        &identity_camera(W, H, F),
        &settings(W, H, 1, RasterMode::Classic),
    )[0];
    for (c, want) in [0.4 + SH_C1 * 0.1, 0.5 + SH_C1 * 0.2, 0.6 + SH_C1 * 0.3]
        .into_iter()
        .enumerate()
    {
        assert!(
            (g.color[c] - want).abs() < 1e-5,
            "channel {c}: {:?}",
            g.color
        );
    }
}

/// A camera at world `center`, turned by `yaw` about the y axis: R = Ry(yaw), t = -R·center.
fn yawed_camera(center: [f32; 3], yaw: f32) -> (rvs_splat::Camera, [[f32; 3]; 3]) {
    let (s, c) = yaw.sin_cos();
    let r = [[c, 0.0, -s], [0.0, 1.0, 0.0], [s, 0.0, c]];
    let t: [f32; 3] = std::array::from_fn(|i| -(0..3).map(|j| r[i][j] * center[j]).sum::<f32>());
    let mut camera = identity_camera(W, H, F);
    for i in 0..3 {
        camera.viewmat[i * 4..i * 4 + 3].copy_from_slice(&r[i]);
        camera.viewmat[i * 4 + 3] = t[i];
    }
    (camera, r)
}

#[test]
fn rotated_camera_projects_and_shades_in_world_directions() {
    let center = [1.0, -0.5, -2.0];
    let (camera, r) = yawed_camera(center, 0.5);
    // Place the Gaussian at camera-space (0.3, 0.1, 4): world = center + Rᵀ·p_cam.
    let p_cam = [0.3, 0.1, 4.0];
    let offset: [f32; 3] = std::array::from_fn(|j| (0..3).map(|i| r[i][j] * p_cam[i]).sum());
    let mean = std::array::from_fn(|i| center[i] + offset[i]);
    let mut scene = scene_of(&[blob(mean, 0.2, [0.5; 3], 3.0)], 1);
    // Degree-1 coefficients (k = 1, 2, 3 multiply -C1·y, C1·z, -C1·x), one per channel.
    scene.sh[3..12].copy_from_slice(&[0.3, 0.0, 0.0, 0.0, 0.3, 0.0, 0.0, 0.0, 0.3]);

    let g = project_and_sort(&scene, &camera, &settings(W, H, 1, RasterMode::Classic))[0];
    let expect_uv = [
        F * 0.3 / 4.0 + W as f32 / 2.0,
        F * 0.1 / 4.0 + H as f32 / 2.0,
    ];
    assert!(
        (g.mean2d[0] - expect_uv[0]).abs() < 1e-3 && (g.mean2d[1] - expect_uv[1]).abs() < 1e-3,
        "{:?}",
        g.mean2d
    );
    assert!((g.depth - 4.0).abs() < 1e-5);

    // The view direction is the world-space offset from the camera centre.
    let n = offset.iter().map(|v| v * v).sum::<f32>().sqrt();
    let [dx, dy, dz] = offset.map(|v| v / n);
    let expect = [
        0.5 - SH_C1 * dy * 0.3,
        0.5 + SH_C1 * dz * 0.3,
        0.5 - SH_C1 * dx * 0.3,
    ];
    for c in 0..3 {
        assert!(
            (g.color[c] - expect[c]).abs() < 1e-5,
            "channel {c}: {:?} vs {expect:?}",
            g.color
        );
    }
}

/// Hamilton product, w x y z.
fn qmul(a: [f64; 4], b: [f64; 4]) -> [f64; 4] {
    [
        a[0] * b[0] - a[1] * b[1] - a[2] * b[2] - a[3] * b[3],
        a[0] * b[1] + a[1] * b[0] + a[2] * b[3] - a[3] * b[2],
        a[0] * b[2] - a[1] * b[3] + a[2] * b[0] + a[3] * b[1],
        a[0] * b[3] + a[1] * b[2] - a[2] * b[1] + a[3] * b[0],
    ]
}

#[test]
fn anisotropic_covariance_matches_quaternion_rotation_of_the_axes() {
    // Independent oracle: Σ = Σ_i s_i² r_i r_iᵀ with r_i = q e_i q* (q normalized), and
    // on the optical axis of an identity camera cov2d = (f/z)² Σ[0..2][0..2] + 0.3 I.
    let raw = [0.9f32, 0.3, -0.4, 0.2].map(|c| c * 1.7); // deliberately not unit length
    let scales = [0.3f32, 0.05, 0.12];
    let z = 5.0f32;
    let mut scene = scene_of(&[blob([0.0, 0.0, z], 1.0, [0.5; 3], 3.0)], 0);
    scene.quats[0] = raw;
    scene.log_scales[0] = scales.map(f32::ln);
    let g = project_and_sort(
        &scene,
        &identity_camera(W, H, F),
        &settings(W, H, 0, RasterMode::Classic),
    )[0];

    let n = raw
        .iter()
        .map(|&c| f64::from(c).powi(2))
        .sum::<f64>()
        .sqrt();
    let q = raw.map(|c| f64::from(c) / n);
    let q_conj = [q[0], -q[1], -q[2], -q[3]];
    let mut sigma = [[0.0f64; 3]; 3];
    for axis in 0..3 {
        let mut e = [0.0; 4];
        e[axis + 1] = 1.0;
        let r = qmul(qmul(q, e), q_conj);
        let s2 = f64::from(scales[axis]).powi(2);
        for i in 0..3 {
            for j in 0..3 {
                sigma[i][j] += s2 * r[i + 1] * r[j + 1];
            }
        }
    }
    let k2 = (f64::from(F) / f64::from(z)).powi(2);
    let (a, b, c) = (
        k2 * sigma[0][0] + 0.3,
        k2 * sigma[0][1],
        k2 * sigma[1][1] + 0.3,
    );
    let det = a * c - b * b;
    let expect = [c / det, -b / det, a / det];
    for i in 0..3 {
        let rel = (f64::from(g.conic[i]) - expect[i]).abs() / expect[0].abs();
        assert!(rel < 1e-4, "conic {:?} vs {expect:?}", g.conic);
    }
}

#[test]
fn camera_rotation_turns_the_covariance() {
    // Seen from a yawed camera, a Gaussian looks like the same Gaussian expressed in camera
    // space (mean R·(p - c), rotation q_R·q) seen from an identity camera.
    let yaw = 0.7f32;
    let center = [0.5, 0.2, -1.0];
    let (camera, r) = yawed_camera(center, yaw);
    let quat = [0.8f32, 0.1, 0.5, -0.3];
    let log_scales = [0.4f32, 0.05, 0.15].map(f32::ln);
    // In front of the camera: world = center + Rᵀ·(0.2, -0.1, 4).
    let p_cam = [0.2f32, -0.1, 4.0];
    let world_mean: [f32; 3] =
        std::array::from_fn(|j| center[j] + (0..3).map(|i| r[i][j] * p_cam[i]).sum::<f32>());
    let mut world = scene_of(&[blob(world_mean, 1.0, [0.5; 3], 3.0)], 0);
    world.quats[0] = quat;
    world.log_scales[0] = log_scales;

    // R = [[c, 0, -s], [0, 1, 0], [s, 0, c]] is a turn by -yaw about y: q_R = (cos(yaw/2), 0, -sin(yaw/2), 0).
    let q_r = [(yaw / 2.0).cos(), 0.0, -(yaw / 2.0).sin(), 0.0].map(f64::from);
    let q_cam = qmul(q_r, quat.map(f64::from)).map(|c| c as f32);
    let cam_mean: [f32; 3] =
        std::array::from_fn(|i| (0..3).map(|j| r[i][j] * (world_mean[j] - center[j])).sum());
    let mut local = world.clone();
    local.means[0] = cam_mean;
    local.quats[0] = q_cam;

    let s = settings(W, H, 0, RasterMode::Classic);
    let from_yawed = project_and_sort(&world, &camera, &s)[0];
    let from_identity = project_and_sort(&local, &identity_camera(W, H, F), &s)[0];
    for i in 0..3 {
        assert!(
            (from_yawed.conic[i] - from_identity.conic[i]).abs()
                < 1e-4 * from_identity.conic[0].abs(),
            "{:?} vs {:?}",
            from_yawed.conic,
            from_identity.conic
        );
    }
    assert!((from_yawed.mean2d[0] - from_identity.mean2d[0]).abs() < 1e-3);
    // And the Gaussian really is anisotropic and tilted on screen, so the check has teeth.
    assert!(
        from_identity.conic[1].abs() > 0.05 * from_identity.conic[0].abs(),
        "{:?}",
        from_identity.conic
    );
}

/// Blurred cov2d of an isotropic Gaussian of std `s` at camera point (x, y, z), from the
/// EWA closed form s²·J·Jᵀ + 0.3 I with J evaluated at (tx, ty, z).
fn ewa_cov2d(s: f32, tx: f32, ty: f32, z: f32) -> [f64; 3] {
    let (f, s, tx, ty, z) = (
        f64::from(F),
        f64::from(s),
        f64::from(tx),
        f64::from(ty),
        f64::from(z),
    );
    let s2 = s * s;
    let a = s2 * (f * f / (z * z) + f * f * tx * tx / z.powi(4)) + 0.3;
    let b = s2 * f * f * tx * ty / z.powi(4);
    let c = s2 * (f * f / (z * z) + f * f * ty * ty / z.powi(4)) + 0.3;
    [a, b, c]
}

fn conic_of(cov: [f64; 3]) -> [f64; 3] {
    let det = cov[0] * cov[2] - cov[1] * cov[1];
    [cov[2] / det, -cov[1] / det, cov[0] / det]
}

#[test]
fn off_axis_jacobian_matches_ewa_and_clamps_outside_the_frustum() {
    let camera = identity_camera(W, H, F);
    let s = settings(W, H, 0, RasterMode::Classic);
    let check = |mean: [f32; 3], std: f32, tx: f32, ty: f32| {
        let scene = scene_of(&[blob(mean, std, [0.5; 3], 3.0)], 0);
        let g = project_and_sort(&scene, &camera, &s)[0];
        let expect = conic_of(ewa_cov2d(std, tx, ty, mean[2]));
        for i in 0..3 {
            let err = (f64::from(g.conic[i]) - expect[i]).abs() / expect[0];
            assert!(
                err < 1e-4,
                "mean {mean:?}: conic {:?} vs {expect:?}",
                g.conic
            );
        }
    };
    // Inside the frustum the Jacobian is evaluated at the mean itself.
    check([0.6, -0.5, 4.0], 0.1, 0.6, -0.5);
    // x/z = 0.6 is past lim_x_pos = (W - cx)/fx + 0.3·(W/2)/fx = 0.52: J uses tx = 0.52·z.
    let lim_x_pos = (W as f32 / 2.0) / F + 0.3 * (0.5 * W as f32 / F);
    check([2.4, 0.3, 4.0], 0.5, lim_x_pos * 4.0, 0.3);
}
