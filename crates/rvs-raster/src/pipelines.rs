use rvs_gpu::compute_pipeline;
use rvs_sort::{PrefixSum, RadixSorter};

const COMMON: &str = include_str!("../shaders/raster_common.wgsl");
const SH: &str = include_str!("../shaders/sh.wgsl");
const PROJECT: &str = include_str!("../shaders/project.wgsl");
const COMPACT: &str = include_str!("../shaders/compact.wgsl");
const INTERSECT: &str = include_str!("../shaders/intersect.wgsl");
const EMIT: &str = include_str!("../shaders/emit.wgsl");
const TILE_RANGES: &str = include_str!("../shaders/tile_ranges.wgsl");
const BLEND: &str = include_str!("../shaders/blend.wgsl");

/// Every pipeline a render needs, compiled once per device.
pub struct RasterPipelines {
    pub(crate) project: wgpu::ComputePipeline,
    pub(crate) compact: wgpu::ComputePipeline,
    pub(crate) gather_counts: wgpu::ComputePipeline,
    pub(crate) emit: wgpu::ComputePipeline,
    pub(crate) tile_ranges: wgpu::ComputePipeline,
    pub(crate) blend: wgpu::ComputePipeline,
    pub(crate) sorter: RadixSorter,
    pub(crate) scan: PrefixSum,
}

impl RasterPipelines {
    pub fn new(ctx: &rvs_gpu::GpuContext) -> Self {
        let device = &ctx.device;
        Self {
            project: compute_pipeline(device, "project", &[COMMON, SH, PROJECT], "project"),
            compact: compute_pipeline(device, "compact_visible", &[COMMON, COMPACT], "compact_visible"),
            gather_counts: compute_pipeline(device, "gather_counts", &[COMMON, INTERSECT], "gather_counts"),
            emit: compute_pipeline(device, "emit_intersections", &[COMMON, EMIT], "emit_intersections"),
            tile_ranges: compute_pipeline(device, "tile_ranges", &[TILE_RANGES], "tile_ranges_main"),
            blend: compute_pipeline(device, "blend", &[COMMON, BLEND], "blend"),
            sorter: RadixSorter::for_context(ctx),
            scan: PrefixSum::new(device),
        }
    }
}
