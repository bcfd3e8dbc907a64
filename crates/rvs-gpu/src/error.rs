use thiserror::Error;

/// Errors from the GPU layer. Messages name the problem and, where there is one, the fix.
#[derive(Debug, Error)]
pub enum GpuError {
    #[error("no WebGPU adapter was found ({0}); in Node install the `webgpu` package, in a browser enable WebGPU")]
    NoAdapter(String),
    #[error("the WebGPU device could not be created: {0}")]
    NoDevice(String),
    #[error("reading a GPU buffer back failed: {0}")]
    Readback(String),
    #[error("{what} needs {needed} bytes in one buffer but the device allows at most {limit} (maxStorageBufferBindingSize); use a smaller batch")]
    BufferTooLarge { what: &'static str, needed: u64, limit: u64 },
    #[error("the GPU reported an error: {0}")]
    Validation(String),
}
