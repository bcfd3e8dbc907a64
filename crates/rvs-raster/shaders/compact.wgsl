// Stage 1b: gather the visible pairs' depth keys into a dense list, so the depth sort only
// moves pairs that can be drawn (with tiled scenes most pairs are off-screen).

@group(0) @binding(0) var<uniform> params: RasterParams;
@group(0) @binding(1) var<storage, read> tiles_touched: array<u32>;      // [num_pairs]
@group(0) @binding(2) var<storage, read> visible_index: array<u32>;      // [num_pairs + 1], scanned
@group(0) @binding(3) var<storage, read> depth_keys: array<u32>;         // [num_pairs]
@group(0) @binding(4) var<storage, read_write> visible_keys: array<u32>; // [num_visible]
@group(0) @binding(5) var<storage, read_write> visible_pairs: array<u32>; // [num_visible]

@compute @workgroup_size(256)
fn compact_visible(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>) {
    let pair = linear_group(wid, params.groups_x) * 256u + lid;
    if (pair >= params.num_pairs || tiles_touched[pair] == 0u) {
        return;
    }
    let slot = visible_index[pair];
    visible_keys[slot] = depth_keys[pair];
    visible_pairs[slot] = pair;
}
