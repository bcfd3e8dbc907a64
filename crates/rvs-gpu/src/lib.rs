//! GPU plumbing shared by every rvs kernel crate.
//!
//! Nothing here knows about splats or sorting: it adopts or creates a device,
//! sizes dispatches, assembles WGSL and moves bytes.

mod buffers;
mod context;
mod dispatch;
mod error;
mod frame;
mod shader;
mod timing;

pub use buffers::{bind_buffers, Bindable, encode_pass, read_buffer, storage_buffer, storage_buffer_init, uniform_buffer, BufferUse};
pub use context::GpuContext;
pub use dispatch::{Dispatch, MAX_WORKGROUPS_PER_DIM};
pub use error::GpuError;
pub use frame::{BufferPool, Frame};
pub use shader::{compute_pipeline, COMMON_WGSL};
pub use timing::{begin_pass, ActiveTimer, PassTime, PassTimer};
