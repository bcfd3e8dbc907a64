//! `parse_splat` on arbitrary bytes: `Ok` or `Err`, never a panic, and `Ok` validates
//! with exactly one splat per 32-byte record.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rvs_splat::SPLAT_RECORD_BYTES;

fuzz_target!(|data: &[u8]| {
    if let Ok(splats) = rvs_splat::parse_splat(data) {
        splats
            .validate()
            .expect("parse_splat returned a scene that does not validate");
        assert_eq!(splats.len(), data.len() / SPLAT_RECORD_BYTES);
        assert_eq!(splats.sh_degree, 0);
    }
});
