use rvs_gpu::{bind_buffers, encode_pass, read_buffer, BufferPool, Dispatch, Frame, GpuContext, PassTimer};

use crate::uniforms::{CameraGpu, RangeParams, RasterParams};
use crate::{CameraBatch, GpuScene, RasterError, RasterPipelines, RenderOutput, RenderStats};

/// gsplat's `rasterize_mode`: `Antialiased` scales opacity by the 2D blur's compensation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RasterMode {
    #[default]
    Classic,
    Antialiased,
}

#[derive(Clone, Debug)]
pub struct RenderSettings {
    pub width: u32,
    pub height: u32,
    /// SH degree to evaluate; `None` = the scene's. Must not exceed the scene's.
    pub sh_degree: Option<u32>,
    pub background: [f32; 3],
    pub mode: RasterMode,
    /// Time every GPU pass with timestamp queries (`RenderOutput::stage_times`).
    pub profile: bool,
}

const TILE: u32 = 16;
const PROJECTED_BYTES: u64 = 48; // three vec4 per (camera, splat) pair
const MAX_SIDE: u32 = 16384;
const OUTPUT_USAGE: wgpu::BufferUsages = wgpu::BufferUsages::STORAGE.union(wgpu::BufferUsages::COPY_SRC).union(wgpu::BufferUsages::COPY_DST);

/// Renders every camera of `cameras`. Cameras go through the pipeline together, split
/// into as few chunks as the device's buffer limits allow (`stats.chunks`).
pub async fn render(
    ctx: &GpuContext,
    pipes: &RasterPipelines,
    pool: &BufferPool,
    scene: &GpuScene,
    cameras: &CameraBatch,
    settings: &RenderSettings,
) -> Result<RenderOutput, RasterError> {
    let (w, h) = (settings.width, settings.height);
    if w == 0 || h == 0 || w > MAX_SIDE || h > MAX_SIDE {
        return Err(RasterError::Settings(format!("image size {w}×{h} is out of range (1..={MAX_SIDE} per side)")));
    }
    let sh_degree = settings.sh_degree.unwrap_or(scene.sh_degree);
    if sh_degree > scene.sh_degree {
        return Err(RasterError::Settings(format!("shDegree {sh_degree} is higher than the scene's SH degree {}", scene.sh_degree)));
    }
    if let Some(v) = settings.background.iter().find(|v| !v.is_finite()) {
        return Err(RasterError::Settings(format!("background has a non-finite value {v}")));
    }
    let job = Job { ctx, pipes, pool, scene, settings, sh_coeffs: (sh_degree + 1) * (sh_degree + 1) };
    let timer = if settings.profile { PassTimer::new(ctx, 2048) } else { None };
    let _active = timer.as_ref().map(|t| t.activate());
    let limit = ctx.max_binding_bytes();
    let image_bytes = 16 * u64::from(w) * u64::from(h);
    let projected_bytes = PROJECTED_BYTES * u64::from(scene.num_splats);
    if image_bytes > limit {
        return Err(RasterError::TooLarge { what: "one camera's RGBA f32 image (16 bytes per pixel)", needed: image_bytes, limit });
    }
    if projected_bytes > limit {
        return Err(RasterError::TooLarge { what: "one camera's projected splats (48 bytes per splat)", needed: projected_bytes, limit });
    }
    let per_cam = projected_bytes.max(image_bytes);
    let max_pairs = u64::from(u32::MAX - 1) / u64::from(scene.num_splats);
    let chunk = (limit / per_cam).min(max_pairs).max(1) as usize;

    // Camera ranges still to render; a range whose intersections overflow is halved.
    let mut todo: Vec<(usize, usize)> = (0..cameras.len()).step_by(chunk).map(|s| (s, (s + chunk).min(cameras.len()))).rev().collect();
    let mut pieces = Vec::new();
    let mut intersections = 0u64;
    while let Some((start, end)) = todo.pop() {
        match job.render_chunk(cameras.slice(start, end)).await? {
            Chunk::Done { rgba, depth, isects } => {
                intersections += isects;
                pieces.push((start, end, rgba, depth));
            }
            Chunk::TooManyIntersections { needed } if end - start > 1 => {
                let mid = start + (end - start) / 2;
                let _ = needed;
                todo.push((mid, end));
                todo.push((start, mid));
            }
            Chunk::TooManyIntersections { needed } => {
                return Err(RasterError::TooLarge { what: "one camera's tile intersections", needed, limit });
            }
        }
    }
    let stats = RenderStats { cameras: cameras.len() as u32, chunks: pieces.len() as u32, intersections };
    let stage_times = match &timer {
        Some(t) => {
            let mut encoder = ctx.device.create_command_encoder(&Default::default());
            t.resolve(&mut encoder);
            ctx.queue.submit([encoder.finish()]);
            t.read(ctx).await?
        }
        None => Vec::new(),
    };
    let out = |rgba, depth| RenderOutput { rgba, depth, cameras: cameras.len() as u32, width: w, height: h, stats, stage_times: stage_times.clone() };
    if pieces.len() == 1 {
        let (_, _, rgba, depth) = pieces.pop().expect("one piece");
        return Ok(out(rgba, depth));
    }
    // Several chunks: gather them into one [C, H, W] buffer pair.
    let px = u64::from(w) * u64::from(h);
    let total = px * cameras.len() as u64;
    let rgba = pool.take("render rgba", total * 16, OUTPUT_USAGE);
    let depth = pool.take("render depth", total * 4, OUTPUT_USAGE);
    let mut encoder = ctx.device.create_command_encoder(&Default::default());
    for (start, end, r, d) in &pieces {
        let cams = (end - start) as u64;
        encoder.copy_buffer_to_buffer(r, 0, &rgba, *start as u64 * px * 16, cams * px * 16);
        encoder.copy_buffer_to_buffer(d, 0, &depth, *start as u64 * px * 4, cams * px * 4);
    }
    ctx.queue.submit([encoder.finish()]);
    for (_, _, r, d) in pieces {
        pool.give(r);
        pool.give(d);
    }
    Ok(out(rgba, depth))
}

