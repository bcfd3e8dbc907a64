//! The reference render as a whole: culling, depth order, compositing thresholds, tiles,
//! expected depth and antialiasing.

mod common;

use common::{blob, identity_camera, scene_of, settings};
use rvs_splat::reference::constants::EPS2D;
use rvs_splat::reference::{Projected, project_and_sort, tile_range};
use rvs_splat::{RasterMode, SceneError, render};

const W: u32 = 64;
const H: u32 = 48;
const F: f32 = 80.0;


/// (x, y) of the pixel with the largest alpha.
fn argmax_alpha(image: &rvs_splat::Image) -> (u32, u32) {
    let best = (0..image.alpha.len())
        .max_by(|&a, &b| image.alpha[a].total_cmp(&image.alpha[b]))
        .unwrap();
    (best as u32 % image.width, best as u32 / image.width)
}

#[test]
fn isotropic_gaussian_peaks_where_the_pinhole_model_says() {
    // Off-centre so a transposed or mirrored axis would be caught.
    let mean = [0.55, -0.3, 5.0];
    let scene = scene_of(&[blob(mean, 0.05, [1.0, 1.0, 1.0], 3.0)], 0);
    let camera = identity_camera(W, H, F);
    let image = render(&scene, &camera, &settings(W, H, 0, RasterMode::Classic)).unwrap();
    let u = F * mean[0] / mean[2] + W as f32 / 2.0; // 40.8
    let v = F * mean[1] / mean[2] + H as f32 / 2.0; // 19.2
    assert_eq!(argmax_alpha(&image), (u.floor() as u32, v.floor() as u32));

    let projected = project_and_sort(&scene, &camera, &settings(W, H, 0, RasterMode::Classic));
    assert_eq!(projected.len(), 1);
    let [pu, pv] = projected[0].mean2d;
    assert!((pu - u).abs() < 1e-4 && (pv - v).abs() < 1e-4, "{pu} {pv}");
}

#[test]
fn gaussian_behind_or_too_near_the_camera_draws_nothing() {
    let scene = scene_of(
        &[
            blob([0.0, 0.0, -5.0], 1.0, [1.0; 3], 5.0),
            blob([0.0, 0.0, 0.005], 0.01, [1.0; 3], 5.0),
        ],
        0,
    );
    let mut s = settings(W, H, 0, RasterMode::Classic);
    s.background = [0.2, 0.3, 0.4];
    let image = render(&scene, &identity_camera(W, H, F), &s).unwrap();
    assert!(image.alpha.iter().all(|&a| a == 0.0));
    assert!(image.rgb.chunks(3).all(|p| p == [0.2, 0.3, 0.4]));
}

#[test]
fn empty_view_is_background_with_zero_alpha_and_depth() {
    // One scene with nothing at all, one whose only Gaussian is far outside the frustum.
    let outside = scene_of(&[blob([50.0, 0.0, 5.0], 0.1, [1.0; 3], 5.0)], 0);
    for scene in [rvs_splat::Splats::default(), outside] {
        let mut s = settings(W, H, 0, RasterMode::Antialiased);
        s.background = [1.0, 0.5, 0.0];
        let image = render(&scene, &identity_camera(W, H, F), &s).unwrap();
        assert!(image.rgb.chunks(3).all(|p| p == [1.0, 0.5, 0.0]));
        assert!(image.alpha.iter().chain(&image.depth).all(|&v| v == 0.0));
    }
}

#[test]
fn nearer_gaussian_wins_regardless_of_index_order() {
    let red = blob([0.0, 0.0, 3.0], 0.3, [1.0, 0.0, 0.0], 6.0);
    let blue = blob([0.0, 0.0, 6.0], 0.6, [0.0, 0.0, 1.0], 6.0);
    let far_first = scene_of(&[blue, red], 0);
    let near_first = scene_of(&[red, blue], 0);
    let s = settings(W, H, 0, RasterMode::Classic);
    let a = render(&far_first, &identity_camera(W, H, F), &s).unwrap();
    let b = render(&near_first, &identity_camera(W, H, F), &s).unwrap();
    assert_eq!(a, b);
    let [r, _, bl] = a.rgb_at(W / 2, H / 2);
    assert!(
        r > 0.95 && bl < 0.01,
        "centre pixel {:?}",
        a.rgb_at(W / 2, H / 2)
    );
}

#[test]
fn saturating_gaussian_is_not_added() {
    // Two Gaussians whose alpha caps at 0.999 at the centre: after the first T = 0.001,
    // the second would leave 1e-6 <= 1e-4, so it stops without adding the second.
    let scene = scene_of(
        &[
            blob([0.0, 0.0, 2.0], 0.5, [1.0, 0.0, 0.0], 20.0),
            blob([0.0, 0.0, 3.0], 0.5, [0.0, 0.0, 1.0], 20.0),
        ],
        0,
    );
    let mut s = settings(W, H, 0, RasterMode::Classic);
    s.background = [0.0, 1.0, 0.0];
    let image = render(&scene, &identity_camera(W, H, F), &s).unwrap();
    let [r, g, b] = image.rgb_at(W / 2, H / 2);
    assert!(
        (r - 0.999).abs() < 1e-6 && (g - 0.001).abs() < 1e-6 && b.abs() < 1e-6,
        "{r} {g} {b}"
    );
    assert!((image.alpha_at(W / 2, H / 2) - 0.999).abs() < 1e-6);
}

