//! GPU primitives the rasterizer sorts and compacts with: an exclusive prefix sum
//! and a stable LSD radix sort of u32 key/value pairs, both in WGSL.

mod radix;
mod scan;

pub use radix::{RadixSorter, SortedPairs};
pub use scan::PrefixSum;
