use std::cell::OnceCell;
use std::num::NonZeroU64;

use rvs_gpu::{bind_buffers, encode_pass, Dispatch, Frame, GpuContext, COMMON_WGSL};

use crate::{invalid, BatchSpec, ImageError, ImageShape, OutputDtype, PixelFormat};

const RESIZE_NORMALIZE: &str = include_str!("../shaders/resize_normalize.wgsl");
const GROUP: u32 = 256;

/// Host mirror of `ResizeParams` in shaders/resize_normalize.wgsl.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
pub struct ResizeParams {
    pub in_width: u32,
    pub in_height: u32,
    pub out_width: u32,
    pub out_height: u32,
    pub count: u32,
    pub src_base: u32,
    pub dst_base: u32,
    pub groups_x: u32,
    pub scale_x: f32,
    pub scale_y: f32,
    pub _pad: [u32; 2],
    pub mean: [f32; 4],
    pub stdev: [f32; 4],
}

/// The resize + normalise kernels, compiled on first use per (source format, output dtype).
pub struct ResizePipelines {
    device: wgpu::Device,
    has_f16: bool,
    // [RgbaF32→F32, Rgba8→F32, RgbaF32→F16, Rgba8→F16]
    variants: [OnceCell<wgpu::ComputePipeline>; 4],
}

impl ResizePipelines {
    pub fn new(ctx: &GpuContext) -> Self {
        let has_f16 = ctx.features.contains(wgpu::Features::SHADER_F16);
        Self { device: ctx.device.clone(), has_f16, variants: Default::default() }
    }

    /// Whether the device can write batches of `dtype` (F16 needs `shader-f16`).
    pub fn supports(&self, dtype: OutputDtype) -> bool {
        dtype == OutputDtype::F32 || self.has_f16
    }

    fn pipeline(&self, format: PixelFormat, dtype: OutputDtype) -> &wgpu::ComputePipeline {
        let i = usize::from(format == PixelFormat::Rgba8) + 2 * usize::from(dtype == OutputDtype::F16);
        self.variants[i].get_or_init(|| {
            let code = shader_source(dtype);
            let entry = match format {
                PixelFormat::RgbaF32 => "resize_rgba_f32",
                PixelFormat::Rgba8 => "resize_rgba8",
            };
            let label = format!("{entry}_to_{}", dtype.name());
            let module = self.device.create_shader_module(wgpu::ShaderModuleDescriptor { label: Some(&label), source: wgpu::ShaderSource::Wgsl(code.into()) });
            self.device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
                label: Some(&label),
                layout: None,
                module: &module,
                entry_point: Some(entry),
                compilation_options: Default::default(),
                cache: None,
            })
        })
    }

    /// Records the dispatches that resize + normalise the `src.count` images of `src_buffer`
    /// ([count, h, w] pixels, see `PixelFormat`) into images `first..first + src.count` of
    /// `dst` ([spec.size, 3, spec.height, spec.width] of `spec.dtype`). Other images of `dst`
    /// are left as they are. `frame.flush` before submitting.
    #[allow(clippy::too_many_arguments)]
    pub fn encode(
        &self,
        ctx: &GpuContext,
        frame: &Frame<'_>,
        encoder: &mut wgpu::CommandEncoder,
        src_buffer: &wgpu::Buffer,
        src: &ImageShape,
        dst: &wgpu::Buffer,
        spec: &BatchSpec,
        first: u32,
    ) -> Result<(), ImageError> {
        if !self.supports(spec.dtype) {
            return Err(invalid("f16 batches need the WebGPU feature \"shader-f16\", which this device lacks; use f32"));
        }
        let limits = Limits { binding: ctx.max_binding_bytes(), align: u64::from(ctx.limits.min_storage_buffer_offset_alignment) };
        let chunks = plan(src, src_buffer.size(), spec, dst.size(), first, limits)?;
        let pipeline = self.pipeline(src.format, spec.dtype);
        let n = spec.normalize;
        for c in chunks {
            let plane = spec.width * spec.height;
            let grid = Dispatch::for_items(c.count * plane, GROUP);
            let params = frame.uniform(&ResizeParams {
                in_width: src.width,
                in_height: src.height,
                out_width: spec.width,
                out_height: spec.height,
                count: c.count,
                src_base: c.src.base,
                dst_base: c.dst.base,
                groups_x: grid.x,
                scale_x: crate::cpu_reference::scale(src.width, spec.width),
                scale_y: crate::cpu_reference::scale(src.height, spec.height),
                _pad: [0; 2],
                mean: [n.mean[0], n.mean[1], n.mean[2], 0.0],
                stdev: [n.std[0], n.std[1], n.std[2], 1.0],
            });
            let src_range = c.src.binding(src_buffer);
            let dst_range = c.dst.binding(dst);
            let bind = bind_buffers(&self.device, pipeline, "resize_normalize", &[(0, &params), (1, &src_range), (2, &dst_range)]);
            encode_pass(encoder, "resize_normalize", pipeline, &bind, grid);
        }
        Ok(())
    }
}

