// Stable scatter. Each thread owns SORT_PER_THREAD consecutive keys; per-thread digit
// counts are packed two per u32 (16-bit lanes, at most SORT_BLOCK = 1024 per lane) and
// scanned across the workgroup, so a key's rank is: start of its (digit, block) run +
// same-digit keys of earlier threads + same-digit keys earlier in this thread.

@group(0) @binding(1) var<storage, read> keys_in: array<u32>;
@group(0) @binding(2) var<storage, read> values_in: array<u32>;
@group(0) @binding(3) var<storage, read> run_starts: array<u32>;
@group(0) @binding(4) var<storage, read_write> keys_out: array<u32>;
@group(0) @binding(5) var<storage, read_write> values_out: array<u32>;

const PACKED_WORDS: u32 = 8u; // RADIX digits, two 16-bit lanes per word

// [PACKED_WORDS, SORT_THREADS]
var<workgroup> lane_counts: array<u32, 2048>;
var<workgroup> digit_run_start: array<u32, RADIX>;

fn lane_get(words: array<u32, PACKED_WORDS>, digit: u32) -> u32 {
    return (words[digit >> 1u] >> ((digit & 1u) * 16u)) & 0xffffu;
}

@compute @workgroup_size(256)
fn sort_scatter(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wid: vec3<u32>) {
    let block = linear_group(wid, params.groups_x);
    let in_range = block < params.num_blocks;
    if (lid < RADIX && in_range) {
        digit_run_start[lid] = run_starts[lid * params.num_blocks + block];
    }

    let base = block * SORT_BLOCK + lid * SORT_PER_THREAD;
    var my_keys: array<u32, SORT_PER_THREAD>;
    var my_count = 0u;
    var packed: array<u32, PACKED_WORDS>;
    for (var i = 0u; i < SORT_PER_THREAD; i++) {
        if (in_range && base + i < params.n) {
            let k = keys_in[base + i];
            my_keys[i] = k;
            my_count = i + 1u;
            let d = digit_of(k);
            packed[d >> 1u] += 1u << ((d & 1u) * 16u);
        }
    }
    for (var w = 0u; w < PACKED_WORDS; w++) {
        lane_counts[w * SORT_THREADS + lid] = packed[w];
    }
    workgroupBarrier();
    // Inclusive scan across threads, all lanes at once (lanes never exceed 1024, no carries).
    for (var offset = 1u; offset < SORT_THREADS; offset <<= 1u) {
        // Assigned on every path: naga hoists loop-local vars, so they are not re-zeroed per iteration.
        var add: array<u32, PACKED_WORDS>;
        for (var w = 0u; w < PACKED_WORDS; w++) {
            if (lid >= offset) {
                add[w] = lane_counts[w * SORT_THREADS + lid - offset];
            } else {
                add[w] = 0u;
            }
        }
        workgroupBarrier();
        for (var w = 0u; w < PACKED_WORDS; w++) {
            lane_counts[w * SORT_THREADS + lid] += add[w];
        }
        workgroupBarrier();
    }
    var before: array<u32, PACKED_WORDS>; // same-digit keys in earlier threads, then in this thread
    for (var w = 0u; w < PACKED_WORDS; w++) {
        before[w] = lane_counts[w * SORT_THREADS + lid] - packed[w];
    }
    // Constant trip bound: the compiler can prove `i` in range and skip robustness clamps.
    for (var i = 0u; i < SORT_PER_THREAD; i++) {
        if (i >= my_count) {
            break;
        }
        let k = my_keys[i];
        let d = digit_of(k);
        let dst = digit_run_start[d] + lane_get(before, d);
        before[d >> 1u] += 1u << ((d & 1u) * 16u);
        keys_out[dst] = k;
        values_out[dst] = values_in[base + i];
    }
}
