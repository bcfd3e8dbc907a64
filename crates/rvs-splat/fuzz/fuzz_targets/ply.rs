//! `parse_ply` on arbitrary bytes: it must return `Ok` or `Err`, never panic, overflow,
//! allocate beyond the input's size or hang, and whatever it returns must validate.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(splats) = rvs_splat::parse_ply(data) {
        splats
            .validate()
            .expect("parse_ply returned a scene that does not validate");
    }
});
