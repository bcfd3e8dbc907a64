//! Writes scenes as INRIA-layout binary PLY, the format `parse_ply` and every splat viewer read.

use crate::scene::Splats;

/// Serializes `splats` as `binary_little_endian 1.0` PLY in the INRIA property order
/// (`x y z nx ny nz f_dc_* f_rest_* opacity scale_* rot_*`), all float, normals zero
/// as in INRIA's own output. The scene is written as is; validate it first if unsure.
pub fn write_ply(splats: &Splats) -> Vec<u8> {
    let k = splats.sh_coeffs();
    let rest_count = 3 * (k - 1);

    let mut header = String::from("ply\nformat binary_little_endian 1.0\n");
    header.push_str(&format!("element vertex {}\n", splats.len()));
    let mut names: Vec<String> = [
        "x", "y", "z", "nx", "ny", "nz", "f_dc_0", "f_dc_1", "f_dc_2",
    ]
    .map(String::from)
    .to_vec();
    names.extend((0..rest_count).map(|i| format!("f_rest_{i}")));
    names.extend(
        [
            "opacity", "scale_0", "scale_1", "scale_2", "rot_0", "rot_1", "rot_2", "rot_3",
        ]
        .map(String::from),
    );
    for name in &names {
        header.push_str(&format!("property float {name}\n"));
    }
    header.push_str("end_header\n");

    let mut out = header.into_bytes();
    out.reserve(splats.len() * names.len() * 4);
    let mut put = |value: f32| out.extend_from_slice(&value.to_le_bytes());
    for index in 0..splats.len() {
        splats.means[index].into_iter().for_each(&mut put);
        [0.0; 3].into_iter().for_each(&mut put);
        let sh = splats.sh_of(index);
        sh[..3].iter().copied().for_each(&mut put);
        // File order is channel-major: all red rest coefficients, then green, then blue.
        for channel in 0..3 {
            for coeff in 1..k {
                put(sh[coeff * 3 + channel]);
            }
        }
        put(splats.opacity_logits[index]);
        splats.log_scales[index].into_iter().for_each(&mut put);
        splats.quats[index].into_iter().for_each(&mut put);
    }
    out
}
