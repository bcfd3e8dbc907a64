//! Every number gsplat 1.6's `rasterization()` hard-codes or defaults, in one place, so
//! the reference and the GPU kernels can be checked against the same list.

/// Gaussians closer than this (camera z) are culled (`near_plane`).
pub const NEAR_PLANE: f32 = 0.01;
/// Gaussians farther than this (camera z) are culled (`far_plane`).
pub const FAR_PLANE: f32 = 1e10;
/// Added to the 2D covariance diagonal: the low-pass "blur" (`eps2d`).
pub const EPS2D: f32 = 0.3;
/// The Jacobian is evaluated at a point clamped to the view frustum widened by this
/// fraction of the half field of view, so off-screen Gaussians do not explode.
pub const FRUSTUM_CLAMP_MARGIN: f32 = 0.3;
/// Contributions below this alpha are skipped, and Gaussians whose opacity is below it are culled.
pub const ALPHA_THRESHOLD: f32 = 1.0 / 255.0;
/// Per-Gaussian alpha is capped here so transmittance never reaches exactly 0.
pub const MAX_ALPHA: f32 = 0.999;
/// A pixel stops compositing when adding a Gaussian would leave transmittance at or below this.
pub const MIN_TRANSMITTANCE: f32 = 1e-4;
/// Screen radius in standard deviations before the opacity-aware tightening.
pub const MAX_EXTEND: f32 = 3.33;
/// Gaussians whose pixel radii are both at or below this are culled (`radius_clip`).
pub const RADIUS_CLIP: f32 = 0.0;
/// Tile edge in pixels (`tile_size`).
pub const TILE_SIZE: u32 = 16;
/// Expected depth divides by max(alpha, this).
pub const MIN_DEPTH_ALPHA: f32 = 1e-10;
