// Writes one (camera·tile key, pair) entry per tile a visible pair touches.

@group(0) @binding(0) var<uniform> params: RasterParams;
@group(0) @binding(1) var<storage, read> pair_from_depth_rank: array<u32>; // [num_pairs]
@group(0) @binding(2) var<storage, read> isect_offsets: array<u32>;        // [num_pairs + 1], scanned
@group(0) @binding(3) var<storage, read> projected: array<vec4<f32>>;     // [num_pairs, 3]
@group(0) @binding(4) var<storage, read_write> isect_keys: array<u32>;     // [num_isects] camera * tiles + tile
@group(0) @binding(5) var<storage, read_write> pair_from_isect: array<u32>; // [num_isects]

@compute @workgroup_size(256)
fn emit_intersections(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>) {
    let i = linear_group(wid, params.groups_x) * 256u + lid;
    if (i >= params.num_pairs) {
        return;
    }
    var offset = isect_offsets[i];
    let end = isect_offsets[i + 1u];
    if (offset == end) {
        return;
    }
    let pair = pair_from_depth_rank[i];
    let cam = pair % params.num_cams; // pairs are splat-major (see project.wgsl)
    let a = projected[pair * 3u];
    let b = projected[pair * 3u + 1u];
    let rect = tile_rect(a.xy, unpack_radii(b.w), vec2<u32>(params.tiles_x, params.tiles_y));
    let cam_base = cam * params.tiles_x * params.tiles_y;
    let size = vec2<u32>(params.width, params.height);
    for (var ty = rect.y; ty < rect.w; ty++) {
        for (var tx = rect.x; tx < rect.z; tx++) {
            // Same test as project's count, on the same stored values, so counts agree.
            if (tile_touches(vec2<u32>(tx, ty), a.xy, b.xyz, a.z, size)) {
                if (offset < end) {
                    isect_keys[offset] = cam_base + ty * params.tiles_x + tx;
                    pair_from_isect[offset] = pair;
                }
                offset += 1u;
            }
        }
    }
    // Should the count have disagreed (it uses the same test on the same numbers), pad
    // with a key past every real one, which tile_ranges ignores, rather than leave stale data.
    for (; offset < end; offset++) {
        isect_keys[offset] = params.num_cams * params.tiles_x * params.tiles_y;
        pair_from_isect[offset] = 0u;
    }
}
