mod common;

use rvs_splat::sh::SH_C0;
use rvs_splat::{SceneError, detect_and_parse, parse_splat, write_ply};

/// One 32-byte record: position, linear scale, RGBA, rotation bytes.
fn record(pos: [f32; 3], scale: [f32; 3], rgba: [u8; 4], rot: [u8; 4]) -> Vec<u8> {
    let mut out: Vec<u8> = pos
        .iter()
        .chain(&scale)
        .flat_map(|v| v.to_le_bytes())
        .collect();
    out.extend(rgba);
    out.extend(rot);
    out
}

#[test]
fn decodes_known_bytes() {
    let mut bytes = record(
        [1.0, -2.0, 3.5],
        [1.0, std::f32::consts::E, 0.5],
        [255, 0, 128, 255],
        [255, 128, 0, 128],
    );
    bytes.extend(record(
        [0.0; 3],
        [0.1; 3],
        [64, 64, 64, 0],
        [128, 192, 128, 128],
    ));
    let scene = parse_splat(&bytes).unwrap();

    assert_eq!(scene.len(), 2);
    assert_eq!(scene.sh_degree, 0);
    assert_eq!(scene.means[0], [1.0, -2.0, 3.5]);
    let ls = scene.log_scales[0];
    assert!(
        ls[0].abs() < 1e-6 && (ls[1] - 1.0).abs() < 1e-6 && (ls[2] - 0.5f32.ln()).abs() < 1e-6,
        "{ls:?}"
    );

    // rgb = 0.5 + SH_C0 * f_dc, so the colour bytes come back through the same formula.
    for (channel, byte) in [255u8, 0, 128].into_iter().enumerate() {
        let rgb = 0.5 + SH_C0 * scene.sh[channel];
        assert!(
            (rgb - f32::from(byte) / 255.0).abs() < 1e-6,
            "channel {channel}: {rgb}"
        );
    }
    // q_i = (b_i - 128) / 128, w x y z.
    assert_eq!(scene.quats[0], [127.0 / 128.0, 0.0, -1.0, 0.0]);
    assert_eq!(scene.quats[1], [0.0, 0.5, 0.0, 0.0]);

    // a = 255 → opacity ~1; a = 0 → opacity ~0; both logits finite.
    let sigmoid = |x: f32| 1.0 / (1.0 + (-x).exp());
    assert!(sigmoid(scene.opacity_logits[0]) > 0.9999);
    assert!(sigmoid(scene.opacity_logits[1]) < 1e-5);
    assert!(scene.opacity_logits.iter().all(|v| v.is_finite()));
}

#[test]
fn mid_alpha_round_trips_through_the_logit() {
    let scene = parse_splat(&record(
        [0.0; 3],
        [1.0; 3],
        [0, 0, 0, 51],
        [255, 128, 128, 128],
    ))
    .unwrap();
    let opacity = 1.0 / (1.0 + (-scene.opacity_logits[0]).exp());
    assert!((opacity - 0.2).abs() < 1e-6, "{opacity}");
}

#[test]
fn length_errors() {
    assert_eq!(parse_splat(&[]), Err(SceneError::EmptySplatFile));
    let err = parse_splat(&[0u8; 70]);
    assert_eq!(
        err,
        Err(SceneError::SplatLengthNotMultiple {
            len: 70,
            remainder: 6
        })
    );
    let text = err.unwrap_err().to_string();
    assert!(text.contains("70 bytes") && text.contains("32"), "{text}");
}

#[test]
fn negative_scale_names_the_splat() {
    let mut bytes = record([0.0; 3], [1.0; 3], [0; 4], [255, 128, 128, 128]);
    bytes.extend(record(
        [0.0; 3],
        [1.0, -0.5, 1.0],
        [0; 4],
        [255, 128, 128, 128],
    ));
    assert_eq!(
        parse_splat(&bytes),
        Err(SceneError::NegativeSplatScale {
            index: 1,
            axis: 1,
            value: -0.5
        })
    );
}

#[test]
fn detect_picks_the_format_from_the_first_bytes() {
    let scene = common::varied_scene(5, 2, 9);
    assert_eq!(detect_and_parse(&write_ply(&scene)).unwrap(), scene);

    let crlf = b"ply\r\nformat ascii 1.0\r\nelement vertex 0\r\nproperty float x\r\nend_header\r\n";
    assert_eq!(
        detect_and_parse(crlf),
        Err(SceneError::MissingProperty("y".into()))
    );

    let splat = record([1.0; 3], [1.0; 3], [0; 4], [255, 128, 128, 128]);
    assert_eq!(detect_and_parse(&splat).unwrap().means, vec![[1.0; 3]]);
    // Anything else is read as .splat and must then satisfy its rules.
    assert_eq!(
        detect_and_parse(b"plyfoo"),
        Err(SceneError::SplatLengthNotMultiple {
            len: 6,
            remainder: 6
        })
    );
}
