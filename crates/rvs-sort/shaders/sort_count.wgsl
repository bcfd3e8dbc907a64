@group(0) @binding(1) var<storage, read> keys: array<u32>;
@group(0) @binding(2) var<storage, read_write> counts: array<u32>;

var<workgroup> histogram: array<atomic<u32>, RADIX>;

@compute @workgroup_size(256)
fn sort_count(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>) {
    let block = linear_group(wid, params.groups_x);
    if (lid < RADIX) {
        atomicStore(&histogram[lid], 0u);
    }
    workgroupBarrier();
    if (block < params.num_blocks) {
        let base = block * SORT_BLOCK + lid * SORT_PER_THREAD;
        for (var i = 0u; i < SORT_PER_THREAD; i++) {
            if (base + i < params.n) {
                atomicAdd(&histogram[digit_of(keys[base + i])], 1u);
            }
        }
    }
    workgroupBarrier();
    if (lid < RADIX && block < params.num_blocks) {
        counts[lid * params.num_blocks + block] = atomicLoad(&histogram[lid]);
    }
}
