//! `parse_cameras` on arbitrary bytes: `Ok` or `Err`, never a panic. `Ok` holds at most one
//! camera per 48 bytes (the smallest model has 3 parameters), unique ids, each with its model's
//! parameter count, and writes back to exactly the input (cameras.bin has nothing the reader
//! skips). `Err` names the file and a byte inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rvs_colmap::{parse_cameras, write_cameras};

fuzz_target!(|data: &[u8]| {
    match parse_cameras(data, "cameras.bin") {
        Ok(cameras) => {
            assert!(8 + 48 * cameras.len() <= data.len());
            let mut ids: Vec<u32> = cameras.iter().map(|c| c.id).collect();
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), cameras.len(), "duplicate camera id accepted");
            for c in &cameras {
                assert_eq!(c.params.len(), c.model.params.len());
                assert!(
                    c.width <= rvs_colmap::MAX_SAFE_INTEGER
                        && c.height <= rvs_colmap::MAX_SAFE_INTEGER
                );
            }
            assert_eq!(
                write_cameras(&cameras),
                data,
                "cameras.bin does not round-trip"
            );
        }
        Err(e) => {
            assert_eq!(e.file, "cameras.bin");
            assert!(e.problem.byte().is_none_or(|at| at <= data.len()), "{e}");
        }
    }
});
