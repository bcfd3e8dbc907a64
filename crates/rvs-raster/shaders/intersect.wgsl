// Stage 2: tile intersections. Pairs arrive sorted by depth (`pair_ids`), so writing
// each pair's tiles at its prefix-sum offset leaves every tile's list depth-ordered; a
// stable sort by (camera, tile) key then groups them without disturbing that order.

@group(0) @binding(0) var<uniform> params: RasterParams;
@group(0) @binding(1) var<storage, read> pair_from_depth_rank: array<u32>; // [num_pairs]
@group(0) @binding(2) var<storage, read> tiles_touched: array<u32>;        // [num_pairs]
@group(0) @binding(3) var<storage, read_write> isect_offsets: array<u32>;  // [num_pairs + 1]

// Tile counts in depth order; the extra last entry is 0 so the exclusive scan's last
// value is the total number of intersections.
@compute @workgroup_size(256)
fn gather_counts(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>) {
    let i = linear_group(wid, params.groups_x) * 256u + lid;
    if (i < params.num_pairs) {
        isect_offsets[i] = tiles_touched[pair_from_depth_rank[i]];
    } else if (i == params.num_pairs) {
        isect_offsets[i] = 0u;
    }
}
