/// What a render did, for users and the profiler.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RenderStats {
    pub cameras: u32,
    /// Sub-batches the cameras were split into to fit the device's buffer limits.
    pub chunks: u32,
    /// Tile–splat intersections blended, over all cameras.
    pub intersections: u64,
}

/// Rendered views, still on the GPU: rgba [C, H, W, 4] f32 (premultiplied over the
/// background, rows top-down) and expected depth [C, H, W] f32.
pub struct RenderOutput {
    pub rgba: wgpu::Buffer,
    pub depth: wgpu::Buffer,
    pub cameras: u32,
    pub width: u32,
    pub height: u32,
    pub stats: RenderStats,
    /// GPU time per pipeline stage/pass, when rendered with `profile`.
    pub stage_times: Vec<rvs_gpu::PassTime>,
}

impl RenderOutput {
    pub fn pixels(&self) -> u64 {
        u64::from(self.cameras) * u64::from(self.width) * u64::from(self.height)
    }

    /// Hands the image buffers back to the rasterizer's pool for later renders.
    pub fn release(self, pool: &rvs_gpu::BufferPool) {
        pool.give(self.rgba);
        pool.give(self.depth);
    }
}
