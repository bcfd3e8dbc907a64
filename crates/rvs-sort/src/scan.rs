use rvs_gpu::{compute_pipeline, storage_buffer, uniform_buffer, BufferUse, Dispatch};

const SCAN_WGSL: &str = include_str!("../shaders/scan.wgsl");
/// Elements one workgroup scans (256 threads × 4).
pub const SCAN_BLOCK: u32 = 1024;

#[repr(C)]
#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
struct ScanParams {
    n: u32,
    num_blocks: u32,
    groups_x: u32,
    _pad: u32,
}

/// In-place exclusive prefix sum of a u32 buffer, any length, as one chain of dispatches:
/// scan blocks, recursively scan the block totals, add them back.
pub struct PrefixSum {
    scan_blocks: wgpu::ComputePipeline,
    scan_add: wgpu::ComputePipeline,
}

impl PrefixSum {
    pub fn new(device: &wgpu::Device) -> Self {
        Self {
            scan_blocks: compute_pipeline(device, "scan_blocks", &[SCAN_WGSL], "scan_blocks"),
            scan_add: compute_pipeline(device, "scan_add", &[SCAN_WGSL], "scan_add"),
        }
    }

    /// Records the scan of the first `n` u32s of `data` [n] into `encoder`.
    pub fn encode(&self, device: &wgpu::Device, encoder: &mut wgpu::CommandEncoder, data: &wgpu::Buffer, n: u32) {
        // Levels of (buffer, length): the data, then block totals, totals of totals, ...
        let mut levels: Vec<(wgpu::Buffer, u32)> = vec![(data.clone(), n)];
        loop {
            let (buf, len) = levels.last().cloned().expect("at least the data level");
            let num_blocks = len.div_ceil(SCAN_BLOCK).max(1);
            let sums = storage_buffer(device, "scan block sums", u64::from(num_blocks) * 4, BufferUse::Scratch);
            self.dispatch(device, encoder, &self.scan_blocks, &buf, &sums, len, num_blocks);
            if num_blocks == 1 {
                break;
            }
            levels.push((sums, num_blocks));
        }
        // Add each level's scanned totals back into the level below, top down.
        for pair in levels.windows(2).rev() {
            let [(below, len), (sums, _)] = pair else { unreachable!() };
            let num_blocks = len.div_ceil(SCAN_BLOCK);
            self.dispatch(device, encoder, &self.scan_add, below, sums, *len, num_blocks);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn dispatch(
        &self,
        device: &wgpu::Device,
        encoder: &mut wgpu::CommandEncoder,
        pipeline: &wgpu::ComputePipeline,
        data: &wgpu::Buffer,
        sums: &wgpu::Buffer,
        n: u32,
        num_blocks: u32,
    ) {
        let grid = Dispatch::for_groups(num_blocks);
        let params = uniform_buffer(device, "scan params", &ScanParams { n, num_blocks, groups_x: grid.x, _pad: 0 });
        let bind = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("scan"),
            layout: &pipeline.get_bind_group_layout(0),
            entries: &[
                wgpu::BindGroupEntry { binding: 0, resource: params.as_entire_binding() },
                wgpu::BindGroupEntry { binding: 1, resource: data.as_entire_binding() },
                wgpu::BindGroupEntry { binding: 2, resource: sums.as_entire_binding() },
            ],
        });
        let mut pass = rvs_gpu::begin_pass(encoder, "scan");
        pass.set_pipeline(pipeline);
        pass.set_bind_group(0, &bind, &[]);
        grid.dispatch(&mut pass);
    }
}
