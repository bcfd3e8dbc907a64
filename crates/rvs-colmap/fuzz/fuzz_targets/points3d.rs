//! `parse_points3d` on arbitrary bytes: `Ok` or `Err`, never a panic. `Ok` holds at most one
//! point per 51 bytes with `[N, 3]` xyz and rgb and `[N]` errors, and writing it (ids 1..,
//! no tracks) reads back to the same points, bit for bit. `Err` names the file and a byte
//! inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rvs_colmap::{parse_points3d, write_points3d};

fuzz_target!(|data: &[u8]| {
    match parse_points3d(data, "points3D.bin") {
        Ok(points) => {
            let n = points.len();
            assert!(8 + 51 * n <= data.len());
            assert_eq!((points.xyz.len(), points.rgb.len()), (3 * n, 3 * n));
            let written = write_points3d(&points);
            let again =
                parse_points3d(&written, "points3D.bin").expect("written points3D.bin must parse");
            assert_eq!(
                write_points3d(&again),
                written,
                "points3D.bin does not round-trip"
            );
        }
        Err(e) => {
            assert_eq!(e.file, "points3D.bin");
            assert!(e.problem.byte().is_none_or(|at| at <= data.len()), "{e}");
        }
    }
});
