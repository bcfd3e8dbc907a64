//! Inputs the cargo-fuzz targets in `crates/rvs-splat/fuzz/` (or review next to their
//! findings) showed to panic, kept as regression tests. Reproducer files live in
//! `tests/fuzz_regressions/`; each must now be refused with a clear error.

use rvs_splat::{SceneError, detect_and_parse, parse_ply};

/// A degree-0 INRIA vertex element of one vertex, all float, ending the header.
const VERTEX: &str = "element vertex 1\nproperty float x\nproperty float y\nproperty float z\n\
    property float f_dc_0\nproperty float f_dc_1\nproperty float f_dc_2\nproperty float opacity\n\
    property float scale_0\nproperty float scale_1\nproperty float scale_2\n\
    property float rot_0\nproperty float rot_1\nproperty float rot_2\nproperty float rot_3\nend_header\n";

fn reproducer(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Found by the `ply` target: the line counts of the elements before the vertices were
/// summed with `+`, which overflowed (a panic in debug builds) for counts near u64::MAX.
#[test]
fn ascii_element_counts_summing_past_u64_are_an_error() {
    let bytes = reproducer("ply-ascii-skip-count-overflow.ply");
    let err = parse_ply(&bytes).expect_err("must be refused");
    assert!(
        matches!(err, SceneError::AsciiBodyEnded { read: 0, count: 1 }),
        "{err}"
    );
    assert_eq!(detect_and_parse(&bytes).unwrap_err(), err);

    let bytes = format!(
        "ply\nformat ascii 1.0\nelement a 18446744073709551615\nproperty uchar a\n\
         element b 2\nproperty uchar b\n{VERTEX}1 2 3 4 5 6 7 8 9 10 11 12 13 14\n"
    );
    let err = parse_ply(bytes.as_bytes()).unwrap_err();
    assert_eq!(err.to_string(), "ASCII PLY body ends after 0 of 1 vertices");
}

/// The binary sibling, found by review while fixing the one above: the running byte offset
/// past the preceding elements was advanced with `skip + n`, which overflowed when a later
/// element's count × stride came within `skip` of u64::MAX.
#[test]
fn binary_element_sizes_summing_past_u64_are_truncation() {
    let mut bytes = format!(
        "ply\nformat binary_little_endian 1.0\nelement a 1\nproperty uchar a\n\
         element b 18446744073709551615\nproperty uchar b\n{VERTEX}"
    )
    .into_bytes();
    bytes.extend([0u8; 100]);
    let err = parse_ply(&bytes).unwrap_err();
    assert_eq!(
        err,
        SceneError::TruncatedBody {
            count: u64::MAX,
            stride: 1,
            expected: u64::MAX,
            present: 99,
        }
    );
    assert!(err.to_string().contains("99 are present"), "{err}");
}

/// A vertex count × stride beyond u64 is refused as a corrupt count, not multiplied.
#[test]
fn binary_vertex_bytes_beyond_u64_are_refused() {
    let header = VERTEX.replace("element vertex 1", "element vertex 18446744073709551615");
    let mut bytes = format!("ply\nformat binary_little_endian 1.0\n{header}").into_bytes();
    bytes.extend([0u8; 56]);
    assert!(matches!(
        parse_ply(&bytes).unwrap_err(),
        SceneError::VertexCountAbsurd { .. }
    ));
}