#[test]
fn expected_depth_is_z_for_a_single_gaussian() {
    let z = 3.7;
    let scene = scene_of(&[blob([0.1, 0.05, z], 0.4, [0.3; 3], 8.0)], 0);
    let image = render(
        &scene,
        &identity_camera(W, H, F),
        &settings(W, H, 0, RasterMode::Classic),
    )
    .unwrap();
    let mut drawn = 0;
    for (alpha, depth) in image.alpha.iter().zip(&image.depth) {
        if *alpha > 0.0 {
            drawn += 1;
            // 1 - (1 - alpha) loses a few bits for faint pixels, hence the relative 1e-4.
            assert!(
                (depth - z).abs() < 1e-4 * z,
                "depth {depth} where alpha {alpha}"
            );
        } else {
            assert_eq!(*depth, 0.0);
        }
    }
    assert!(drawn > 100, "only {drawn} pixels drawn");
    assert!(image.alpha_at(W / 2, H / 2) > 0.95);
}

#[test]
fn antialiased_scales_opacity_by_the_blur_compensation() {
    // Small on-axis Gaussian: cov2d = σ² I, compensation = σ² / (σ² + 0.3).
    let (s, z) = (0.01f32, 4.0f32);
    let scene = scene_of(&[blob([0.0, 0.0, z], s, [1.0; 3], 1.0)], 0);
    let camera = identity_camera(W, H, F);
    let classic = project_and_sort(&scene, &camera, &settings(W, H, 0, RasterMode::Classic))[0];
    let aa = project_and_sort(&scene, &camera, &settings(W, H, 0, RasterMode::Antialiased))[0];
    let var = (F * s / z).powi(2);
    let compensation = var / (var + EPS2D);
    assert!(
        (aa.opacity / classic.opacity - compensation).abs() < 1e-4,
        "{} vs {compensation}",
        aa.opacity / classic.opacity
    );
    assert_eq!(
        (aa.conic, aa.mean2d, aa.color),
        (classic.conic, classic.mean2d, classic.color)
    );

    // At the exact pixel centre the blended alpha is the opacity itself.
    let scene = scene_of(&[blob([0.5 / F * z, 0.5 / F * z, z], s, [1.0; 3], 1.0)], 0);
    let alpha = |mode| {
        render(&scene, &camera, &settings(W, H, 0, mode))
            .unwrap()
            .alpha_at(W / 2, H / 2)
    };
    let (a_classic, a_aa) = (alpha(RasterMode::Classic), alpha(RasterMode::Antialiased));
    assert!(
        (a_aa / a_classic - compensation).abs() < 1e-3,
        "{a_aa} / {a_classic}"
    );
}

#[test]
fn tile_range_follows_gsplat_rounding_and_clamping() {
    let g = |mean2d: [f32; 2], radius: [f32; 2]| Projected {
        index: 0,
        mean2d,
        depth: 1.0,
        conic: [1.0, 0.0, 1.0],
        opacity: 1.0,
        radius,
        color: [0.0; 3],
    };
    // 64×48 → 4×3 tiles. x: floor(20/16 - 5/16) = 0, ceil(25/16) = 2; y: clamps to [0, 3).
    assert_eq!(
        tile_range(&g([20.0, 40.0], [5.0, 30.0]), 64, 48),
        ([0, 0], [2, 3])
    );
    // Entirely left of the image: both bounds clamp to 0, an empty range.
    assert_eq!(
        tile_range(&g([-10.0, 8.0], [5.0, 5.0]), 64, 48),
        ([0, 0], [0, 1])
    );
    // Exactly on a tile edge: floor(2 - 0.25) = 1, ceil(2 + 0.25) = 3.
    assert_eq!(
        tile_range(&g([32.0, 32.0], [4.0, 4.0]), 64, 48),
        ([1, 1], [3, 3])
    );
}

#[test]
fn gaussian_centred_off_screen_still_draws_its_tail() {
    // Centre 3 px left of the image; its radius reaches into column 0.
    let z = 5.0;
    let scene = scene_of(
        &[blob(
            [(-3.0 - W as f32 / 2.0) / F * z, 0.0, z],
            0.3,
            [1.0; 3],
            4.0,
        )],
        0,
    );
    let image = render(
        &scene,
        &identity_camera(W, H, F),
        &settings(W, H, 0, RasterMode::Classic),
    )
    .unwrap();
    assert!(image.alpha_at(0, H / 2) > 0.1);
    assert!(image.alpha_at(W - 1, H / 2) == 0.0);
}

#[test]
fn bad_settings_are_refused() {
    let scene = scene_of(&[blob([0.0, 0.0, 4.0], 0.3, [1.0; 3], 3.0)], 1);
    let camera = identity_camera(W, H, F);
    let too_high = render(&scene, &camera, &settings(W, H, 2, RasterMode::Classic));
    assert_eq!(
        too_high,
        Err(SceneError::ShDegreeTooHigh {
            requested: 2,
            available: 1
        })
    );
    assert!(matches!(
        render(&scene, &camera, &settings(0, H, 0, RasterMode::Classic)),
        Err(SceneError::EmptyImage { .. })
    ));
    let mut nan_camera = camera;
    nan_camera.k[0] = f32::NAN;
    assert_eq!(
        render(&scene, &nan_camera, &settings(W, H, 0, RasterMode::Classic)),
        Err(SceneError::NonFiniteCamera { field: "K" })
    );
}
