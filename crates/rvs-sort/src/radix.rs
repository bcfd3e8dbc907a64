use rvs_gpu::{compute_pipeline, storage_buffer, uniform_buffer, BufferUse, Dispatch};

use crate::PrefixSum;

const SORT_COMMON_WGSL: &str = include_str!("../shaders/sort_common.wgsl");
const SORT_COUNT_WGSL: &str = include_str!("../shaders/sort_count.wgsl");
const SORT_SCATTER_WGSL: &str = include_str!("../shaders/sort_scatter.wgsl");
const RADIX_BITS: u32 = 4;
const RADIX: u32 = 1 << RADIX_BITS;
/// Keys one workgroup handles per pass (256 threads × 4).
const SORT_BLOCK: u32 = 1024;

#[repr(C)]
#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
struct SortParams {
    n: u32,
    shift: u32,
    num_blocks: u32,
    groups_x: u32,
}

/// Which of the two buffer pairs holds the sorted result (passes ping-pong between them).
pub struct SortedPairs {
    pub keys: wgpu::Buffer,
    pub values: wgpu::Buffer,
}

/// Stable LSD radix sort of u32 keys with u32 values, 4 bits per pass.
/// Only the low `key_bits` bits are sorted, so small keys cost fewer passes.
pub struct RadixSorter {
    count: wgpu::ComputePipeline,
    scatter: wgpu::ComputePipeline,
    scan: PrefixSum,
}

impl RadixSorter {
    pub fn new(device: &wgpu::Device) -> Self {
        Self {
            count: compute_pipeline(device, "sort_count", &[SORT_COMMON_WGSL, SORT_COUNT_WGSL], "sort_count"),
            scatter: compute_pipeline(device, "sort_scatter", &[SORT_COMMON_WGSL, SORT_SCATTER_WGSL], "sort_scatter"),
            scan: PrefixSum::new(device),
        }
    }

    /// Records a sort of `n` pairs. `keys`/`values` [n] hold the input; `keys_alt`/`values_alt`
    /// [n] are scratch of the same size. The result lands in one of the two pairs.
    #[allow(clippy::too_many_arguments)]
    pub fn encode(
        &self,
        device: &wgpu::Device,
        encoder: &mut wgpu::CommandEncoder,
        keys: &wgpu::Buffer,
        values: &wgpu::Buffer,
        keys_alt: &wgpu::Buffer,
        values_alt: &wgpu::Buffer,
        n: u32,
        key_bits: u32,
    ) -> SortedPairs {
        let passes = key_bits.clamp(1, 32).div_ceil(RADIX_BITS);
        let num_blocks = n.div_ceil(SORT_BLOCK).max(1);
        let grid = Dispatch::for_groups(num_blocks);
        // [RADIX, num_blocks] digit counts, scanned in place into run starts.
        let counts = storage_buffer(device, "sort counts", u64::from(RADIX * num_blocks) * 4, BufferUse::Scratch);
        let mut src = (keys.clone(), values.clone());
        let mut dst = (keys_alt.clone(), values_alt.clone());
        for pass in 0..passes {
            let params = uniform_buffer(
                device,
                "sort params",
                &SortParams { n, shift: pass * RADIX_BITS, num_blocks, groups_x: grid.x },
            );
            let count_bind = device.create_bind_group(&wgpu::BindGroupDescriptor {
                label: Some("sort_count"),
                layout: &self.count.get_bind_group_layout(0),
                entries: &[
                    wgpu::BindGroupEntry { binding: 0, resource: params.as_entire_binding() },
                    wgpu::BindGroupEntry { binding: 1, resource: src.0.as_entire_binding() },
                    wgpu::BindGroupEntry { binding: 2, resource: counts.as_entire_binding() },
                ],
            });
            {
                let mut p = rvs_gpu::begin_pass(encoder, "sort_count");
                p.set_pipeline(&self.count);
                p.set_bind_group(0, &count_bind, &[]);
                grid.dispatch(&mut p);
            }
            self.scan.encode(device, encoder, &counts, RADIX * num_blocks);
            let scatter_bind = device.create_bind_group(&wgpu::BindGroupDescriptor {
                label: Some("sort_scatter"),
                layout: &self.scatter.get_bind_group_layout(0),
                entries: &[
                    wgpu::BindGroupEntry { binding: 0, resource: params.as_entire_binding() },
                    wgpu::BindGroupEntry { binding: 1, resource: src.0.as_entire_binding() },
                    wgpu::BindGroupEntry { binding: 2, resource: src.1.as_entire_binding() },
                    wgpu::BindGroupEntry { binding: 3, resource: counts.as_entire_binding() },
                    wgpu::BindGroupEntry { binding: 4, resource: dst.0.as_entire_binding() },
                    wgpu::BindGroupEntry { binding: 5, resource: dst.1.as_entire_binding() },
                ],
            });
            {
                let mut p = rvs_gpu::begin_pass(encoder, "sort_scatter");
                p.set_pipeline(&self.scatter);
                p.set_bind_group(0, &scatter_bind, &[]);
                grid.dispatch(&mut p);
            }
            std::mem::swap(&mut src, &mut dst);
        }
        SortedPairs { keys: src.0, values: src.1 }
    }
}
