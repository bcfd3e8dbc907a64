use thiserror::Error;

#[derive(Debug, Error)]
pub enum RasterError {
    #[error(transparent)]
    Scene(#[from] rvs_splat::SceneError),
    #[error(transparent)]
    Gpu(#[from] rvs_gpu::GpuError),
    #[error("camera {index}: {problem}")]
    Camera { index: usize, problem: String },
    #[error("{0}")]
    Settings(String),
    #[error("{what} needs {needed} bytes but the device allows {limit} per buffer; render at a smaller size or with fewer splats")]
    TooLarge { what: &'static str, needed: u64, limit: u64 },
}
