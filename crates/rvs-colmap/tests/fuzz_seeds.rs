//! The seed corpus of the cargo-fuzz targets in `crates/rvs-colmap/fuzz/`: tiny valid
//! cameras.bin, images.bin and points3D.bin files. This test keeps the committed files equal to
//! what `seeds()` generates, small, and parseable; to rewrite them run
//! `RVS_WRITE_FUZZ_SEEDS=1 cargo test -p rvs-colmap --test fuzz_seeds`.

mod common;


use common::{Bytes, cameras_bin, images_bin, points_bin};
use rvs_colmap::{CAMERA_MODELS, parse_cameras, parse_images, parse_points3d};

/// Seeds must stay tiny: the fuzzers run with `-max_len=4096`.
const MAX_SEED_BYTES: usize = 4096;

/// One camera of every model, ids 10 + model id, parameters model id + i / 10.
fn every_model_cameras() -> Vec<u8> {
    let mut bytes = Bytes::default().u64(CAMERA_MODELS.len() as u64);
    for model in &CAMERA_MODELS {
        let params: Vec<f64> = (0..model.params.len())
            .map(|i| f64::from(model.id) + i as f64 / 10.0)
            .collect();
        bytes = bytes
            .u32(10 + model.id as u32)
            .i32(model.id)
            .u64(4000)
            .u64(3000)
            .f64(&params);
    }
    bytes.done()
}

/// Three images: a UTF-8 name in a folder, an empty name, and one with three 2D points.
fn varied_images() -> Vec<u8> {
    Bytes::default()
        .u64(3)
        .u32(7)
        .f64(&[0.5, 0.5, -0.5, 0.5, 0.1, -0.2, 3.0])
        .u32(2)
        .str("dossier/été.png".as_bytes())
        .u64(0)
        .u32(8)
        .f64(&[1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
        .u32(2)
        .str(b"")
        .u64(0)
        .u32(9)
        .f64(&[0.0, 1.0, 0.0, 0.0, 1.0, 1.0, 1.0])
        .u32(1)
        .str(b"c.jpg")
        .u64(3)
        .f64(&[10.0, 20.0])
        .i64(-1)
        .f64(&[30.0, 40.0])
        .i64(4)
        .f64(&[50.0, 60.0])
        .i64(7)
        .done()
}

/// (target, file name, bytes) of every seed.
fn seeds() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    let empty = 0u64.to_le_bytes().to_vec();
    vec![
        ("cameras", "four.bin", cameras_bin()),
        ("cameras", "every-model.bin", every_model_cameras()),
        ("cameras", "empty.bin", empty.clone()),
        ("images", "two.bin", images_bin()),
        ("images", "varied.bin", varied_images()),
        ("images", "empty.bin", empty.clone()),
        ("points3d", "two.bin", points_bin()),
        ("points3d", "empty.bin", empty),
    ]
}

#[test]
fn committed_seeds_are_the_generated_ones() {
    rvs_fuzz_seeds::check_or_write_seeds(env!("CARGO_MANIFEST_DIR"), seeds());
}

#[test]
fn seeds_are_small_and_parse() {
    for (target, name, bytes) in seeds() {
        assert!(
            bytes.len() <= MAX_SEED_BYTES,
            "{target}/{name}: {} bytes",
            bytes.len()
        );
        let parsed = match target {
            "cameras" => parse_cameras(&bytes, name).map(|c| c.len()),
            "images" => parse_images(&bytes, name).map(|i| i.len()),
            _ => parse_points3d(&bytes, name).map(|p| p.len()),
        };
        parsed.unwrap_or_else(|e| panic!("{target}/{name}: {e}"));
    }
    let names: Vec<String> = parse_images(&varied_images(), "images.bin")
        .unwrap()
        .into_iter()
        .map(|i| i.name)
        .collect();
    assert_eq!(names, ["dossier/été.png", "", "c.jpg"]);
    assert_eq!(
        parse_cameras(&every_model_cameras(), "cameras.bin")
            .unwrap()
            .len(),
        CAMERA_MODELS.len()
    );
}
