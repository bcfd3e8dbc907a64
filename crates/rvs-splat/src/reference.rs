//! CPU reference renderer: gsplat 1.6 `rasterization()` semantics (pinhole camera,
//! packed = False, render mode "RGB+ED") for one camera, written to be read, not to be
//! fast. It is the oracle the GPU rasterizer is tested against.
//!
//! Pipeline: project every splat ([`project`]) → sort the survivors by camera z (ties by
//! splat index, as gsplat's stable radix sort over index-ordered intersections gives)
//! → bin them into 16×16 tiles → composite each pixel front to back ([`blend`]).
//! Arithmetic is f32, like the GPU.

mod blend;
pub mod constants;
mod math;
mod project;

pub use project::Projected;

use crate::error::SceneError;
use crate::scene::Splats;

/// A pinhole camera.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Camera {
    /// World→camera rigid transform, row-major 4×4, OpenCV axes (x right, y down, z forward).
    pub viewmat: [f32; 16],
    /// Intrinsics, row-major 3×3: `[fx, 0, cx, 0, fy, cy, 0, 0, 1]`.
    pub k: [f32; 9],
}

/// gsplat's `rasterize_mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RasterMode {
    /// Plain 3DGS: the 0.3 px blur is added without correcting opacity.
    Classic,
    /// Mip-Splatting style: opacity is scaled by sqrt(det(Σ₂d) / det(Σ₂d + 0.3 I)).
    Antialiased,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RenderSettings {
    pub width: u32,
    pub height: u32,
    /// SH degree to evaluate; at most the scene's. Higher coefficients are ignored.
    pub sh_degree: u32,
    /// RGB behind everything, weighted by the final transmittance.
    pub background: [f32; 3],
    pub mode: RasterMode,
}

/// A rendered image; every plane is row-major with rows top-down.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    pub width: u32,
    pub height: u32,
    /// `H*W*3` RGB, background included.
    pub rgb: Vec<f32>,
    /// `H*W` accumulated opacity, 1 - final transmittance.
    pub alpha: Vec<f32>,
    /// `H*W` expected depth: Σ z·w / max(alpha, 1e-10); 0 where nothing was drawn.
    pub depth: Vec<f32>,
}

impl Image {
    /// RGB of pixel (x, y).
    pub fn rgb_at(&self, x: u32, y: u32) -> [f32; 3] {
        let i = (y * self.width + x) as usize * 3;
        [self.rgb[i], self.rgb[i + 1], self.rgb[i + 2]]
    }

    pub fn alpha_at(&self, x: u32, y: u32) -> f32 {
        self.alpha[(y * self.width + x) as usize]
    }

    pub fn depth_at(&self, x: u32, y: u32) -> f32 {
        self.depth[(y * self.width + x) as usize]
    }
}

/// Renders `splats` from `camera`.
pub fn render(
    splats: &Splats,
    camera: &Camera,
    settings: &RenderSettings,
) -> Result<Image, SceneError> {
    check_inputs(splats, camera, settings)?;
    let sorted = project_and_sort(splats, camera, settings);
    Ok(blend::composite(
        &sorted,
        settings.width,
        settings.height,
        settings.background,
    ))
}

/// The Gaussians that survive projection, front to back. Public so GPU tests can
/// compare per-Gaussian projection results, not only pixels.
pub fn project_and_sort(
    splats: &Splats,
    camera: &Camera,
    settings: &RenderSettings,
) -> Vec<Projected> {
    let frame = project::CameraFrame::new(camera);
    let mut visible: Vec<Projected> = (0..splats.len())
        .filter_map(|index| project::project(splats, index, &frame, settings))
        .collect();
    visible.sort_by(|a, b| a.depth.total_cmp(&b.depth).then(a.index.cmp(&b.index)));
    visible
}

/// The tile rectangle `([min_x, min_y], [max_x, max_y])`, max exclusive, that a
/// projected Gaussian is listed in for an image of `width`×`height`.
pub fn tile_range(g: &Projected, width: u32, height: u32) -> ([u32; 2], [u32; 2]) {
    let tiles = [
        width.div_ceil(constants::TILE_SIZE),
        height.div_ceil(constants::TILE_SIZE),
    ];
    blend::tile_range(g, tiles)
}

fn check_inputs(
    splats: &Splats,
    camera: &Camera,
    settings: &RenderSettings,
) -> Result<(), SceneError> {
    splats.validate()?;
    if settings.width == 0 || settings.height == 0 {
        return Err(SceneError::EmptyImage {
            width: settings.width,
            height: settings.height,
        });
    }
    if settings.sh_degree > splats.sh_degree {
        return Err(SceneError::ShDegreeTooHigh {
            requested: settings.sh_degree,
            available: splats.sh_degree,
        });
    }
    if !camera.viewmat.iter().all(|v| v.is_finite()) {
        return Err(SceneError::NonFiniteCamera { field: "viewmat" });
    }
    if !camera.k.iter().all(|v| v.is_finite()) {
        return Err(SceneError::NonFiniteCamera { field: "K" });
    }
    Ok(())
}
