use crate::GpuError;

/// A device and queue plus the limits the kernels size themselves by.
///
/// On the web the device is whatever `navigator.gpu` hands out, which is how the
/// JS side makes wgpu adopt a `GPUDevice` it already has (see `@rvs/raster-wgpu` init).
#[derive(Clone, Debug)]
pub struct GpuContext {
    pub device: wgpu::Device,
    pub queue: wgpu::Queue,
    pub limits: wgpu::Limits,
    pub features: wgpu::Features,
    /// A CPU emulation (SwiftShader, llvmpipe, WARP): kernels pick CPU-friendly shapes.
    pub software: bool,
}

impl GpuContext {
    /// Requests the high-performance adapter and a device with all of its limits,
    /// and the optional features we can use (timestamps, subgroups, f16).
    pub async fn request() -> Result<Self, GpuError> {
        let instance = wgpu::Instance::new(wgpu::InstanceDescriptor::new_without_display_handle());
        let adapter = instance
            .request_adapter(&wgpu::RequestAdapterOptions {
                power_preference: wgpu::PowerPreference::HighPerformance,
                force_fallback_adapter: false,
                compatible_surface: None,
                // The real adapter limits, not bucketed ones: batch sizes depend on them.
                apply_limit_buckets: false,
            })
            .await
            .map_err(|e| GpuError::NoAdapter(e.to_string()))?;
        // Defaults are small (128 MiB bindings); a batch of views needs the adapter's real limits.
        let limits = adapter.limits();
        let wanted = wgpu::Features::TIMESTAMP_QUERY | wgpu::Features::SHADER_F16;
        let features = adapter.features() & wanted;
        let (device, queue) = adapter
            .request_device(&wgpu::DeviceDescriptor {
                label: Some("rvs"),
                required_features: features,
                required_limits: limits.clone(),
                experimental_features: wgpu::ExperimentalFeatures::disabled(),
                memory_hints: wgpu::MemoryHints::Performance,
                trace: wgpu::Trace::Off,
            })
            .await
            .map_err(|e| GpuError::NoDevice(e.to_string()))?;
        let info = adapter.get_info();
        let name = info.name.to_lowercase();
        let software = info.device_type == wgpu::DeviceType::Cpu || ["swiftshader", "llvmpipe", "lavapipe", "warp"].iter().any(|s| name.contains(s));
        Ok(Self { software, ..Self::from_parts(device, queue) })
    }

    /// Wraps an existing device (for example Burn's) so kernels run on the same queue.
    pub fn from_parts(device: wgpu::Device, queue: wgpu::Queue) -> Self {
        let limits = device.limits();
        let features = device.features();
        Self { device, queue, limits, features, software: false }
    }

    /// The largest storage binding, in bytes, the kernels may use.
    pub fn max_binding_bytes(&self) -> u64 {
        u64::from(self.limits.max_storage_buffer_binding_size).min(self.limits.max_buffer_size)
    }

    /// Fails early, before allocating, when one buffer of `needed` bytes would not fit.
    pub fn check_binding(&self, what: &'static str, needed: u64) -> Result<(), GpuError> {
        let limit = self.max_binding_bytes();
        if needed > limit {
            return Err(GpuError::BufferTooLarge { what, needed, limit });
        }
        Ok(())
    }
}
