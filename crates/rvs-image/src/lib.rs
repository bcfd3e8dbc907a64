//! GPU image kernels that turn rendered views (and decoded photos) into a model's input
//! batch without a CPU round trip: bilinear resize exactly as PyTorch's
//! `F.interpolate(mode="bilinear", align_corners=False, antialias=False)`, fused with
//! per-channel normalisation `(x - mean) / std`, written NCHW into a batch buffer at any
//! image offset (so one batch can mix photos and renders).
//!
//! `cpu_reference` is the same maths on the CPU, checked against values worked out by hand.

mod batch;
pub mod cpu_reference;
mod resize;

pub use batch::GpuBatch;
pub use resize::{ResizeParams, ResizePipelines};

use thiserror::Error;

/// Largest image side accepted, in and out (the rasterizer's limit too).
pub const MAX_SIDE: u32 = 16384;

#[derive(Debug, Error)]
pub enum ImageError {
    #[error(transparent)]
    Gpu(#[from] rvs_gpu::GpuError),
    #[error("{0}")]
    Invalid(String),
}

fn invalid(msg: impl Into<String>) -> ImageError {
    ImageError::Invalid(msg.into())
}

/// Per-channel normalisation applied after the resize: `(x - mean) / std`, RGB.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Normalize {
    pub mean: [f32; 3],
    pub std: [f32; 3],
}

impl Normalize {
    /// torchvision's ImageNet statistics.
    pub const IMAGENET: Self = Self { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };
    /// Leaves values as they are.
    pub const IDENTITY: Self = Self { mean: [0.0; 3], std: [1.0; 3] };

    pub fn check(&self) -> Result<(), ImageError> {
        if let Some(m) = self.mean.iter().find(|m| !m.is_finite()) {
            return Err(invalid(format!("mean has a non-finite value {m}")));
        }
        if let Some(s) = self.std.iter().find(|s| !s.is_finite() || **s == 0.0) {
            return Err(invalid(format!("std must be finite and non-zero, got {s}")));
        }
        Ok(())
    }
}

impl Default for Normalize {
    fn default() -> Self {
        Self::IMAGENET
    }
}

/// How source pixels are stored. Either way images are [count, height, width], rows top-down.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PixelFormat {
    /// 4 f32 per pixel, RGBA (the rasterizer's output); alpha is ignored.
    RgbaF32,
    /// One u32 per pixel, RGBA8 unorm with R in the low byte (a decoded PNG/JPEG's bytes);
    /// converted to `byte / 255` (torchvision's `ToTensor`) before interpolating.
    Rgba8,
}

impl PixelFormat {
    pub fn bytes_per_pixel(self) -> u64 {
        match self {
            Self::RgbaF32 => 16,
            Self::Rgba8 => 4,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::RgbaF32 => "RGBA f32",
            Self::Rgba8 => "RGBA8",
        }
    }
}

/// Element type of the batch. `F16` needs the device feature `shader-f16`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputDtype {
    F32,
    F16,
}

impl OutputDtype {
    pub fn bytes(self) -> u64 {
        match self {
            Self::F32 => 4,
            Self::F16 => 2,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::F32 => "f32",
            Self::F16 => "f16",
        }
    }
}

/// `count` source images of `width`×`height`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImageShape {
    pub format: PixelFormat,
    pub count: u32,
    pub width: u32,
    pub height: u32,
}

impl ImageShape {
    pub fn image_bytes(&self) -> u64 {
        u64::from(self.width) * u64::from(self.height) * self.format.bytes_per_pixel()
    }

    pub fn bytes(&self) -> u64 {
        u64::from(self.count) * self.image_bytes()
    }

    pub fn check(&self) -> Result<(), ImageError> {
        check_side("source width", self.width)?;
        check_side("source height", self.height)?;
        if self.count == 0 {
            return Err(invalid("there are no source images (count is 0)"));
        }
        Ok(())
    }
}

/// A model input batch: [size, 3, height, width] of `dtype`, normalised with `normalize`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BatchSpec {
    pub size: u32,
    pub width: u32,
    pub height: u32,
    pub dtype: OutputDtype,
    pub normalize: Normalize,
}

impl BatchSpec {
    /// Elements of one image (3 planes).
    pub fn image_elems(&self) -> u64 {
        3 * u64::from(self.width) * u64::from(self.height)
    }

    pub fn image_bytes(&self) -> u64 {
        self.image_elems() * self.dtype.bytes()
    }

    /// Bytes of the whole batch (what a consumer should read; the buffer may be larger).
    pub fn bytes(&self) -> u64 {
        u64::from(self.size) * self.image_bytes()
    }

    pub fn check(&self) -> Result<(), ImageError> {
        if self.size == 0 {
            return Err(invalid("batch size must be at least 1, got 0"));
        }
        check_side("batch width", self.width)?;
        check_side("batch height", self.height)?;
        self.normalize.check()
    }
}

fn check_side(what: &str, v: u32) -> Result<(), ImageError> {
    if v == 0 || v > MAX_SIDE {
        return Err(invalid(format!("{what} must be 1..={MAX_SIDE}, got {v}")));
    }
    Ok(())
}
