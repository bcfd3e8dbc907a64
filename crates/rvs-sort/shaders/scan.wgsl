// Exclusive prefix sum over u32, in blocks of SCAN_BLOCK; each block's total goes to
// `block_sums` so the host can scan those and add them back (scan_add).

struct ScanParams {
    n: u32,
    num_blocks: u32,
    groups_x: u32,
    _pad: u32,
}

@group(0) @binding(0) var<uniform> params: ScanParams;
@group(0) @binding(1) var<storage, read_write> data: array<u32>;
@group(0) @binding(2) var<storage, read_write> block_sums: array<u32>;

const SCAN_THREADS: u32 = 256u;
const SCAN_PER_THREAD: u32 = 4u;
const SCAN_BLOCK: u32 = 1024u;

var<workgroup> thread_totals: array<u32, SCAN_THREADS>;

@compute @workgroup_size(256)
fn scan_blocks(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>) {
    let block = linear_group(wid, params.groups_x);
    let base = block * SCAN_BLOCK + lid * SCAN_PER_THREAD;
    var local_prefix: array<u32, SCAN_PER_THREAD>;
    var total = 0u;
    for (var i = 0u; i < SCAN_PER_THREAD; i++) {
        // Assigned on every path: naga hoists loop-local vars, so they are not re-zeroed per iteration.
        var x: u32;
        if (block < params.num_blocks && base + i < params.n) {
            x = data[base + i];
        } else {
            x = 0u;
        }
        local_prefix[i] = total;
        total += x;
    }
    thread_totals[lid] = total;
    workgroupBarrier();
    // Hillis-Steele inclusive scan of the per-thread totals.
    for (var offset = 1u; offset < SCAN_THREADS; offset <<= 1u) {
        var add: u32;
        if (lid >= offset) {
            add = thread_totals[lid - offset];
        } else {
            add = 0u;
        }
        workgroupBarrier();
        thread_totals[lid] += add;
        workgroupBarrier();
    }
    let inclusive = thread_totals[lid];
    let exclusive = inclusive - total;
    if (block < params.num_blocks) {
        for (var i = 0u; i < SCAN_PER_THREAD; i++) {
            if (base + i < params.n) {
                data[base + i] = exclusive + local_prefix[i];
            }
        }
        if (lid == SCAN_THREADS - 1u) {
            block_sums[block] = inclusive;
        }
    }
}

@compute @workgroup_size(256)
fn scan_add(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>) {
    let block = linear_group(wid, params.groups_x);
    if (block >= params.num_blocks) {
        return;
    }
    let add = block_sums[block];
    let base = block * SCAN_BLOCK + lid * SCAN_PER_THREAD;
    for (var i = 0u; i < SCAN_PER_THREAD; i++) {
        if (base + i < params.n) {
            data[base + i] += add;
        }
    }
}
