//! `detect_and_parse` on arbitrary bytes. Anything it accepts must validate and survive
//! `write_ply` → `parse_ply` unchanged (same values, same content hash).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(splats) = rvs_splat::detect_and_parse(data) else {
        return;
    };
    splats.validate().expect("detect_and_parse returned a scene that does not validate");
    let written = rvs_splat::write_ply(&splats);
    let reparsed = rvs_splat::parse_ply(&written).expect("write_ply output does not parse");
    assert_eq!(reparsed, splats, "write_ply → parse_ply changed the scene");
    assert_eq!(reparsed.content_hash(), splats.content_hash());
});
