// One pass of the LSD radix sort: 4-bit digits, blocks of SORT_BLOCK keys per workgroup.
// counts is digit-major ([RADIX, num_blocks]) so one exclusive scan over it yields
// where each (digit, block) run starts in the output.

struct SortParams {
    n: u32,
    shift: u32,
    num_blocks: u32,
    groups_x: u32,
}

const RADIX: u32 = 16u;
const SORT_THREADS: u32 = 256u;
const SORT_PER_THREAD: u32 = 4u; // replaced per device, see RadixSorter::new
const SORT_BLOCK: u32 = 1024u; // 256 × SORT_PER_THREAD

@group(0) @binding(0) var<uniform> params: SortParams;

fn digit_of(key: u32) -> u32 {
    return (key >> params.shift) & (RADIX - 1u);
}
