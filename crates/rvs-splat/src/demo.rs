//! A procedural room, built in memory, for pose-regression experiments without downloads.
//!
//! **World axes: y points DOWN**, the same as the OpenCV camera axes (x right, y down,
//! z forward). So a camera whose world→camera rotation is the identity looks along +z
//! with the floor at the bottom of its image and the back wall ahead.
//!
//! Layout (metres, all inside x ∈ [-4, 4], y ∈ [-1.5, 1.5], z ∈ [-4, 4]):
//! - floor at y = +1.5: 1 m checkerboard, tinted redder towards +x and bluer towards +z;
//! - back wall at z = +4: hue gradient along x with a dark horizontal band;
//! - left wall at x = -4: vertical teal/white stripes (no right wall, on purpose: the
//!   room is asymmetric so every pose looks different);
//! - a red cube, a green column, a blue sphere, an orange pillar and a floating magenta
//!   sphere at distinct places.
//!
//! About 50k Gaussians, SH degree 1 with small random view-dependent terms. The layout
//! is fixed; the seed only changes position jitter, footprints, opacities and SH terms.

mod builder;

use builder::{Builder, Look};

use crate::scene::Splats;

/// Floor plane height (y down, so +1.5 is 1.5 m below the origin).
pub const FLOOR_Y: f32 = 1.5;
/// Half size of the room along x and z.
pub const ROOM_HALF: f32 = 4.0;

/// Builds the demo room; the same seed gives bit-identical scenes everywhere.
pub fn demo_scene(seed: u64) -> Splats {
    let mut b = Builder::new(seed);
    floor(&mut b);
    back_wall(&mut b);
    left_wall(&mut b);
    cuboid(
        &mut b,
        [-2.0, FLOOR_Y - 0.5, 1.5],
        [0.5, 0.5, 0.5],
        [0.85, 0.15, 0.12],
    );
    column(
        &mut b,
        [1.5, 2.5],
        0.35,
        [FLOOR_Y - 2.5, FLOOR_Y],
        [0.15, 0.7, 0.25],
    );
    sphere(&mut b, [0.5, FLOOR_Y - 0.6, -1.0], 0.6, [0.15, 0.3, 0.9]);
    cuboid(
        &mut b,
        [-1.2, FLOOR_Y - 0.8, -2.5],
        [0.3, 0.8, 0.3],
        [0.95, 0.55, 0.1],
    );
    sphere(&mut b, [2.6, -0.3, -1.5], 0.35, [0.85, 0.2, 0.8]);
    b.splats
}

/// Grid spacing to std-dev: neighbours overlap enough to close the surface.
const STD_PER_SPACING: f32 = 0.6;

fn look(spacing: f32, rgb: [f32; 3], view_dependence: f32) -> Look {
    Look {
        tangent_std: STD_PER_SPACING * spacing,
        normal_std: 0.1 * spacing,
        rgb,
        view_dependence,
    }
}

/// Calls `place(u, v)` once per cell of a grid over [u0, u1] × [v0, v1] whose cells are
/// about `spacing` wide (adjusted to fit exactly), jittered by up to 30 % of a cell so the
/// points stay strictly inside.
fn grid(
    b: &mut Builder,
    u: [f32; 2],
    v: [f32; 2],
    spacing: f32,
    mut place: impl FnMut(&mut Builder, f32, f32),
) {
    let cells = |range: [f32; 2]| (((range[1] - range[0]) / spacing).round() as usize).max(1);
    let (nu, nv) = (cells(u), cells(v));
    let (du, dv) = ((u[1] - u[0]) / nu as f32, (v[1] - v[0]) / nv as f32);
    for i in 0..nu {
        for j in 0..nv {
            let ju = b.rng.range(-0.3, 0.3);
            let jv = b.rng.range(-0.3, 0.3);
            place(
                b,
                u[0] + (i as f32 + 0.5 + ju) * du,
                v[0] + (j as f32 + 0.5 + jv) * dv,
            );
        }
    }
}

fn floor(b: &mut Builder) {
    let spacing = 0.05;
    grid(
        b,
        [-ROOM_HALF, ROOM_HALF],
        [-ROOM_HALF, ROOM_HALF],
        spacing,
        |b, x, z| {
            let dark = (x.floor() + z.floor()).rem_euclid(2.0) == 1.0;
            let base = if dark {
                [0.30, 0.32, 0.38]
            } else {
                [0.82, 0.80, 0.74]
            };
            let rgb = [
                base[0] + 0.12 * x / ROOM_HALF,
                base[1],
                base[2] + 0.12 * z / ROOM_HALF,
            ];
            b.push_surface(
                [x, FLOOR_Y, z],
                [0.0, -1.0, 0.0],
                look(spacing, clamp01(rgb), 0.03),
            );
        },
    );
}

fn back_wall(b: &mut Builder) {
    let spacing = 0.06;
    grid(
        b,
        [-ROOM_HALF, ROOM_HALF],
        [-FLOOR_Y, FLOOR_Y],
        spacing,
        |b, x, y| {
            let hue = 0.8 * (x + ROOM_HALF) / (2.0 * ROOM_HALF);
            let value = if (-0.3..-0.1).contains(&y) {
                0.25
            } else {
                0.85
            };
            let rgb = hsv_to_rgb(hue, 0.45, value);
            b.push_surface(
                [x, y, ROOM_HALF],
                [0.0, 0.0, -1.0],
                look(spacing, rgb, 0.03),
            );
        },
    );
}

