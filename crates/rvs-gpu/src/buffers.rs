use wgpu::util::DeviceExt;

use crate::GpuError;

/// Extra usages a storage buffer needs beyond STORAGE.
#[derive(Clone, Copy, Debug)]
pub enum BufferUse {
    /// Kernel-internal scratch.
    Scratch,
    /// Written from the host or read back, or copied between buffers.
    Transfer,
}

fn usages(u: BufferUse) -> wgpu::BufferUsages {
    let base = wgpu::BufferUsages::STORAGE;
    match u {
        BufferUse::Scratch => base,
        BufferUse::Transfer => base | wgpu::BufferUsages::COPY_SRC | wgpu::BufferUsages::COPY_DST,
    }
}

/// A storage buffer of `bytes` (rounded up to 4, at least 4, as WebGPU requires).
pub fn storage_buffer(device: &wgpu::Device, label: &str, bytes: u64, u: BufferUse) -> wgpu::Buffer {
    device.create_buffer(&wgpu::BufferDescriptor {
        label: Some(label),
        size: bytes.max(4).next_multiple_of(4),
        usage: usages(u),
        mapped_at_creation: false,
    })
}

pub fn storage_buffer_init<T: bytemuck::Pod>(device: &wgpu::Device, label: &str, data: &[T]) -> wgpu::Buffer {
    let bytes: &[u8] = bytemuck::cast_slice(data);
    if bytes.is_empty() {
        return storage_buffer(device, label, 4, BufferUse::Transfer);
    }
    device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
        label: Some(label),
        contents: bytes,
        usage: usages(BufferUse::Transfer),
    })
}

pub fn uniform_buffer<T: bytemuck::Pod>(device: &wgpu::Device, label: &str, value: &T) -> wgpu::Buffer {
    device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
        label: Some(label),
        contents: bytemuck::bytes_of(value),
        usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
    })
}

/// Copies `bytes` of `src` starting at `offset` (both multiples of 4) to the host. Waits for the GPU.
pub async fn read_buffer(
    device: &wgpu::Device,
    queue: &wgpu::Queue,
    src: &wgpu::Buffer,
    offset: u64,
    bytes: u64,
) -> Result<Vec<u8>, GpuError> {
    let size = bytes.next_multiple_of(4).max(4);
    let staging = device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("readback"),
        size,
        usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    });
    let mut encoder = device.create_command_encoder(&Default::default());
    encoder.copy_buffer_to_buffer(src, offset, &staging, 0, size);
    queue.submit([encoder.finish()]);
    let (tx, rx) = futures_channel::oneshot::channel();
    staging.map_async(wgpu::MapMode::Read, .., move |r| {
        let _ = tx.send(r);
    });
    // Native backends need a poll to fire the callback; on WebGPU this is a no-op.
    let _ = device.poll(wgpu::PollType::wait_indefinitely());
    rx.await
        .map_err(|_| GpuError::Readback("the map callback was dropped (device lost?)".into()))?
        .map_err(|e| GpuError::Readback(e.to_string()))?;
    let data = staging
        .slice(..)
        .get_mapped_range()
        .map_err(|e| GpuError::Readback(e.to_string()))?
        .to_vec();
    staging.unmap();
    staging.destroy();
    let mut data = data;
    data.truncate(bytes as usize);
    Ok(data)
}

/// Something a bind group entry can bind: a whole buffer or a range (e.g. a uniform slot).
pub trait Bindable {
    fn binding(&self) -> wgpu::BufferBinding<'_>;
}

impl Bindable for wgpu::Buffer {
    fn binding(&self) -> wgpu::BufferBinding<'_> {
        self.as_entire_buffer_binding()
    }
}

impl Bindable for wgpu::BufferBinding<'_> {
    fn binding(&self) -> wgpu::BufferBinding<'_> {
        self.clone()
    }
}

/// Bind group for `pipeline`'s group 0 from (binding, buffer or range) pairs.
pub fn bind_buffers(device: &wgpu::Device, pipeline: &wgpu::ComputePipeline, label: &str, entries: &[(u32, &dyn Bindable)]) -> wgpu::BindGroup {
    let entries: Vec<wgpu::BindGroupEntry<'_>> = entries
        .iter()
        .map(|(binding, b)| wgpu::BindGroupEntry { binding: *binding, resource: wgpu::BindingResource::Buffer(b.binding()) })
        .collect();
    device.create_bind_group(&wgpu::BindGroupDescriptor { label: Some(label), layout: &pipeline.get_bind_group_layout(0), entries: &entries })
}

/// Records one compute pass running `pipeline` over `grid` workgroups.
pub fn encode_pass(encoder: &mut wgpu::CommandEncoder, label: &str, pipeline: &wgpu::ComputePipeline, bind: &wgpu::BindGroup, grid: crate::Dispatch) {
    let mut pass = crate::begin_pass(encoder, label);
    pass.set_pipeline(pipeline);
    pass.set_bind_group(0, bind, &[]);
    grid.dispatch(&mut pass);
}
