//! The seed corpus of the cargo-fuzz targets in `crates/rvs-splat/fuzz/`: tiny valid PLYs
//! (binary and ASCII, SH degree 0 and 1) and `.splat` files. This test keeps the committed
//! files equal to what `seeds()` generates, small, and parseable; to rewrite them run
//! `RVS_WRITE_FUZZ_SEEDS=1 cargo test -p rvs-splat --test fuzz_seeds`.

mod common;


use common::varied_scene;
use rvs_splat::{Splats, detect_and_parse, parse_ply, parse_splat, write_ply};

/// Seeds must stay tiny: the fuzzers run with `-max_len=4096`.
const MAX_SEED_BYTES: usize = 4096;

/// The same scene as ASCII PLY, in the INRIA property order (no normals), `{:?}` floats so
/// every value round-trips exactly.
fn ascii_ply(splats: &Splats) -> Vec<u8> {
    let k = splats.sh_coeffs();
    let mut names: Vec<String> = ["x", "y", "z", "f_dc_0", "f_dc_1", "f_dc_2"]
        .map(String::from)
        .to_vec();
    names.extend((0..3 * (k - 1)).map(|i| format!("f_rest_{i}")));
    names.extend(
        [
            "opacity", "scale_0", "scale_1", "scale_2", "rot_0", "rot_1", "rot_2", "rot_3",
        ]
        .map(String::from),
    );
    let mut out = format!(
        "ply\nformat ascii 1.0\ncomment rvs fuzz seed\nelement vertex {}\n",
        splats.len()
    );
    for name in &names {
        out.push_str(&format!("property float {name}\n"));
    }
    out.push_str("end_header\n");
    for index in 0..splats.len() {
        let sh = splats.sh_of(index);
        let mut row: Vec<f32> = splats.means[index].to_vec();
        row.extend(&sh[..3]);
        for channel in 0..3 {
            row.extend((1..k).map(|coeff| sh[coeff * 3 + channel]));
        }
        row.push(splats.opacity_logits[index]);
        row.extend(splats.log_scales[index]);
        row.extend(splats.quats[index]);
        let text: Vec<String> = row.iter().map(|v| format!("{v:?}")).collect();
        out.push_str(&text.join(" "));
        out.push('\n');
    }
    out.into_bytes()
}

/// A binary PLY with two elements before the vertices (one empty) and mixed scalar types
/// (double, uchar, short), so the fuzzers start from the skip and conversion paths too.
fn mixed_types_ply() -> Vec<u8> {
    let mut out = String::from(
        "ply\nformat binary_little_endian 1.0\nelement camera 1\nproperty double fov\nproperty uchar id\n\
         element extra 0\nproperty uchar flag\nelement vertex 2\n",
    );
    let props = [
        ("double", "x"),
        ("double", "y"),
        ("double", "z"),
        ("float", "f_dc_0"),
        ("float", "f_dc_1"),
        ("float", "f_dc_2"),
        ("short", "opacity"),
        ("float", "scale_0"),
        ("float", "scale_1"),
        ("float", "scale_2"),
        ("uchar", "rot_0"),
        ("float", "rot_1"),
        ("float", "rot_2"),
        ("float", "rot_3"),
    ];
    for (ty, name) in props {
        out.push_str(&format!("property {ty} {name}\n"));
    }
    out.push_str("end_header\n");
    let mut bytes = out.into_bytes();
    bytes.extend(0.9f64.to_le_bytes());
    bytes.push(7);
    for vertex in 0..2 {
        let v = vertex as f64;
        for (ty, _) in props {
            match ty {
                "double" => bytes.extend((v + 0.25).to_le_bytes()),
                "float" => bytes.extend((-2.0f32 + vertex as f32).to_le_bytes()),
                "short" => bytes.extend((-3i16).to_le_bytes()),
                "uchar" => bytes.push(1),
                _ => unreachable!(),
            }
        }
    }
    bytes
}

/// An ASCII PLY with two elements before the vertices, whose lines the parser skips.
fn ascii_with_elements_ply() -> Vec<u8> {
    let scene = ascii_ply(&varied_scene(1, 0, 5));
    let text = String::from_utf8(scene).unwrap();
    text.replacen(
        "element vertex",
        "element camera 2\nproperty float fov\nelement extra 0\nproperty uchar flag\nelement vertex",
        1,
    )
    .replacen("end_header\n", "end_header\n0.5\n0.75\n", 1)
    .into_bytes()
}

/// One `.splat` record per splat, as antimatter15's converter writes them.
fn splat_file(count: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for i in 0..count {
        let f = i as f32;
        for v in [f, -f, 2.0 + f, 0.05, 0.1, 0.02 * (f + 1.0)] {
            out.extend(v.to_le_bytes());
        }
        out.extend([200, 100 + i as u8, 30, 128 + 40 * i as u8]);
        out.extend([255, 128, 128 + i as u8, 100]);
    }
    out
}

/// (target, file name, bytes) of every seed.
fn seeds() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    let ply = [
        ("binary-sh0.ply", write_ply(&varied_scene(3, 0, 1))),
        ("binary-sh1.ply", write_ply(&varied_scene(2, 1, 2))),
        ("binary-empty.ply", write_ply(&Splats::default())),
        ("binary-mixed-types.ply", mixed_types_ply()),
        ("ascii-sh0.ply", ascii_ply(&varied_scene(2, 0, 3))),
        ("ascii-sh1.ply", ascii_ply(&varied_scene(1, 1, 4))),
        ("ascii-elements.ply", ascii_with_elements_ply()),
    ];
    let splat = [("one.splat", splat_file(1)), ("three.splat", splat_file(3))];
    let mut out = Vec::new();
    for (name, bytes) in ply.iter().chain(&splat) {
        let target = if name.ends_with(".ply") {
            "ply"
        } else {
            "splat"
        };
        out.push((target, *name, bytes.clone()));
        out.push(("detect", *name, bytes.clone()));
    }
    out
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
        let splats = match target {
            "ply" => parse_ply(&bytes),
            "splat" => parse_splat(&bytes),
            _ => detect_and_parse(&bytes),
        }
        .unwrap_or_else(|e| panic!("{target}/{name}: {e}"));
        assert_eq!(parse_ply(&write_ply(&splats)).unwrap(), splats, "{name}");
    }
}

#[test]
fn ascii_and_binary_seeds_hold_the_same_scene() {
    let scene = varied_scene(1, 1, 4);
    assert_eq!(parse_ply(&ascii_ply(&scene)).unwrap(), scene);
}