/// The kernel's WGSL for one output dtype. `enable f16;` must open the module, which is
/// why this does not go through `rvs_gpu::compute_pipeline` (it puts common.wgsl first).
pub(crate) fn shader_source(dtype: OutputDtype) -> String {
    let enable = if dtype == OutputDtype::F16 { "enable f16;\n" } else { "" };
    format!("{enable}{COMMON_WGSL}\nalias OutT = {};\n{RESIZE_NORMALIZE}", dtype.name())
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// Largest storage binding, bytes.
    pub binding: u64,
    /// minStorageBufferOffsetAlignment.
    pub align: u64,
}

/// A bound byte range of a buffer; `base` counts shader elements from `offset` to the data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Range {
    pub offset: u64,
    pub size: u64,
    pub base: u32,
}

impl Range {
    /// Bytes `start..end` (multiples of `elem`), bound from the aligned offset below `start`.
    fn new(start: u64, end: u64, elem: u64, align: u64) -> Self {
        let offset = start - start % align;
        Self { offset, size: (end - offset).next_multiple_of(4), base: ((start - offset) / elem) as u32 }
    }

    fn binding<'b>(&self, buffer: &'b wgpu::Buffer) -> wgpu::BufferBinding<'b> {
        wgpu::BufferBinding { buffer, offset: self.offset, size: NonZeroU64::new(self.size) }
    }
}

/// One dispatch: `count` images from source image `from` on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Chunk {
    pub from: u32,
    pub count: u32,
    pub src: Range,
    pub dst: Range,
}

