mod common;

use common::varied_scene;
use rvs_splat::{SceneError, parse_ply, write_ply};

/// Property names of a degree-0 INRIA vertex, in file order.
const DEGREE0: [&str; 14] = [
    "x", "y", "z", "f_dc_0", "f_dc_1", "f_dc_2", "opacity", "scale_0", "scale_1", "scale_2",
    "rot_0", "rot_1", "rot_2", "rot_3",
];

/// A degree-0 row whose values are easy to recognise: property i holds i/10 + vertex.
fn row(vertex: usize) -> Vec<f64> {
    (0..DEGREE0.len())
        .map(|i| i as f64 / 10.0 + vertex as f64)
        .collect()
}

/// Encodes a binary little-endian PLY with `(type, name)` properties and `rows`.
fn binary_ply(properties: &[(&str, &str)], rows: &[Vec<f64>]) -> Vec<u8> {
    let mut out = format!(
        "ply\nformat binary_little_endian 1.0\ncomment test\nelement vertex {}\n",
        rows.len()
    );
    for (ty, name) in properties {
        out.push_str(&format!("property {ty} {name}\n"));
    }
    out.push_str("end_header\n");
    let mut bytes = out.into_bytes();
    for row in rows {
        for ((ty, _), &v) in properties.iter().zip(row) {
            match *ty {
                "float" => bytes.extend((v as f32).to_le_bytes()),
                "double" => bytes.extend(v.to_le_bytes()),
                "uchar" => bytes.push(v as u8),
                "short" => bytes.extend((v as i16).to_le_bytes()),
                "int" => bytes.extend((v as i32).to_le_bytes()),
                other => panic!("test encoder lacks {other}"),
            }
        }
    }
    bytes
}

/// `bytes` with the first occurrence of `from` replaced by `to`.
fn replace_once(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let at = bytes
        .windows(from.len())
        .position(|w| w == from)
        .expect("pattern present");
    [&bytes[..at], to, &bytes[at + from.len()..]].concat()
}

