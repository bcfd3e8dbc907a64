// Shared helpers, prepended to every rvs kernel.

// Linear workgroup index for dispatches folded into 2D (see rvs_gpu::Dispatch).
fn linear_group(wid: vec3<u32>, groups_x: u32) -> u32 {
    return wid.x + wid.y * groups_x;
}
