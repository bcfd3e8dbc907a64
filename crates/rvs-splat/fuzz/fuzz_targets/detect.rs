//! `detect_and_parse` on arbitrary bytes. Anything it accepts must validate, survive
//! `write_ply` → `parse_ply` unchanged (same values, same content hash), and keep the
//! promise `validate()` makes to the GPU upload: quaternions normalize to unit length
//! and squared scales stay finite in f32.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(splats) = rvs_splat::detect_and_parse(data) else {
        return;
    };
    splats
        .validate()
        .expect("detect_and_parse returned a scene that does not validate");
    let written = rvs_splat::write_ply(&splats);
    let reparsed = rvs_splat::parse_ply(&written).expect("write_ply output does not parse");
    assert_eq!(reparsed, splats, "write_ply → parse_ply changed the scene");
    assert_eq!(reparsed.content_hash(), splats.content_hash());
    for (index, (q, log_scale)) in splats.quats.iter().zip(&splats.log_scales).enumerate() {
        // As the GPU upload normalizes: the result must be a unit quaternion.
        let length = q.iter().map(|v| v * v).sum::<f32>().sqrt();
        let unit = q.iter().map(|v| (v / length) * (v / length)).sum::<f32>();
        assert!(
            (unit - 1.0).abs() < 1e-3,
            "splat {index}: quaternion {q:?} normalizes to squared length {unit}"
        );
        assert!(
            log_scale.iter().all(|v| (2.0 * v).exp().is_finite()),
            "splat {index}: squared scale of {log_scale:?} overflows"
        );
    }
});
