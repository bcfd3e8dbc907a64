/// WebGPU caps each dispatch dimension at 65535 workgroups.
pub const MAX_WORKGROUPS_PER_DIM: u32 = 65535;

/// A 1D workgroup count folded into 2D so large batches still dispatch.
///
/// Kernels rebuild the linear index as `wid.x + wid.y * groups_x` (see `linear_group`
/// in common.wgsl) and return early past `groups`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dispatch {
    pub groups: u32,
    pub x: u32,
    pub y: u32,
}

impl Dispatch {
    /// Enough workgroups of `group_size` items to cover `items`.
    pub fn for_items(items: u32, group_size: u32) -> Self {
        Self::for_groups(items.div_ceil(group_size))
    }

    pub fn for_groups(groups: u32) -> Self {
        let groups = groups.max(1);
        if groups <= MAX_WORKGROUPS_PER_DIM {
            return Self { groups, x: groups, y: 1 };
        }
        let y = groups.div_ceil(MAX_WORKGROUPS_PER_DIM);
        let x = groups.div_ceil(y);
        Self { groups, x, y }
    }

    pub fn dispatch(&self, pass: &mut wgpu::ComputePass<'_>) {
        pass.dispatch_workgroups(self.x, self.y, 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_counts_stay_one_dimensional() {
        assert_eq!(Dispatch::for_items(1000, 256), Dispatch { groups: 4, x: 4, y: 1 });
        assert_eq!(Dispatch::for_items(0, 256).groups, 1);
    }

    #[test]
    fn large_counts_fold_and_cover_every_group() {
        for groups in [65_535, 65_536, 200_001, 4_000_000] {
            let d = Dispatch::for_groups(groups);
            assert!(d.x <= MAX_WORKGROUPS_PER_DIM && d.y <= MAX_WORKGROUPS_PER_DIM);
            assert!(u64::from(d.x) * u64::from(d.y) >= u64::from(groups));
        }
    }
}
