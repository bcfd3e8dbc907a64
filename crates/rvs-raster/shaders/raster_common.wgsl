// Types shared by the rasterizer's stages. Mirrors src/uniforms.rs (sizes checked in tests).

struct RasterParams {
    num_splats: u32,
    num_cams: u32,
    width: u32,
    height: u32,
    tiles_x: u32,
    tiles_y: u32,
    sh_coeffs: u32,        // coefficients evaluated: (degree + 1)^2
    sh_stride: u32,        // coefficients stored per splat in the scene
    antialiased: u32,      // 1: opacity compensation (gsplat "antialiased"), 0: "classic"
    num_pairs: u32,        // num_cams * num_splats
    groups_x: u32,         // x extent of the folded 2D dispatch
    _pad: u32,
    background: vec4<f32>,
}

// World→camera rows [R | t] and pinhole intrinsics, per camera.
struct Camera {
    row0: vec4<f32>,
    row1: vec4<f32>,
    row2: vec4<f32>,
    focal_center: vec4<f32>, // fx, fy, cx, cy
    position: vec4<f32>,     // camera centre in world space
}

const TILE_SIZE: u32 = 16u;
const NEAR_PLANE: f32 = 0.01;
const FAR_PLANE: f32 = 1e10;
const EPS_2D: f32 = 0.3;
const ALPHA_THRESHOLD: f32 = 1.0 / 255.0;
const MAX_ALPHA: f32 = 0.999;       // gsplat's clamp
const TRANSMITTANCE_MIN: f32 = 1e-4;
const CULLED_DEPTH_KEY: u32 = 0xffffffffu;

// Per (camera, splat) pair, three vec4 in `projected`:
//   [0] mean2d.x, mean2d.y, opacity, depth
//   [1] conic a, b, c, radii packed (x | y << 16) as bits
//   [2] r, g, b, unused
const PROJECTED_VEC4S: u32 = 3u;

// Tile rectangle [min, max) a splat touches, gsplat's isect_tiles rule.
fn tile_rect(mean2d: vec2<f32>, radius: vec2<f32>, tiles: vec2<u32>) -> vec4<u32> {
    let t = f32(TILE_SIZE);
    let lo = clamp(floor(mean2d / t - radius / t), vec2<f32>(0.0), vec2<f32>(tiles));
    let hi = clamp(ceil(mean2d / t + radius / t), vec2<f32>(0.0), vec2<f32>(tiles));
    return vec4<u32>(vec2<u32>(lo), vec2<u32>(hi));
}

fn unpack_radii(bits: f32) -> vec2<f32> {
    let r = bitcast<u32>(bits);
    return vec2<f32>(f32(r & 0xffffu), f32(r >> 16u));
}

// Whether any pixel centre of tile `tile` can see this splat with alpha ≥ 1/255, i.e.
// sigma = ½ dᵀ·conic·d ≤ ln(255·opacity) somewhere on the rectangle of its pixel centres.
// The bounding box alone (gsplat) also lists tiles only its corners reach; skipping those
// changes no pixel (blend would skip the splat there) but saves sorting and blending them.
fn tile_touches(tile: vec2<u32>, mean: vec2<f32>, conic: vec3<f32>, opacity: f32, size: vec2<u32>) -> bool {
    let lo = vec2<f32>(tile * TILE_SIZE) + 0.5;
    let hi = min(lo + f32(TILE_SIZE - 1u), vec2<f32>(size) - 0.5);
    if (all(mean >= lo) && all(mean <= hi)) {
        return true;
    }
    // The minimum of the convex quadratic over the rectangle lies on an edge: on each
    // edge, clamp the unconstrained minimiser along it.
    let d_lo = lo - mean;
    let d_hi = hi - mean;
    var best = 3.4e38;
    for (var i = 0u; i < 2u; i++) {
        let dx = select(d_lo.x, d_hi.x, i == 1u);
        let dy = clamp(-conic.y * dx / conic.z, d_lo.y, d_hi.y);
        best = min(best, conic.x * dx * dx + 2.0 * conic.y * dx * dy + conic.z * dy * dy);
        let ey = select(d_lo.y, d_hi.y, i == 1u);
        let ex = clamp(-conic.y * ey / conic.x, d_lo.x, d_hi.x);
        best = min(best, conic.x * ex * ex + 2.0 * conic.y * ex * ey + conic.z * ey * ey);
    }
    // A little slack so float rounding never drops a pixel blend would have kept.
    return 0.5 * best <= log(opacity / ALPHA_THRESHOLD) + 1e-3;
}
