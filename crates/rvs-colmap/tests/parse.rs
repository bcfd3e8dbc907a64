//! The three readers on valid files and on every kind of bad input, with the exact messages
//! (`@rvs/core`'s tests expect the same ones through the WASM).

mod common;

use common::{Bytes, cameras_bin, images_bin, points_bin};
use rvs_colmap::{
    CAMERA_MODELS, Camera, ColmapError, Image, Points, Problem, model_by_id, parse_cameras,
    parse_images, parse_points3d, write_cameras, write_images, write_points3d,
};

fn message(result: Result<impl std::fmt::Debug, ColmapError>) -> String {
    result.expect_err("must be refused").to_string()
}

#[test]
fn reads_cameras_in_file_order() {
    let cameras = parse_cameras(&cameras_bin(), "cameras.bin").unwrap();
    let summary: Vec<_> = cameras
        .iter()
        .map(|c| (c.id, c.model.name, c.width, c.height, c.params.len()))
        .collect();
    assert_eq!(
        summary,
        [
            (1, "SIMPLE_PINHOLE", 640, 480, 3),
            (2, "SIMPLE_RADIAL", 800, 600, 4),
            (3, "RADIAL", 800, 600, 5),
            (4, "OPENCV", 800, 600, 8),
        ]
    );
    assert_eq!(
        cameras[3].params,
        [600.0, 601.0, 400.0, 300.0, 0.1, -0.05, 0.001, 0.002]
    );
}

#[test]
fn reads_images_skipping_their_2d_points() {
    let images = parse_images(&images_bin(), "images.bin").unwrap();
    assert_eq!(images.len(), 2);
    assert_eq!(
        images[0],
        Image {
            id: 1,
            qvec: [1.0, 0.0, 0.0, 0.0],
            tvec: [1.0, 2.0, 3.0],
            camera_id: 1,
            name: "b.jpg".into()
        }
    );
    assert_eq!(
        (images[1].id, images[1].camera_id, images[1].name.as_str()),
        (2, 4, "sub/a.jpg")
    );
}

#[test]
fn reads_points_skipping_ids_and_tracks() {
    let points = parse_points3d(&points_bin(), "points3D.bin").unwrap();
    assert_eq!(
        points,
        Points {
            xyz: vec![0.5, 1.5, 2.5, -1.0, -2.0, -3.0],
            rgb: vec![255, 128, 0, 1, 2, 3],
            error: vec![0.25, 1.5],
        }
    );
}

#[test]
fn empty_models_are_valid() {
    let zero = 0u64.to_le_bytes();
    assert!(parse_cameras(&zero, "c").unwrap().is_empty());
    assert!(parse_images(&zero, "i").unwrap().is_empty());
    assert!(parse_points3d(&zero, "p").unwrap().is_empty());
}

#[test]
fn every_model_has_its_parameter_count() {
    for model in &CAMERA_MODELS {
        let params: Vec<f64> = (0..model.params.len()).map(|i| i as f64).collect();
        let bytes = Bytes::default()
            .u64(1)
            .u32(9)
            .i32(model.id)
            .u64(4)
            .u64(3)
            .f64(&params)
            .done();
        let cameras = parse_cameras(&bytes, "cameras.bin").unwrap();
        assert_eq!(cameras[0].model, model);
        assert_eq!(cameras[0].params, params);
        assert_eq!(model_by_id(model.id), Some(model));
    }
    assert_eq!(model_by_id(-1), None);
    assert_eq!(model_by_id(11), None);
}

#[test]
fn writers_round_trip() {
    let cameras = parse_cameras(&cameras_bin(), "c").unwrap();
    assert_eq!(write_cameras(&cameras), cameras_bin());
    let images = parse_images(&images_bin(), "i").unwrap();
    assert_eq!(parse_images(&write_images(&images), "i").unwrap(), images);
    let points = parse_points3d(&points_bin(), "p").unwrap();
    assert_eq!(
        parse_points3d(&write_points3d(&points), "p").unwrap(),
        points
    );
}

