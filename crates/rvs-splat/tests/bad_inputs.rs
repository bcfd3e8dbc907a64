//! Inputs that parsed or validated before but could not be rendered, or whose error did not
//! name the problem; each test pins the fix and the message users now see.

mod common;

use common::varied_scene;
use rvs_splat::{MAX_LOG_SCALE, SceneError, detect_and_parse, parse_ply, parse_splat, write_ply};

/// A binary PLY whose `end_header` line is missing used to fail on the first body byte
/// that is not UTF-8 ("header line N is not ASCII text"), not on the missing line.
#[test]
fn binary_ply_without_end_header_says_so() {
    let bytes = write_ply(&varied_scene(3, 0, 7));
    let at = bytes
        .windows(11)
        .position(|w| w == b"end_header\n")
        .unwrap();
    let broken = [&bytes[..at], &bytes[at + 11..]].concat();
    let err = parse_ply(&broken).unwrap_err();
    assert_eq!(
        err,
        SceneError::MissingEndHeader {
            file_len: broken.len()
        }
    );
    assert!(err.to_string().contains("\"end_header\""), "{err}");

    // A header line that really is not text is still reported as such, by line number.
    let mut bad = b"ply\nformat binary_little_endian 1.0\ncomment \xff\xfe\n".to_vec();
    bad.extend_from_slice(&bytes[bytes.windows(7).position(|w| w == b"element").unwrap()..]);
    let err = parse_ply(&bad).unwrap_err();
    assert!(
        matches!(&err, SceneError::MalformedHeader { line: 3, reason } if reason.contains("not ASCII")),
        "{err}"
    );
}

/// Quaternions whose squared f32 length underflows to 0 (or is subnormal) or overflows
/// validated but normalized to NaN or to a wrong rotation in the GPU upload.
#[test]
fn quaternions_that_cannot_be_normalized_in_f32_are_refused() {
    for (quat, squared) in [
        ([1e-30f32, 0.0, 0.0, 0.0], 0.0f32),
        ([0.0, 1e-20, 0.0, 0.0], 1e-40),
        ([1e20, 0.0, 0.0, 1.0], f32::INFINITY),
    ] {
        let mut scene = varied_scene(3, 1, 2);
        scene.quats[2] = quat;
        let err = scene.validate().unwrap_err();
        assert_eq!(
            err,
            SceneError::QuaternionNotNormalizable {
                index: 2,
                quat,
                squared_length: squared
            }
        );
        assert!(
            err.to_string().starts_with("splat 2: rotation quaternion")
                && err.to_string().contains("cannot be normalized"),
            "{err}"
        );
        // Loaders refuse the same scene with the same error.
        assert_eq!(parse_ply(&write_ply(&scene)).unwrap_err(), err);
    }
    // Small but normal lengths are fine.
    let mut scene = varied_scene(1, 0, 2);
    scene.quats[0] = [1e-15, 0.0, 0.0, 0.0];
    scene.validate().unwrap();
}

/// A log scale whose exp() squared overflows f32 gave an infinite covariance on the GPU.
#[test]
fn log_scales_above_the_limit_are_refused() {
    let mut scene = varied_scene(2, 0, 3);
    scene.log_scales[1][2] = 60.0;
    let err = scene.validate().unwrap_err();
    assert_eq!(
        err,
        SceneError::LogScaleTooLarge {
            index: 1,
            axis: 2,
            value: 60.0,
            max: MAX_LOG_SCALE
        }
    );
    assert!(err.to_string().contains("log_scale[2] is 60"), "{err}");
    scene.log_scales[1][2] = MAX_LOG_SCALE;
    scene.validate().unwrap();
}

/// One 32-byte `.splat` record.
fn record(scale: [f32; 3]) -> Vec<u8> {
    let mut out: Vec<u8> = [0.0f32; 3]
        .iter()
        .chain(&scale)
        .flat_map(|v| v.to_le_bytes())
        .collect();
    out.extend([128, 128, 128, 255, 255, 128, 128, 128]);
    out
}

/// An infinite `.splat` scale used to surface as "log_scale is not finite"; it is now named
/// like a negative one, by splat and axis. Huge finite scales hit the log-scale limit.
#[test]
fn infinite_or_huge_splat_scales_are_named() {
    let err = parse_splat(&record([1.0, f32::INFINITY, 1.0])).unwrap_err();
    assert_eq!(
        err,
        SceneError::NegativeSplatScale {
            index: 0,
            axis: 1,
            value: f32::INFINITY
        }
    );
    assert!(err.to_string().contains("finite and not negative"), "{err}");
    assert!(matches!(
        parse_splat(&record([1e30, 1.0, 1.0])).unwrap_err(),
        SceneError::LogScaleTooLarge {
            index: 0,
            axis: 0,
            ..
        }
    ));
}

/// Empty input and odd lengths say what the loader expected, since anything that is not
/// a PLY is read as `.splat`.
#[test]
fn empty_and_odd_length_files_explain_the_format_choice() {
    let err = detect_and_parse(&[]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "scene file is empty (0 bytes); expected a .ply or .splat scene"
    );
    let err = detect_and_parse(&[0u8; 33]).unwrap_err();
    assert_eq!(
        err.to_string(),
        ".splat file is 33 bytes, not a multiple of 32 bytes per splat (1 bytes left over); \
         files that do not start with a \"ply\" line are read as .splat"
    );
}
