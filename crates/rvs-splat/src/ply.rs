//! PLY scenes in the INRIA 3D Gaussian Splatting layout.
//!
//! One `element vertex N` with (in any order, other properties ignored):
//! `x y z`, `f_dc_0..2`, `f_rest_0..f_rest_{3(K-1)-1}`, `opacity` (logit),
//! `scale_0..2` (log), `rot_0..3` (w x y z). `f_rest` is channel-major: the first K-1
//! values are red for coefficients 1..K, then green, then blue, so
//! `sh[n][k][c] = f_rest[c*(K-1) + (k-1)]` for k >= 1 and `sh[n][0][c] = f_dc_c`.

mod body;
mod header;
mod write;

pub use header::MAX_HEADER_BYTES;
pub use write::write_ply;

use crate::error::SceneError;
use crate::scene::{Splats, sh_coeffs_for_degree};

/// Parses a `binary_little_endian 1.0` or `ascii 1.0` PLY into a validated scene.
/// Properties may be of any PLY scalar type; the ones we use are converted to f32.
pub fn parse_ply(bytes: &[u8]) -> Result<Splats, SceneError> {
    let header = header::parse_header(bytes)?;
    let vertex_index = header
        .elements
        .iter()
        .position(|e| e.name == "vertex")
        .ok_or(SceneError::MissingVertexElement)?;
    let vertex = &header.elements[vertex_index];
    // Rows with lists have no fixed size (binary) or value count (ASCII).
    vertex.binary_stride()?;

    let sh_degree = sh_degree_from_rest_count(
        vertex
            .properties
            .iter()
            .filter(|p| p.name.starts_with("f_rest_"))
            .count(),
    )?;
    let names = FieldNames::for_degree(sh_degree);
    let fields = body::locate_fields(vertex, &names.all)?;
    let table = body::vertex_table(&header, bytes, vertex_index, &fields)?;

    let splats = names.assemble(&table, sh_degree);
    splats.validate()?;
    Ok(splats)
}

/// The SH degree whose coefficient count matches `rest_count` f_rest properties.
fn sh_degree_from_rest_count(rest_count: usize) -> Result<u32, SceneError> {
    (0..=crate::scene::MAX_SH_DEGREE)
        .find(|&degree| 3 * (sh_coeffs_for_degree(degree) - 1) == rest_count)
        .ok_or(SceneError::UnsupportedShRestCount(rest_count))
}

/// The property names a scene of a given SH degree reads, in table-column order:
/// x y z, f_dc_0..2, f_rest_*, opacity, scale_0..2, rot_0..3.
struct FieldNames {
    all: Vec<String>,
    rest_count: usize,
}

impl FieldNames {
    fn for_degree(sh_degree: u32) -> Self {
        let rest_count = 3 * (sh_coeffs_for_degree(sh_degree) - 1);
        let mut all: Vec<String> = ["x", "y", "z", "f_dc_0", "f_dc_1", "f_dc_2"]
            .map(String::from)
            .to_vec();
        all.extend((0..rest_count).map(|i| format!("f_rest_{i}")));
        all.extend(
            [
                "opacity", "scale_0", "scale_1", "scale_2", "rot_0", "rot_1", "rot_2", "rot_3",
            ]
            .map(String::from),
        );
        Self { all, rest_count }
    }

    /// Turns the `[N, columns]` table into a scene, reordering f_rest from
    /// channel-major (file) to coefficient-major `[K, 3]` (scene).
    fn assemble(&self, table: &[f32], sh_degree: u32) -> Splats {
        let columns = self.all.len();
        let k = sh_coeffs_for_degree(sh_degree);
        let count = table.len() / columns;
        let mut splats = Splats {
            means: Vec::with_capacity(count),
            quats: Vec::with_capacity(count),
            log_scales: Vec::with_capacity(count),
            opacity_logits: Vec::with_capacity(count),
            sh_degree,
            sh: Vec::with_capacity(count * k * 3),
        };
        for row in table.chunks_exact(columns) {
            let (position, row) = row.split_at(3);
            let (dc, row) = row.split_at(3);
            let (rest, row) = row.split_at(self.rest_count);
            let (opacity, row) = row.split_at(1);
            let (scale, rot) = row.split_at(3);

            splats.means.push([position[0], position[1], position[2]]);
            splats.sh.extend_from_slice(dc);
            for coeff in 1..k {
                for channel in 0..3 {
                    splats.sh.push(rest[channel * (k - 1) + (coeff - 1)]);
                }
            }
            splats.opacity_logits.push(opacity[0]);
            splats.log_scales.push([scale[0], scale[1], scale[2]]);
            splats.quats.push([rot[0], rot[1], rot[2], rot[3]]);
        }
        splats
    }
}
