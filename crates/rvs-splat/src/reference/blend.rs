//! Tile binning and front-to-back alpha compositing, as gsplat's `isect_tiles` and
//! `rasterize_to_pixels` do them for one image.

use super::Image;
use super::constants::{ALPHA_THRESHOLD, MAX_ALPHA, MIN_DEPTH_ALPHA, MIN_TRANSMITTANCE, TILE_SIZE};
use super::project::Projected;

/// Tile rectangle `[min, max)` per axis that a projected Gaussian is listed in.
/// Pixels outside it never see the Gaussian, even where its footprint would reach them.
pub fn tile_range(g: &Projected, tiles: [u32; 2]) -> ([u32; 2], [u32; 2]) {
    let tile = TILE_SIZE as f32;
    let range = |axis: usize| {
        let center = g.mean2d[axis] / tile;
        let radius = g.radius[axis] / tile;
        let limit = tiles[axis] as f32;
        // gsplat casts to uint32 (saturating at 0 on CUDA), then clamps to the tile count.
        let min = (center - radius).floor().clamp(0.0, limit) as u32;
        let max = (center + radius).ceil().clamp(0.0, limit) as u32;
        (min, max)
    };
    let (x, y) = (range(0), range(1));
    ([x.0, y.0], [x.1, y.1])
}

/// Composites `sorted` (front to back) into an image of `width`×`height`.
pub fn composite(sorted: &[Projected], width: u32, height: u32, background: [f32; 3]) -> Image {
    let tiles = [width.div_ceil(TILE_SIZE), height.div_ceil(TILE_SIZE)];

    // Per tile, the Gaussians listed in it, in depth order (pushed in sorted order).
    let mut tile_lists: Vec<Vec<usize>> = vec![Vec::new(); (tiles[0] * tiles[1]) as usize];
    for (order, g) in sorted.iter().enumerate() {
        let (min, max) = tile_range(g, tiles);
        for ty in min[1]..max[1] {
            for tx in min[0]..max[0] {
                tile_lists[(ty * tiles[0] + tx) as usize].push(order);
            }
        }
    }

    let pixels = (width * height) as usize;
    let mut image = Image {
        width,
        height,
        rgb: vec![0.0; pixels * 3],
        alpha: vec![0.0; pixels],
        depth: vec![0.0; pixels],
    };
    for py in 0..height {
        for px in 0..width {
            let tile = (py / TILE_SIZE) * tiles[0] + px / TILE_SIZE;
            let list = tile_lists[tile as usize]
                .iter()
                .map(|&order| &sorted[order]);
            let pixel = composite_pixel(list, [px as f32 + 0.5, py as f32 + 0.5]);

            let i = (py * width + px) as usize;
            let out = &mut image.rgb[i * 3..i * 3 + 3];
            for ((out, sum), bg) in out.iter_mut().zip(pixel.rgb).zip(background) {
                *out = sum + pixel.transmittance * bg;
            }
            let alpha = 1.0 - pixel.transmittance;
            image.alpha[i] = alpha;
            image.depth[i] = pixel.depth / alpha.max(MIN_DEPTH_ALPHA);
        }
    }
    image
}

struct PixelSum {
    rgb: [f32; 3],
    /// Σ z · alpha · T, divided by the pixel alpha later to give the expected depth.
    depth: f32,
    transmittance: f32,
}

/// Blends the Gaussians one pixel sees, front to back, with gsplat's thresholds.
fn composite_pixel<'a>(
    gaussians: impl Iterator<Item = &'a Projected>,
    center: [f32; 2],
) -> PixelSum {
    let mut sum = PixelSum {
        rgb: [0.0; 3],
        depth: 0.0,
        transmittance: 1.0,
    };
    for g in gaussians {
        let [a, b, c] = g.conic;
        let dx = g.mean2d[0] - center[0];
        let dy = g.mean2d[1] - center[1];
        let sigma = 0.5 * (a * dx * dx + c * dy * dy) + b * dx * dy;
        let alpha = MAX_ALPHA.min(g.opacity * (-sigma).exp());
        if sigma < 0.0 || alpha < ALPHA_THRESHOLD {
            continue;
        }
        let next_t = sum.transmittance * (1.0 - alpha);
        // Saturated: gsplat stops here without adding this Gaussian.
        if next_t <= MIN_TRANSMITTANCE {
            break;
        }
        let weight = alpha * sum.transmittance;
        for ch in 0..3 {
            sum.rgb[ch] += g.color[ch] * weight;
        }
        sum.depth += g.depth * weight;
        sum.transmittance = next_t;
    }
    sum
}
