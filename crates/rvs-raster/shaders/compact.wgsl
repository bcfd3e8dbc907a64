// Stage 1b: gather the visible pairs' depth keys into a dense list, so the depth sort only
// moves pairs that can be drawn (with tiled scenes most pairs are off-screen), and add up
// their tile counts: the total number of intersections (an integer sum, so the order of
// the atomic adds does not matter).

@group(0) @binding(0) var<uniform> params: RasterParams;
@group(0) @binding(1) var<storage, read> tiles_touched: array<u32>;      // [num_pairs]
@group(0) @binding(2) var<storage, read> visible_index: array<u32>;      // [num_pairs + 1], scanned
@group(0) @binding(3) var<storage, read> depth_keys: array<u32>;         // [num_pairs]
@group(0) @binding(4) var<storage, read_write> visible_keys: array<u32>; // [num_visible]
@group(0) @binding(5) var<storage, read_write> visible_pairs: array<u32>; // [num_visible]
@group(0) @binding(6) var<storage, read_write> totals: array<atomic<u32>>; // [2]: visible (copied in later), intersections

var<workgroup> group_isects: atomic<u32>;

@compute @workgroup_size(256)
fn compact_visible(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>) {
    let pair = linear_group(wid, params.groups_x) * 256u + lid;
    if (lid == 0u) {
        atomicStore(&group_isects, 0u);
    }
    workgroupBarrier();
    if (pair < params.num_pairs) {
        let count = tiles_touched[pair];
        if (count > 0u) {
            let slot = visible_index[pair];
            visible_keys[slot] = depth_keys[pair];
            visible_pairs[slot] = pair;
            atomicAdd(&group_isects, count);
        }
    }
    workgroupBarrier();
    if (lid == 0u) {
        atomicAdd(&totals[1], atomicLoad(&group_isects));
    }
}