/// Checks a write and splits it into dispatches whose bindings fit the device's limit.
pub(crate) fn plan(src: &ImageShape, src_bytes: u64, spec: &BatchSpec, dst_bytes: u64, first: u32, limits: Limits) -> Result<Vec<Chunk>, ImageError> {
    spec.check()?;
    src.check()?;
    let end = u64::from(first) + u64::from(src.count);
    if src.count > spec.size {
        return Err(invalid(format!("{} images do not fit a batch of {}", src.count, spec.size)));
    }
    if end > u64::from(spec.size) {
        return Err(invalid(format!(
            "{} image(s) written from index {first} would end at {end}, past the batch of {}; firstIndex must be <= {}",
            src.count,
            spec.size,
            spec.size - src.count
        )));
    }
    if src_bytes < src.bytes() {
        return Err(invalid(format!(
            "the source buffer holds {src_bytes} bytes but {} {}×{} {} images need {}",
            src.count,
            src.width,
            src.height,
            src.format.name(),
            src.bytes()
        )));
    }
    if dst_bytes < spec.bytes().next_multiple_of(4) {
        return Err(invalid(format!("the batch buffer holds {dst_bytes} bytes but the batch needs {}", spec.bytes())));
    }
    // Keep element indices well inside u32, and leave room for the alignment slack.
    let binding = limits.binding.min(1 << 31);
    let per_image = src.image_bytes().max(spec.image_bytes());
    let fit = binding.saturating_sub(limits.align + 4) / per_image;
    if fit == 0 {
        return Err(invalid(format!(
            "one image needs {per_image} bytes in one binding but the device allows {} (maxStorageBufferBindingSize)",
            limits.binding
        )));
    }
    let per_chunk = fit.min(u64::from(u32::MAX)) as u32;
    let mut chunks = Vec::new();
    let mut from = 0;
    while from < src.count {
        let count = per_chunk.min(src.count - from);
        let (s, d) = (src.image_bytes(), spec.image_bytes());
        let src_range = Range::new(u64::from(from) * s, u64::from(from + count) * s, 4, limits.align);
        let at = u64::from(first + from);
        let dst_range = Range::new(at * d, (at + u64::from(count)) * d, spec.dtype.bytes(), limits.align);
        chunks.push(Chunk { from, count, src: src_range, dst: dst_range });
        from += count;
    }
    Ok(chunks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Normalize;

    const LIMITS: Limits = Limits { binding: 1 << 27, align: 256 };

    fn spec(size: u32, dtype: OutputDtype) -> BatchSpec {
        BatchSpec { size, width: 427, height: 240, dtype, normalize: Normalize::IMAGENET }
    }

    fn renders(count: u32) -> ImageShape {
        ImageShape { format: PixelFormat::RgbaF32, count, width: 648, height: 420 }
    }

    #[test]
    fn shaders_validate_with_naga() {
        for dtype in [OutputDtype::F32, OutputDtype::F16] {
            let module = naga::front::wgsl::parse_str(&shader_source(dtype)).unwrap_or_else(|e| panic!("{dtype:?}: {e}"));
            let mut v = naga::valid::Validator::new(naga::valid::ValidationFlags::all(), naga::valid::Capabilities::all());
            v.validate(&module).unwrap_or_else(|e| panic!("{dtype:?}: {e:?}"));
            let entries: Vec<&str> = module.entry_points.iter().map(|e| e.name.as_str()).collect();
            assert_eq!(entries, ["resize_rgba_f32", "resize_rgba8"]);
        }
    }

    #[test]
    fn params_match_wgsl_layout() {
        // 12 scalars, then two vec4 aligned to 16.
        assert_eq!(std::mem::size_of::<ResizeParams>(), 80);
        assert_eq!(std::mem::offset_of!(ResizeParams, mean), 48);
        assert_eq!(std::mem::offset_of!(ResizeParams, stdev), 64);
    }

    #[test]
    fn small_writes_are_one_dispatch_at_the_right_offset() {
        let s = spec(8, OutputDtype::F32);
        let src = renders(3);
        let chunks = plan(&src, src.bytes(), &s, s.bytes(), 5, LIMITS).unwrap();
        assert_eq!(chunks.len(), 1);
        let c = chunks[0];
        assert_eq!((c.from, c.count), (0, 3));
        assert_eq!(c.src, Range { offset: 0, size: src.bytes(), base: 0 });
        // Image 5 starts at 5·3·427·240·4 = 6 148 800 bytes = 24 018·256 + 192.
        assert_eq!(c.dst, Range { offset: 6_148_608, size: 3 * s.image_bytes() + 192, base: 48 });
    }

    #[test]
    fn big_writes_split_to_fit_the_binding_limit() {
        let s = spec(64, OutputDtype::F16);
        let src = renders(64); // 4.35 MB per image: 30 per 128 MiB binding
        let chunks = plan(&src, src.bytes(), &s, s.bytes(), 0, LIMITS).unwrap();
        assert_eq!(chunks.iter().map(|c| c.count).collect::<Vec<_>>(), [30, 30, 4]);
        for c in &chunks {
            assert!(c.src.size <= LIMITS.binding && c.dst.size <= LIMITS.binding);
            assert_eq!(c.src.offset % 256, 0);
            assert_eq!(c.dst.offset % 256, 0);
            assert_eq!(u64::from(c.dst.base) * 2 + c.dst.offset, u64::from(c.from) * s.image_bytes());
        }
    }

    fn err(r: Result<Vec<Chunk>, ImageError>) -> String {
        r.unwrap_err().to_string()
    }

    #[test]
    fn bad_writes_name_the_problem() {
        let s = spec(4, OutputDtype::F32);
        let src = renders(3);
        assert!(err(plan(&renders(5), renders(5).bytes(), &s, s.bytes(), 0, LIMITS)).contains("5 images do not fit a batch of 4"));
        assert!(err(plan(&src, src.bytes(), &s, s.bytes(), 2, LIMITS)).contains("3 image(s) written from index 2 would end at 5, past the batch of 4; firstIndex must be <= 1"));
        assert!(err(plan(&src, 100, &s, s.bytes(), 0, LIMITS)).contains("source buffer holds 100 bytes"));
        assert!(err(plan(&src, src.bytes(), &s, 64, 0, LIMITS)).contains("batch buffer holds 64 bytes"));
        let zero = ImageShape { width: 0, ..src };
        assert!(err(plan(&zero, src.bytes(), &s, s.bytes(), 0, LIMITS)).contains("source width must be 1..=16384, got 0"));
        let bad_std = BatchSpec { normalize: Normalize { mean: [0.0; 3], std: [1.0, 0.0, 1.0] }, ..s };
        assert!(err(plan(&src, src.bytes(), &bad_std, s.bytes(), 0, LIMITS)).contains("std must be finite and non-zero"));
        let tiny = Limits { binding: 1 << 20, align: 256 };
        assert!(err(plan(&src, src.bytes(), &s, s.bytes(), 0, tiny)).contains("one image needs 4354560 bytes"));
    }
}