fn floats(names: &[&'static str]) -> Vec<(&'static str, &'static str)> {
    names.iter().map(|&n| ("float", n)).collect()
}

fn message(result: Result<rvs_splat::Splats, SceneError>) -> String {
    result.expect_err("parse should fail").to_string()
}

#[test]
fn write_then_parse_is_identical_for_every_sh_degree() {
    for degree in 0..=3 {
        let scene = varied_scene(37, degree, degree as u64 + 1);
        let parsed = parse_ply(&write_ply(&scene)).unwrap();
        assert_eq!(parsed, scene, "degree {degree}");
        assert_eq!(parsed.content_hash(), scene.content_hash());
    }
}

#[test]
fn f_rest_is_read_channel_major() {
    let mut names: Vec<String> = ["x", "y", "z", "f_dc_0", "f_dc_1", "f_dc_2"]
        .map(String::from)
        .to_vec();
    names.extend((0..9).map(|i| format!("f_rest_{i}")));
    names.extend(DEGREE0[6..].iter().map(|s| s.to_string()));
    let props: Vec<(&str, &str)> = names.iter().map(|n| ("float", n.as_str())).collect();
    let mut values = vec![0.0; names.len()];
    for i in 0..9 {
        values[6 + i] = 100.0 + i as f64; // f_rest_i = 100 + i
    }
    values[21] = 1.0; // rot_0
    let scene = parse_ply(&binary_ply(&props, &[values])).unwrap();
    assert_eq!(scene.sh_degree, 1);
    // sh[k][c] = f_rest[c*(K-1) + (k-1)] with K = 4.
    for k in 1..4 {
        for c in 0..3 {
            assert_eq!(
                scene.sh[k * 3 + c],
                100.0 + (c * 3 + k - 1) as f32,
                "k={k} c={c}"
            );
        }
    }
}

#[test]
fn ascii_ply_with_crlf_and_extra_properties() {
    let text = "ply\r\nformat ascii 1.0\r\nelement vertex 2\r\nproperty float x\r\nproperty float y\r\nproperty float z\r\n\
        property float nx\r\nproperty float f_dc_0\r\nproperty float f_dc_1\r\nproperty float f_dc_2\r\nproperty float opacity\r\n\
        property float scale_0\r\nproperty float scale_1\r\nproperty float scale_2\r\nproperty float rot_0\r\nproperty float rot_1\r\n\
        property float rot_2\r\nproperty float rot_3\r\nend_header\r\n\
        1 2 3 9 0.1 0.2 0.3 -1.5 -2 -2.5 -3 1 0 0 0\r\n\r\n-1e-3 4.5 6 9 0 0 0 2 0 0 0 0.5 0.5 0.5 0.5\r\n";
    let scene = parse_ply(text.as_bytes()).unwrap();
    assert_eq!(scene.len(), 2);
    assert_eq!(scene.means, vec![[1.0, 2.0, 3.0], [-1e-3, 4.5, 6.0]]);
    assert_eq!(&scene.sh[..3], &[0.1, 0.2, 0.3]);
    assert_eq!(scene.opacity_logits, vec![-1.5, 2.0]);
    assert_eq!(scene.log_scales[0], [-2.0, -2.5, -3.0]);
    assert_eq!(scene.quats[1], [0.5; 4]);
}

#[test]
fn extra_and_reordered_properties_are_ignored() {
    let mut props = vec![("float", "nx"), ("uchar", "red")];
    props.extend(floats(&DEGREE0).into_iter().rev());
    props.push(("int", "label"));
    let rows: Vec<Vec<f64>> = (0..3)
        .map(|v| {
            let mut r = vec![0.0, 200.0];
            r.extend(row(v).into_iter().rev());
            r.push(-7.0);
            r
        })
        .collect();
    let scene = parse_ply(&binary_ply(&props, &rows)).unwrap();
    let expected = parse_ply(&binary_ply(
        &floats(&DEGREE0),
        &(0..3).map(row).collect::<Vec<_>>(),
    ))
    .unwrap();
    assert_eq!(scene, expected);
    assert_eq!(scene.means[2], [2.0, 2.1, 2.2]);
}

#[test]
fn double_and_integer_properties_are_converted() {
    let mut props: Vec<(&str, &str)> = DEGREE0.iter().map(|&n| ("double", n)).collect();
    props[6] = ("short", "opacity");
    props[10] = ("uchar", "rot_0");
    let mut values = row(0);
    values[0] = 0.1; // not exactly representable: must equal the f32 rounding
    values[6] = -3.0;
    values[10] = 200.0;
    let scene = parse_ply(&binary_ply(&props, &[values])).unwrap();
    assert_eq!(scene.means[0][0], 0.1f32);
    assert_eq!(scene.opacity_logits[0], -3.0);
    assert_eq!(scene.quats[0][0], 200.0);
}

#[test]
fn elements_before_the_vertices_are_skipped() {
    let body = binary_ply(&floats(&DEGREE0), &[row(4)]);
    let with_camera = replace_once(
        &body,
        b"element vertex",
        b"element camera 2\nproperty double fov\nproperty uchar id\nelement vertex",
    );
    // Two camera rows of 9 bytes (double + uchar) sit between the header and the vertices.
    let bytes = replace_once(
        &with_camera,
        b"end_header\n",
        &[b"end_header\n".as_slice(), &[0u8; 2 * 9]].concat(),
    );
    assert_eq!(parse_ply(&bytes).unwrap().means[0], [4.0, 4.1, 4.2]);
}

#[test]
fn not_a_ply() {
    assert_eq!(
        parse_ply(b"plyx\nformat ascii 1.0\n"),
        Err(SceneError::NotPly)
    );
    assert!(message(parse_ply(b"hello")).contains("not a PLY"));
}

#[test]
fn big_endian_is_refused_by_name() {
    let bytes = b"ply\nformat binary_big_endian 1.0\nelement vertex 0\nend_header\n";
    assert!(message(parse_ply(bytes)).contains("binary_big_endian"));
}

#[test]
fn missing_property_is_named() {
    let names: Vec<&str> = DEGREE0
        .iter()
        .copied()
        .filter(|&n| n != "scale_1")
        .collect();
    let rows = vec![vec![0.0; names.len()]];
    let err = parse_ply(&binary_ply(&floats(&names), &rows));
    assert_eq!(err, Err(SceneError::MissingProperty("scale_1".into())));
    assert!(message(err).contains("\"scale_1\""));
}

#[test]
fn f_rest_count_must_match_a_degree() {
    let mut props = floats(&DEGREE0);
    props.extend([("float", "f_rest_0"), ("float", "f_rest_1")]);
    assert!(message(parse_ply(&binary_ply(&props, &[vec![1.0; 16]]))).contains("2 f_rest_*"));
}

#[test]
fn gap_in_f_rest_names_is_a_missing_property() {
    let rest: Vec<String> = (0..10)
        .filter(|&i| i != 3)
        .map(|i| format!("f_rest_{i}"))
        .collect();
    let mut props = floats(&DEGREE0);
    props.extend(rest.iter().map(|n| ("float", n.as_str())));
    let err = parse_ply(&binary_ply(&props, &[vec![1.0; 23]]));
    assert_eq!(err, Err(SceneError::MissingProperty("f_rest_3".into())));
}

#[test]
fn truncated_body_says_expected_and_present_bytes() {
    let bytes = binary_ply(&floats(&DEGREE0), &[row(0), row(1)]);
    let err = parse_ply(&bytes[..bytes.len() - 5]);
    // 2 vertices × 14 floats × 4 bytes = 112 expected, 107 present.
    assert_eq!(
        err,
        Err(SceneError::TruncatedBody {
            count: 2,
            stride: 56,
            expected: 112,
            present: 107
        })
    );
    let text = message(err);
    assert!(text.contains("112") && text.contains("107"), "{text}");
}

#[test]
fn missing_end_header() {
    let bytes = b"ply\nformat binary_little_endian 1.0\nelement vertex 1\nproperty float x\n";
    assert!(message(parse_ply(bytes)).contains("end_header"));
}

#[test]
fn header_too_long() {
    let mut bytes = b"ply\nformat ascii 1.0\n".to_vec();
    while bytes.len() <= rvs_splat::ply::MAX_HEADER_BYTES {
        bytes.extend_from_slice(b"comment padding padding padding\n");
    }
    bytes.extend_from_slice(b"end_header\n");
    assert_eq!(
        parse_ply(&bytes),
        Err(SceneError::HeaderTooLong {
            limit: rvs_splat::ply::MAX_HEADER_BYTES
        })
    );
}

#[test]
fn absurd_vertex_count_is_refused_before_allocating() {
    // 10^15 vertices would need petabytes; the check must fire, not the allocator.
    let bytes = binary_ply(&floats(&DEGREE0), &[row(0)]);
    let patched = replace_once(
        &bytes,
        b"element vertex 1\n",
        b"element vertex 1000000000000000\n",
    );
    let err = parse_ply(&patched);
    assert_eq!(
        err,
        Err(SceneError::VertexCountAbsurd {
            count: 1_000_000_000_000_000,
            present: 56
        })
    );
    assert!(message(err).contains("1000000000000000 vertices"));

    let ascii = replace_once(ASCII_HEADER.as_bytes(), b"vertex 2", b"vertex 99999999999");
    assert!(matches!(
        parse_ply(&[ascii, b"1\n".to_vec()].concat()),
        Err(SceneError::VertexCountAbsurd { .. })
    ));
}

#[test]
fn non_finite_value_names_splat_and_property() {
    let mut rows = vec![row(0), row(1)];
    rows[1][8] = f64::NAN; // scale_1 of vertex 1
    let err = parse_ply(&binary_ply(&floats(&DEGREE0), &rows));
    assert!(
        matches!(&err, Err(SceneError::NonFiniteProperty { index: 1, property, .. }) if property == "scale_1")
    );
    assert!(message(err).contains("splat 1"));

    // A double beyond the f32 range is just as unusable.
    let mut props: Vec<(&str, &str)> = floats(&DEGREE0);
    props[0] = ("double", "x");
    let mut big = row(0);
    big[0] = 1e300;
    let err = parse_ply(&binary_ply(&props, &[big]));
    assert!(
        matches!(&err, Err(SceneError::NonFiniteProperty { index: 0, property, .. }) if property == "x")
    );
}

const ASCII_HEADER: &str = "ply\nformat ascii 1.0\nelement vertex 2\nproperty float x\nproperty float y\nproperty float z\n\
    property float f_dc_0\nproperty float f_dc_1\nproperty float f_dc_2\nproperty float opacity\nproperty float scale_0\n\
    property float scale_1\nproperty float scale_2\nproperty float rot_0\nproperty float rot_1\nproperty float rot_2\n\
    property float rot_3\nend_header\n";

#[test]
fn ascii_errors_name_the_vertex() {
    let header = ASCII_HEADER;
    let good = "0 0 0 0 0 0 0 0 0 0 1 0 0 0\n";
    let short = format!("{header}{good}0 0 0\n");
    assert!(message(parse_ply(short.as_bytes())).contains("vertex 1"));
    let word = format!("{header}{good}0 0 0 0 0 0 zero 0 0 0 1 0 0 0\n");
    assert!(message(parse_ply(word.as_bytes())).contains("\"opacity\" value \"zero\""));
    let ended = format!("{header}{good}");
    assert_eq!(
        parse_ply(ended.as_bytes()),
        Err(SceneError::AsciiBodyEnded { read: 1, count: 2 })
    );
}

#[test]
fn list_property_in_vertex_is_refused_by_name() {
    let bytes = b"ply\nformat binary_little_endian 1.0\nelement vertex 1\nproperty float x\nproperty list uchar int idx\nend_header\n";
    assert!(message(parse_ply(bytes)).contains("\"idx\""));
}