fn left_wall(b: &mut Builder) {
    let spacing = 0.08;
    grid(
        b,
        [-ROOM_HALF, ROOM_HALF],
        [-FLOOR_Y, FLOOR_Y],
        spacing,
        |b, z, y| {
            let teal = (z * 2.0).floor().rem_euclid(2.0) == 1.0;
            let rgb = if teal {
                [0.15, 0.55, 0.55]
            } else {
                [0.9, 0.9, 0.85]
            };
            b.push_surface(
                [-ROOM_HALF, y, z],
                [1.0, 0.0, 0.0],
                look(spacing, rgb, 0.03),
            );
        },
    );
}

const OBJECT_SPACING: f32 = 0.04;
/// Objects are shinier than walls: larger view-dependent terms.
const OBJECT_VIEW_DEPENDENCE: f32 = 0.08;

/// A solid colour with ±5 % brightness noise, so objects have some texture to track.
fn noisy(b: &mut Builder, rgb: [f32; 3]) -> [f32; 3] {
    let gain = b.rng.range(0.95, 1.05);
    clamp01(rgb.map(|c| c * gain))
}

/// An axis-aligned box: six faces, each a grid with an outward normal.
fn cuboid(b: &mut Builder, center: [f32; 3], half: [f32; 3], rgb: [f32; 3]) {
    let s = OBJECT_SPACING;
    for axis in 0..3 {
        let (ua, va) = ((axis + 1) % 3, (axis + 2) % 3);
        for sign in [-1.0f32, 1.0] {
            let mut normal = [0.0; 3];
            normal[axis] = sign;
            let u = [center[ua] - half[ua], center[ua] + half[ua]];
            let v = [center[va] - half[va], center[va] + half[va]];
            grid(b, u, v, s, |b, pu, pv| {
                let mut mean = [0.0; 3];
                mean[axis] = center[axis] + sign * half[axis];
                mean[ua] = pu;
                mean[va] = pv;
                let rgb = noisy(b, rgb);
                b.push_surface(mean, normal, look(s, rgb, OBJECT_VIEW_DEPENDENCE));
            });
        }
    }
}

/// A sphere covered by a Fibonacci lattice (even spacing without a grid seam).
fn sphere(b: &mut Builder, center: [f32; 3], radius: f32, rgb: [f32; 3]) {
    let s = OBJECT_SPACING;
    let count = (4.0 * std::f32::consts::PI * radius * radius / (s * s)).round() as usize;
    let golden_angle = std::f32::consts::PI * (3.0 - 5.0f32.sqrt());
    for i in 0..count {
        let y = 1.0 - 2.0 * (i as f32 + 0.5) / count as f32;
        let ring = (1.0 - y * y).sqrt();
        let theta = golden_angle * i as f32;
        let normal = [ring * theta.cos(), y, ring * theta.sin()];
        let mean = std::array::from_fn(|a| center[a] + radius * normal[a]);
        let rgb = noisy(b, rgb);
        b.push_surface(mean, normal, look(s, rgb, OBJECT_VIEW_DEPENDENCE));
    }
}

/// A vertical cylinder at (x, z) = `axis_xz` spanning `y_range`, with a cap on top (−y).
fn column(b: &mut Builder, axis_xz: [f32; 2], radius: f32, y_range: [f32; 2], rgb: [f32; 3]) {
    let s = OBJECT_SPACING;
    let circumference = 2.0 * std::f32::consts::PI * radius;
    grid(b, [0.0, circumference], y_range, s, |b, arc, y| {
        let angle = arc / radius;
        let normal = [angle.cos(), 0.0, angle.sin()];
        let mean = [
            axis_xz[0] + radius * normal[0],
            y,
            axis_xz[1] + radius * normal[2],
        ];
        let rgb = noisy(b, rgb);
        b.push_surface(mean, normal, look(s, rgb, OBJECT_VIEW_DEPENDENCE));
    });
    grid(b, [-radius, radius], [-radius, radius], s, |b, dx, dz| {
        if dx * dx + dz * dz <= radius * radius {
            let rgb = noisy(b, rgb);
            let mean = [axis_xz[0] + dx, y_range[0], axis_xz[1] + dz];
            b.push_surface(mean, [0.0, -1.0, 0.0], look(s, rgb, OBJECT_VIEW_DEPENDENCE));
        }
    });
}

fn clamp01(rgb: [f32; 3]) -> [f32; 3] {
    rgb.map(|c| c.clamp(0.0, 1.0))
}

/// HSV (all in [0, 1]) to RGB.
fn hsv_to_rgb(h: f32, s: f32, v: f32) -> [f32; 3] {
    let sector = (h * 6.0).rem_euclid(6.0);
    let f = sector.fract();
    let (p, q, t) = (v * (1.0 - s), v * (1.0 - s * f), v * (1.0 - s * (1.0 - f)));
    match sector as u32 {
        0 => [v, t, p],
        1 => [q, v, p],
        2 => [p, v, t],
        3 => [p, q, v],
        4 => [t, p, v],
        _ => [v, p, q],
    }
}