#[test]
fn truncation_names_the_file_record_field_and_byte() {
    let cams = cameras_bin();
    assert_eq!(
        message(parse_cameras(&cams[..cams.len() - 4], "cameras.bin")),
        format!(
            "cameras.bin: truncated at byte {} reading camera 4 params[7] (needs 8 bytes, 4 left)",
            cams.len() - 8
        )
    );
    assert_eq!(
        message(parse_cameras(&[1, 0, 0], "cameras.bin")),
        "cameras.bin: truncated at byte 0 reading camera count (needs 8 bytes, 3 left)"
    );
    let images = images_bin();
    // Cut inside the first image's 2D points (they start after 4 + 56 + 4 + 6 + 8 bytes).
    let cut = 8 + 4 + 56 + 4 + 6 + 8 + 10;
    let mut short = images[..cut].to_vec();
    short[..8].copy_from_slice(&1u64.to_le_bytes());
    assert_eq!(
        message(parse_images(&short, "images.bin")),
        "images.bin: truncated at byte 86 reading 2 2D points of image 1 (needs 48 bytes, 10 left)"
    );
    let mut points = points_bin()[..60].to_vec();
    points[..8].copy_from_slice(&1u64.to_le_bytes());
    let err = parse_points3d(&points, "points3D.bin").unwrap_err();
    assert_eq!(
        err.to_string(),
        "points3D.bin: truncated at byte 59 reading 2 track entries of point 0 (needs 16 bytes, 1 left)"
    );
    assert_eq!(err.problem.byte(), Some(59));
}

#[test]
fn every_prefix_of_a_valid_file_is_refused_within_it() {
    type Parse = fn(&[u8]) -> Option<ColmapError>;
    let files: [(Vec<u8>, Parse); 3] = [
        (cameras_bin(), |b| parse_cameras(b, "c").err()),
        (images_bin(), |b| parse_images(b, "i").err()),
        (points_bin(), |b| parse_points3d(b, "p").err()),
    ];
    for (bytes, parse) in files {
        for len in 0..bytes.len() {
            let err = parse(&bytes[..len]).unwrap_or_else(|| panic!("prefix {len} parsed"));
            assert!(
                matches!(
                    err.problem,
                    Problem::Truncated { .. }
                        | Problem::CountTooLarge { .. }
                        | Problem::Unterminated { .. }
                ),
                "prefix {len}: {err}"
            );
            assert!(err.problem.byte().is_none_or(|at| at <= len), "{err}");
        }
        assert!(parse(&bytes).is_none());
    }
}

#[test]
fn unknown_camera_models_are_refused_with_their_byte() {
    for bad in [99, -1, 11, i32::MIN] {
        let mut cams = cameras_bin();
        cams[12..16].copy_from_slice(&bad.to_le_bytes());
        assert_eq!(
            message(parse_cameras(&cams, "cameras.bin")),
            format!("cameras.bin: camera 1 has unknown model id {bad} at byte 12")
        );
    }
}

#[test]
fn duplicate_camera_ids_are_refused() {
    let mut cams = cameras_bin();
    // The third camera (id 3) starts after the count and two cameras of 48 and 56 bytes.
    let third = 8 + 48 + 56;
    cams[third..third + 4].copy_from_slice(&2u32.to_le_bytes());
    let err = parse_cameras(&cams, "cameras.bin").unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("cameras.bin: camera 2 is defined twice (again at byte {third})")
    );
    assert_eq!(
        err.problem,
        Problem::DuplicateCamera {
            camera: 2,
            at: third
        }
    );
}

#[test]
fn leftover_bytes_are_refused() {
    let mut images = images_bin();
    images.extend([0, 0, 0]);
    assert_eq!(
        message(parse_images(&images, "images.bin")),
        "images.bin: 3 bytes left over after 2 images"
    );
    let mut cams = cameras_bin();
    cams.push(7);
    assert_eq!(
        message(parse_cameras(&cams, "cameras.bin")),
        "cameras.bin: 1 bytes left over after 4 cameras"
    );
    let mut points = points_bin();
    points.extend([0; 9]);
    assert_eq!(
        message(parse_points3d(&points, "points3D.bin")),
        "points3D.bin: 9 bytes left over after 2 points"
    );
}