enum Chunk {
    Done { rgba: wgpu::Buffer, depth: wgpu::Buffer, isects: u64 },
    TooManyIntersections { needed: u64 },
}

struct Job<'a> {
    ctx: &'a GpuContext,
    pipes: &'a RasterPipelines,
    pool: &'a BufferPool,
    scene: &'a GpuScene,
    settings: &'a RenderSettings,
    sh_coeffs: u32,
}

impl Job<'_> {
    /// Writes the uniforms so far, submits `encoder`, and returns a fresh one.
    fn submit(&self, frame: &Frame<'_>, encoder: wgpu::CommandEncoder) -> wgpu::CommandEncoder {
        frame.flush(&self.ctx.queue);
        self.ctx.queue.submit([encoder.finish()]);
        self.ctx.device.create_command_encoder(&Default::default())
    }

    /// `num_pairs` is what the kernel iterates: all pairs for project, visible ones after compaction.
    fn params(&self, num_cams: u32, num_pairs: u32, grid: Dispatch) -> RasterParams {
        let s = self.settings;
        let bg = s.background;
        let value = RasterParams {
            num_splats: self.scene.num_splats,
            num_cams,
            width: s.width,
            height: s.height,
            tiles_x: s.width.div_ceil(TILE),
            tiles_y: s.height.div_ceil(TILE),
            sh_coeffs: self.sh_coeffs,
            sh_stride: self.scene.sh_coeffs(),
            antialiased: u32::from(s.mode == crate::RasterMode::Antialiased),
            num_pairs,
            groups_x: grid.x,
            _pad: 0,
            background: [bg[0], bg[1], bg[2], 0.0],
        };
        value
    }

    async fn render_chunk(&self, cams: &[CameraGpu]) -> Result<Chunk, RasterError> {
        let device = &self.ctx.device;
        let frame = Frame::new(device, self.pool);
        let num_cams = cams.len() as u32;
        let pairs = num_cams * self.scene.num_splats;
        let (w, h) = (self.settings.width, self.settings.height);
        let tiles = w.div_ceil(TILE) * h.div_ceil(TILE);
        let p = u64::from(pairs);
        let stage = PassTimer::set_active_stage;

        // 1. Project every (camera, splat) pair; count visible pairs and intersections.
        stage("project");
        let cameras = frame.scratch("cameras", std::mem::size_of_val(cams) as u64);
        self.ctx.queue.write_buffer(&cameras, 0, bytemuck::cast_slice(cams));
        let projected = frame.scratch("projected", p * PROJECTED_BYTES);
        let tiles_touched = frame.scratch("tiles_touched", p * 4);
        let depth_keys_all = frame.scratch("depth_keys_all", p * 4);
        let visible_scan = frame.scratch("visible_scan", (p + 1) * 4);
        let totals = frame.scratch("totals", 8);
        let pair_grid = Dispatch::for_items(pairs, 256);
        let pair_params = frame.uniform(&self.params(num_cams, pairs, pair_grid));
        let mut encoder = device.create_command_encoder(&Default::default());
        // The scan's extra last element must be 0 so it ends up holding the total.
        encoder.clear_buffer(&visible_scan, p * 4, Some(4));
        encoder.clear_buffer(&totals, 0, Some(8));
        let bind = bind_buffers(device, &self.pipes.project, "project", &[
            (0, &pair_params), (1, &cameras), (2, &self.scene.splats3d), (3, &self.scene.sh_t),
            (4, &projected), (5, &tiles_touched), (6, &depth_keys_all), (7, &visible_scan),
        ]);
        encode_pass(&mut encoder, "project", &self.pipes.project, &bind, pair_grid);
        // Submitting in pieces lets the GPU start while the next stages are encoded.
        let mut encoder = self.submit(&frame, encoder);
        stage("compact");
        self.pipes.scan.encode(&frame, &mut encoder, &visible_scan, pairs + 1);
        let visible_keys = frame.scratch("visible_keys", p * 4);
        let visible_pairs = frame.scratch("visible_pairs", p * 4);
        let bind = bind_buffers(device, &self.pipes.compact, "compact", &[
            (0, &pair_params), (1, &tiles_touched), (2, &visible_scan), (3, &depth_keys_all), (4, &visible_keys), (5, &visible_pairs),
            (6, &totals),
        ]);
        encode_pass(&mut encoder, "compact_visible", &self.pipes.compact, &bind, pair_grid);
        encoder.copy_buffer_to_buffer(&visible_scan, p * 4, &totals, 0, 4);
        frame.flush(&self.ctx.queue);
        self.ctx.queue.submit([encoder.finish()]);
        let read = read_buffer(device, &self.ctx.queue, &totals, 0, 8).await?;
        let word = |i: usize| u32::from_le_bytes([read[i * 4], read[i * 4 + 1], read[i * 4 + 2], read[i * 4 + 3]]);
        let (visible, isects) = (word(0), u64::from(word(1)));
        if isects * 4 > self.ctx.max_binding_bytes() {
            frame.finish();
            return Ok(Chunk::TooManyIntersections { needed: isects * 4 });
        }

        // 2. Order the visible pairs by depth, then lay out each one's tile
        //    intersections in that order.
        stage("depth_sort");
        let mut encoder = device.create_command_encoder(&Default::default());
        let v = u64::from(visible);
        let keys_alt = frame.scratch("visible_keys_alt", v * 4);
        let pairs_alt = frame.scratch("visible_pairs_alt", v * 4);
        let by_depth = if visible > 0 {
            self.pipes.sorter.encode(&frame, &mut encoder, &visible_keys, &visible_pairs, &keys_alt, &pairs_alt, visible, 32)
        } else {
            rvs_sort::SortedPairs { keys: visible_keys.clone(), values: visible_pairs.clone() }
        };
        let mut encoder = self.submit(&frame, encoder);
        stage("offsets");
        let isect_offsets = frame.scratch("isect_offsets", (v + 1) * 4);
        let visible_grid = Dispatch::for_items(visible, 256);
        let visible_params = frame.uniform(&self.params(num_cams, visible, visible_grid));
        let count_grid = Dispatch::for_items(visible + 1, 256);
        let count_params = frame.uniform(&self.params(num_cams, visible, count_grid));
        let bind = bind_buffers(device, &self.pipes.gather_counts, "gather_counts", &[
            (0, &count_params), (1, &by_depth.values), (2, &tiles_touched), (3, &isect_offsets),
        ]);
        encode_pass(&mut encoder, "gather_counts", &self.pipes.gather_counts, &bind, count_grid);
        self.pipes.scan.encode(&frame, &mut encoder, &isect_offsets, visible + 1);

        // 3. Emit (camera·tile, pair) entries and sort them by key; depth order survives.
        stage("emit");
        let isect_keys = frame.scratch("isect_keys", isects * 4);
        let pair_from_isect = frame.scratch("pair_from_isect", isects * 4);
        let isect_keys_alt = frame.scratch("isect_keys_alt", isects * 4);
        let pair_from_isect_alt = frame.scratch("pair_from_isect_alt", isects * 4);
        let bind = bind_buffers(device, &self.pipes.emit, "emit", &[
            (0, &visible_params), (1, &by_depth.values), (2, &isect_offsets), (3, &projected),
            (4, &isect_keys), (5, &pair_from_isect),
        ]);
        encode_pass(&mut encoder, "emit_intersections", &self.pipes.emit, &bind, visible_grid);
        let keys = num_cams * tiles;
        // Room for the padding key `keys` too (see emit.wgsl).
        let key_bits = 32 - keys.leading_zeros();
        let mut encoder = self.submit(&frame, encoder);
        stage("tile_sort");
        let by_tile = if isects > 0 {
            self.pipes.sorter.encode(&frame, &mut encoder, &isect_keys, &pair_from_isect, &isect_keys_alt, &pair_from_isect_alt, isects as u32, key_bits)
        } else {
            rvs_sort::SortedPairs { keys: isect_keys.clone(), values: pair_from_isect.clone() }
        };

        let mut encoder = self.submit(&frame, encoder);
        // 4. Each (camera, tile)'s run of intersections.
        stage("tile_ranges");
        let tile_ranges = frame.scratch("tile_ranges", u64::from(keys) * 8);
        encoder.clear_buffer(&tile_ranges, 0, Some(u64::from(keys) * 8));
        if isects > 0 {
            let range_grid = Dispatch::for_items(isects as u32, 256);
            let range_params = frame.uniform(&RangeParams { num_isects: isects as u32, groups_x: range_grid.x, num_keys: keys, _pad: 0 });
            let bind = bind_buffers(device, &self.pipes.tile_ranges, "tile_ranges", &[(0, &range_params), (1, &by_tile.keys), (2, &tile_ranges)]);
            encode_pass(&mut encoder, "tile_ranges", &self.pipes.tile_ranges, &bind, range_grid);
        }

        // 5. Blend each (camera, tile) front to back, into buffers the caller owns.
        stage("blend");
        let px = u64::from(num_cams) * u64::from(w) * u64::from(h);
        let rgba = self.pool.take("render rgba", px * 16, OUTPUT_USAGE);
        let depth = self.pool.take("render depth", px * 4, OUTPUT_USAGE);
        let blend_grid = Dispatch::for_groups(keys);
        let blend_params = frame.uniform(&self.params(num_cams, pairs, blend_grid));
        let bind = bind_buffers(device, &self.pipes.blend, "blend", &[
            (0, &blend_params), (1, &tile_ranges), (2, &by_tile.values), (3, &projected), (4, &rgba), (5, &depth),
        ]);
        encode_pass(&mut encoder, "blend", &self.pipes.blend, &bind, blend_grid);
        frame.flush(&self.ctx.queue);
        self.ctx.queue.submit([encoder.finish()]);
        frame.finish();
        Ok(Chunk::Done { rgba, depth, isects })
    }
}
