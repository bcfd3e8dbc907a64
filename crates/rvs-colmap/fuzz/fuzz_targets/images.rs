//! `parse_images` on arbitrary bytes: `Ok` or `Err`, never a panic. `Ok` holds at most one
//! image per 73 bytes, names without NUL, and writing it (without 2D points) reads back to
//! the same images, bit for bit. `Err` names the file and a byte inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rvs_colmap::{parse_images, write_images};

fuzz_target!(|data: &[u8]| {
    match parse_images(data, "images.bin") {
        Ok(images) => {
            assert!(8 + 73 * images.len() <= data.len());
            assert!(images.iter().all(|i| !i.name.contains('\0')));
            let written = write_images(&images);
            let again =
                parse_images(&written, "images.bin").expect("written images.bin must parse");
            assert_eq!(
                write_images(&again),
                written,
                "images.bin does not round-trip"
            );
            // Without 2D points in the input, the writer reproduces it exactly.
            if written.len() == data.len() {
                assert_eq!(written, data);
            }
        }
        Err(e) => {
            assert_eq!(e.file, "images.bin");
            assert!(e.problem.byte().is_none_or(|at| at <= data.len()), "{e}");
        }
    }
});
