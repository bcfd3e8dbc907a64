//! Host mirrors of the WGSL structs in shaders/raster_common.wgsl and tile_ranges.wgsl.

#[repr(C)]
#[derive(Clone, Copy, Debug, bytemuck::Pod, bytemuck::Zeroable)]
pub struct RasterParams {
    pub num_splats: u32,
    pub num_cams: u32,
    pub width: u32,
    pub height: u32,
    pub tiles_x: u32,
    pub tiles_y: u32,
    pub sh_coeffs: u32,
    pub sh_stride: u32,
    pub antialiased: u32,
    pub num_pairs: u32,
    pub groups_x: u32,
    pub _pad: u32,
    pub background: [f32; 4],
}

/// World→camera rows [R | t], (fx, fy, cx, cy), camera centre.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, bytemuck::Pod, bytemuck::Zeroable)]
pub struct CameraGpu {
    pub rows: [[f32; 4]; 3],
    pub focal_center: [f32; 4],
    pub position: [f32; 4],
}

#[repr(C)]
#[derive(Clone, Copy, Debug, bytemuck::Pod, bytemuck::Zeroable)]
pub struct RangeParams {
    pub num_isects: u32,
    pub groups_x: u32,
    pub num_keys: u32,
    pub _pad: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_match_wgsl_layout() {
        // RasterParams: 12 u32 then a vec4 aligned to 16 → 64 bytes.
        assert_eq!(std::mem::size_of::<RasterParams>(), 64);
        assert_eq!(std::mem::offset_of!(RasterParams, background), 48);
        assert_eq!(std::mem::size_of::<CameraGpu>(), 80);
        assert_eq!(std::mem::size_of::<RangeParams>(), 16);
    }
}
