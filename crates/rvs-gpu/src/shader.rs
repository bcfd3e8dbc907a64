/// Helpers every kernel may use; prepended to each shader.
pub const COMMON_WGSL: &str = include_str!("../shaders/common.wgsl");

/// Builds a compute pipeline from WGSL pieces (common helpers first, then the kernel).
/// The layout is derived from the shader so bindings are declared in one place.
pub fn compute_pipeline(device: &wgpu::Device, label: &str, sources: &[&str], entry: &str) -> wgpu::ComputePipeline {
    let mut code = String::from(COMMON_WGSL);
    for s in sources {
        code.push('\n');
        code.push_str(s);
    }
    let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
        label: Some(label),
        source: wgpu::ShaderSource::Wgsl(code.into()),
    });
    device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
        label: Some(label),
        layout: None,
        module: &module,
        entry_point: Some(entry),
        compilation_options: Default::default(),
        cache: None,
    })
}
