// Stage 3: where each (camera, tile)'s run starts and ends in the sorted intersections.

struct RangeParams {
    num_isects: u32,
    groups_x: u32,
    num_keys: u32, // cameras × tiles; larger keys are padding
    _pad: u32,
}

@group(0) @binding(0) var<uniform> range_params: RangeParams;
@group(0) @binding(1) var<storage, read> sorted_keys: array<u32>;            // [num_isects]
@group(0) @binding(2) var<storage, read_write> tile_ranges: array<vec2<u32>>; // [cams * tiles], zeroed

@compute @workgroup_size(256)
fn tile_ranges_main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>) {
    let i = linear_group(wid, range_params.groups_x) * 256u + lid;
    let n = range_params.num_isects;
    if (i >= n) {
        return;
    }
    let key = sorted_keys[i];
    if (key >= range_params.num_keys) {
        return;
    }
    if (i == 0u || sorted_keys[i - 1u] != key) {
        tile_ranges[key].x = i;
    }
    if (i + 1u == n || sorted_keys[i + 1u] != key) {
        tile_ranges[key].y = i + 1u;
    }
}
