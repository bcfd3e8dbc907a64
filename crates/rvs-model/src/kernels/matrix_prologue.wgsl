// Prepended to the kernels on subgroup matrices (matmul_subgroup.wgsl and the attention
// backward's *_matrix.wgsl): the extensions they enable and their f16 tile stores.

enable f16;
enable chromium_experimental_subgroup_matrix;
// Matrix offsets depend on subgroup_id, uniform within a subgroup; this Dawn's analysis only
// proves workgroup uniformity.
diagnostic(off, chromium_experimental.subgroup_matrix_uniformity);

// v rounded to f16 into tile[at], ..., tile[at + 3] (tiles of 2048 halves).
fn put_half4(tile: ptr<workgroup, array<f16, 2048>>, at: u32, v: vec4<f32>) {
    (*tile)[at] = f16(v.x);
    (*tile)[at + 1u] = f16(v.y);
    (*tile)[at + 2u] = f16(v.z);
    (*tile)[at + 3u] = f16(v.w);
}

// The same for tiles of 4096 halves (WGSL pointers fix the array's length).
fn put_half4_wide(tile: ptr<workgroup, array<f16, 4096>>, at: u32, v: vec4<f32>) {
    (*tile)[at] = f16(v.x);
    (*tile)[at + 1u] = f16(v.y);
    (*tile)[at + 2u] = f16(v.z);
    (*tile)[at + 3u] = f16(v.w);
}