#[test]
fn counts_that_cannot_fit_are_refused_before_allocating() {
    let huge = Bytes::default().u64(1_000_000).done();
    assert_eq!(
        message(parse_points3d(&huge, "points3D.bin")),
        "points3D.bin: header claims 1000000 points, but the 0 bytes left cannot hold them"
    );
    // The largest count a u64 field may hold: 2^53 - 1 records would need petabytes; no
    // allocation is attempted (an attempt would abort the test).
    let max = Bytes::default()
        .u64(rvs_colmap::MAX_SAFE_INTEGER)
        .u64(0)
        .done();
    assert_eq!(
        message(parse_cameras(&max, "cameras.bin")),
        "cameras.bin: header claims 9007199254740991 cameras, but the 8 bytes left cannot hold them"
    );
    // One image needs at least 73 bytes; 72 after the count is one too few.
    let mut short = images_bin()[..8].to_vec();
    short[..8].copy_from_slice(&1u64.to_le_bytes());
    short.extend([0; 72]);
    assert_eq!(
        message(parse_images(&short, "images.bin")),
        "images.bin: header claims 1 images, but the 72 bytes left cannot hold them"
    );
}

#[test]
fn u64_fields_above_2_pow_53_are_refused() {
    let big = (1u64 << 53) + 1;
    assert_eq!(
        message(parse_images(&big.to_le_bytes(), "images.bin")),
        "images.bin: image count at byte 0 is 9007199254740993, too large to be real"
    );
    let mut cams = cameras_bin();
    cams[16..24].copy_from_slice(&u64::MAX.to_le_bytes());
    assert_eq!(
        message(parse_cameras(&cams, "cameras.bin")),
        "cameras.bin: camera 1 width at byte 16 is 18446744073709551615, too large to be real"
    );
    // A track length near 2^53 times 8 bytes: refused as truncation, without overflow.
    let mut points = points_bin();
    points[51..59].copy_from_slice(&rvs_colmap::MAX_SAFE_INTEGER.to_le_bytes());
    assert_eq!(
        message(parse_points3d(&points, "points3D.bin")),
        format!(
            "points3D.bin: truncated at byte 59 reading 9007199254740991 track entries of point 0 (needs 72057594037927928 bytes, {} left)",
            points.len() - 59
        )
    );
}

#[test]
fn names_must_be_terminated_utf8() {
    let image = |name: &[u8]| {
        Bytes::default()
            .u64(1)
            .u32(5)
            .f64(&[1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
            .u32(1)
            .str(name)
            .u64(0)
            .done()
    };
    let ok = parse_images(&image("é/ü.png".as_bytes()), "images.bin").unwrap();
    assert_eq!(ok[0].name, "é/ü.png");
    assert_eq!(parse_images(&image(b""), "images.bin").unwrap()[0].name, "");
    assert_eq!(
        message(parse_images(&image(b"ab\xffc.jpg"), "images.bin")),
        "images.bin: image 5 name starting at byte 72 is not valid UTF-8 (bad byte 0xff at byte 74)"
    );
    // No NUL at all: the name runs to the end of the file. (A count of 1 needs 73 bytes, so
    // pad the name to reach them.)
    let mut unterminated = image(b"abcdefghij");
    unterminated.truncate(unterminated.len() - 9);
    assert_eq!(
        message(parse_images(&unterminated, "images.bin")),
        "images.bin: unterminated image 5 name starting at byte 72"
    );
}

#[test]
fn errors_are_structured() {
    let mut one = cameras_bin()[..8 + 44].to_vec();
    one[..8].copy_from_slice(&1u64.to_le_bytes());
    let err = parse_cameras(&one, "sparse/0/cameras.bin").unwrap_err();
    assert_eq!(err.file, "sparse/0/cameras.bin");
    assert_eq!(
        err.problem,
        Problem::Truncated {
            at: 48,
            what: "camera 1 params[2]".into(),
            needs: 8,
            left: 4
        }
    );
    let _: &dyn std::error::Error = &err;
    let camera = Camera {
        id: 1,
        model: &CAMERA_MODELS[1],
        width: 2,
        height: 3,
        params: vec![1.0, 2.0, 3.0, 4.0],
    };
    assert_eq!(
        parse_cameras(&write_cameras(std::slice::from_ref(&camera)), "c").unwrap(),
        [camera]
    );
}
