use rvs_gpu::{bind_buffers, compute_pipeline, encode_pass, Dispatch, Frame};

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
    pub fn encode(&self, frame: &Frame<'_>, encoder: &mut wgpu::CommandEncoder, data: &wgpu::Buffer, n: u32) {
        // Levels of (buffer, length): the data, then block totals, totals of totals, ...
        let mut levels: Vec<(wgpu::Buffer, u32)> = vec![(data.clone(), n)];
        loop {
            let (buf, len) = levels.last().cloned().expect("at least the data level");
            let num_blocks = len.div_ceil(SCAN_BLOCK).max(1);
            let sums = frame.scratch("scan block sums", u64::from(num_blocks) * 4);
            self.dispatch(frame, encoder, &self.scan_blocks, &buf, &sums, len, num_blocks);
            if num_blocks == 1 {
                break;
            }
            levels.push((sums, num_blocks));
        }
        // Add each level's scanned totals back into the level below, top down.
        for pair in levels.windows(2).rev() {
            let [(below, len), (sums, _)] = pair else { unreachable!() };
            let num_blocks = len.div_ceil(SCAN_BLOCK);
            self.dispatch(frame, encoder, &self.scan_add, below, sums, *len, num_blocks);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn dispatch(
        &self,
        frame: &Frame<'_>,
        encoder: &mut wgpu::CommandEncoder,
        pipeline: &wgpu::ComputePipeline,
        data: &wgpu::Buffer,
        sums: &wgpu::Buffer,
        n: u32,
        num_blocks: u32,
    ) {
        let grid = Dispatch::for_groups(num_blocks);
        let params = frame.uniform(&ScanParams { n, num_blocks, groups_x: grid.x, _pad: 0 });
        let bind = bind_buffers(frame.device, pipeline, "scan", &[(0, &params), (1, data), (2, sums)]);
        encode_pass(encoder, "scan", pipeline, &bind, grid);
    }
}
