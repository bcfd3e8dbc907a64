use rvs_gpu::{read_buffer, BufferPool, Frame, GpuContext};

use crate::{invalid, BatchSpec, ImageError, ImageShape, OutputDtype, PixelFormat, ResizePipelines};

const USAGE: wgpu::BufferUsages = wgpu::BufferUsages::STORAGE.union(wgpu::BufferUsages::COPY_SRC).union(wgpu::BufferUsages::COPY_DST);

/// A model input batch on the GPU: NCHW [size, 3, height, width] of `spec.dtype`.
///
/// The buffer comes from the pool: images not yet written hold whatever it held before,
/// and it may be larger than `spec.bytes()`.
pub struct GpuBatch {
    pub buffer: wgpu::Buffer,
    pub spec: BatchSpec,
}

impl GpuBatch {
    pub fn new(ctx: &GpuContext, pipes: &ResizePipelines, pool: &BufferPool, spec: BatchSpec) -> Result<Self, ImageError> {
        spec.check()?;
        if !pipes.supports(spec.dtype) {
            return Err(invalid("f16 batches need the WebGPU feature \"shader-f16\", which this device lacks; use f32"));
        }
        let max = ctx.limits.max_buffer_size;
        if spec.bytes() > max {
            return Err(invalid(format!(
                "a batch of {} {}×{} {} images needs {} bytes but the device allows {max} per buffer (maxBufferSize); use a smaller batch",
                spec.size,
                spec.width,
                spec.height,
                spec.dtype.name(),
                spec.bytes()
            )));
        }
        Ok(Self { buffer: pool.take("image batch", spec.bytes(), USAGE), spec })
    }

    /// Resizes + normalises the images in `src_buffer` into images `first..` and submits.
    pub fn write(
        &self,
        ctx: &GpuContext,
        pipes: &ResizePipelines,
        pool: &BufferPool,
        src_buffer: &wgpu::Buffer,
        src: &ImageShape,
        first: u32,
    ) -> Result<(), ImageError> {
        let frame = Frame::new(&ctx.device, pool);
        let result = self.encode_and_submit(ctx, pipes, &frame, src_buffer, src, first);
        frame.finish();
        result
    }

    /// Uploads RGBA8 images (`pixels` = count·height·width·4 bytes, rows top-down), then
    /// resizes + normalises them into images `first..` and submits.
    pub fn write_rgba8(
        &self,
        ctx: &GpuContext,
        pipes: &ResizePipelines,
        pool: &BufferPool,
        pixels: &[u8],
        width: u32,
        height: u32,
        first: u32,
    ) -> Result<(), ImageError> {
        let per_image = u64::from(width) * u64::from(height) * 4;
        if per_image == 0 {
            return Err(invalid(format!("image size {width}×{height} is empty")));
        }
        let len = pixels.len() as u64;
        if len == 0 || len % per_image != 0 {
            return Err(invalid(format!(
                "rgba8 has {len} bytes, which is not a whole number of {width}×{height} RGBA8 images ({per_image} bytes each)"
            )));
        }
        let count = u32::try_from(len / per_image).map_err(|_| invalid("more than 2^32 images"))?;
        let src = ImageShape { format: PixelFormat::Rgba8, count, width, height };
        src.check()?;
        if len > ctx.limits.max_buffer_size {
            return Err(invalid(format!("{count} RGBA8 images need {len} bytes but the device allows {} per buffer (maxBufferSize); write fewer at once", ctx.limits.max_buffer_size)));
        }
        let frame = Frame::new(&ctx.device, pool);
        let upload = frame.scratch("rgba8 upload", len);
        ctx.queue.write_buffer(&upload, 0, pixels);
        let result = self.encode_and_submit(ctx, pipes, &frame, &upload, &src, first);
        frame.finish();
        result
    }

    fn encode_and_submit(
        &self,
        ctx: &GpuContext,
        pipes: &ResizePipelines,
        frame: &Frame<'_>,
        src_buffer: &wgpu::Buffer,
        src: &ImageShape,
        first: u32,
    ) -> Result<(), ImageError> {
        let mut encoder = ctx.device.create_command_encoder(&Default::default());
        pipes.encode(ctx, frame, &mut encoder, src_buffer, src, &self.buffer, &self.spec, first)?;
        frame.flush(&ctx.queue);
        ctx.queue.submit([encoder.finish()]);
        Ok(())
    }

    /// The whole batch as f32 (f16 batches are widened exactly). Waits for the GPU.
    pub async fn read_f32(&self, ctx: &GpuContext) -> Result<Vec<f32>, ImageError> {
        let bytes = read_buffer(&ctx.device, &ctx.queue, &self.buffer, 0, self.spec.bytes()).await?;
        Ok(match self.spec.dtype {
            OutputDtype::F32 => bytemuck::pod_collect_to_vec(&bytes),
            OutputDtype::F16 => bytes.chunks_exact(2).map(|b| f16_to_f32(u16::from_le_bytes([b[0], b[1]]))).collect(),
        })
    }

    /// Hands the buffer back to the pool (work already submitted finishes first).
    pub fn release(self, pool: &BufferPool) {
        pool.give(self.buffer);
    }
}

/// IEEE binary16 → f32 (exact).
pub fn f16_to_f32(h: u16) -> f32 {
    let sign = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exp = i32::from((h >> 10) & 0x1f);
    let mant = f32::from(h & 0x3ff);
    match exp {
        0 => sign * mant * 2f32.powi(-24),
        31 if mant == 0.0 => sign * f32::INFINITY,
        31 => f32::NAN,
        _ => sign * (1.0 + mant / 1024.0) * 2f32.powi(exp - 15),
    }
}

#[cfg(test)]
mod tests {
    use super::f16_to_f32;

    #[test]
    fn f16_bits_widen_exactly() {
        assert_eq!(f16_to_f32(0x3c00), 1.0);
        assert_eq!(f16_to_f32(0xc000), -2.0);
        assert_eq!(f16_to_f32(0x3555), 0.333_251_95);
        assert_eq!(f16_to_f32(0x0001), 2f32.powi(-24));
        assert_eq!(f16_to_f32(0x7bff), 65504.0);
        assert_eq!(f16_to_f32(0xfc00), f32::NEG_INFINITY);
        assert!(f16_to_f32(0x7e00).is_nan());
    }
}
