//! The PLY body: reads the vertex properties we use into a flat f32 table, one row per
//! vertex and one column per [`Field`], in the order the caller asked for them.
//! Sizes are checked against the bytes present before anything is allocated.

use super::header::{Element, Format, Header, PropertyKind, ScalarType};
use crate::error::SceneError;

/// One property the scene needs, located inside a vertex row.
#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub ty: ScalarType,
    /// Byte offset inside a binary row.
    pub offset: usize,
    /// Position among the values of an ASCII row.
    pub column: usize,
}

/// Finds each wanted property in `vertex`, in the order given.
pub fn locate_fields(vertex: &Element, wanted: &[String]) -> Result<Vec<Field>, SceneError> {
    wanted
        .iter()
        .map(|name| {
            let mut offset = 0;
            for (column, property) in vertex.properties.iter().enumerate() {
                let size = match property.kind {
                    PropertyKind::Scalar(ty) => ty.size(),
                    // Only matters for binary, where vertex_table refuses lists anyway.
                    PropertyKind::List => 0,
                };
                if &property.name == name {
                    return match property.kind {
                        PropertyKind::Scalar(ty) => Ok(Field {
                            name: name.clone(),
                            ty,
                            offset,
                            column,
                        }),
                        PropertyKind::List => Err(SceneError::UnsupportedListProperty {
                            element: vertex.name.clone(),
                            property: name.clone(),
                        }),
                    };
                }
                offset += size;
            }
            Err(SceneError::MissingProperty(name.clone()))
        })
        .collect()
}

/// Reads `fields` of every vertex into a row-major `[count, fields.len()]` table.
pub fn vertex_table(
    header: &Header,
    bytes: &[u8],
    vertex_index: usize,
    fields: &[Field],
) -> Result<Vec<f32>, SceneError> {
    let body = &bytes[header.body_offset..];
    let preceding = &header.elements[..vertex_index];
    let vertex = &header.elements[vertex_index];
    match header.format {
        Format::BinaryLittleEndian => binary_table(body, preceding, vertex, fields),
        Format::Ascii => ascii_table(body, preceding, vertex, fields),
    }
}

fn binary_table(
    body: &[u8],
    preceding: &[Element],
    vertex: &Element,
    fields: &[Field],
) -> Result<Vec<f32>, SceneError> {
    let mut skip: u64 = 0;
    for element in preceding {
        let stride = element.binary_stride()?;
        // Counts come from the file: every step is checked, so a count near u64::MAX is
        // a truncation error, not an overflow (found by the `ply` fuzz target).
        let end = element
            .count
            .checked_mul(stride as u64)
            .and_then(|n| skip.checked_add(n))
            .filter(|&end| end <= body.len() as u64);
        match end {
            Some(end) => skip = end,
            None => return Err(truncated(element.count, stride, body.len() - skip as usize)),
        }
    }
    let rows = &body[skip as usize..];
    let stride = vertex.binary_stride()?;
    // Even one byte per vertex would not fit: the count itself is wrong, not the download.
    if vertex.count > rows.len() as u64 {
        return Err(SceneError::VertexCountAbsurd {
            count: vertex.count,
            present: rows.len(),
        });
    }
    let fits = vertex
        .count
        .checked_mul(stride as u64)
        .is_some_and(|needed| needed <= rows.len() as u64);
    if !fits {
        return Err(truncated(vertex.count, stride, rows.len()));
    }

    let count = vertex.count as usize;
    let mut table = Vec::with_capacity(count * fields.len());
    for (index, row) in rows.chunks_exact(stride).take(count).enumerate() {
        for field in fields {
            let value = field.ty.read_le(&row[field.offset..]);
            table.push(finite_f32(value, index, &field.name)?);
        }
    }
    Ok(table)
}

fn truncated(count: u64, stride: usize, present: usize) -> SceneError {
    SceneError::TruncatedBody {
        count,
        stride,
        expected: count.saturating_mul(stride as u64),
        present,
    }
}

fn ascii_table(
    body: &[u8],
    preceding: &[Element],
    vertex: &Element,
    fields: &[Field],
) -> Result<Vec<f32>, SceneError> {
    // Every row needs at least one digit and a newline; fewer bytes than that means the
    // count is corrupt. The table grows as rows parse, so the count never sizes an allocation.
    if vertex.count > body.len() as u64 / 2 {
        return Err(SceneError::VertexCountAbsurd {
            count: vertex.count,
            present: body.len(),
        });
    }
    let count = vertex.count as usize;

    let mut lines = body
        .split(|&b| b == b'\n')
        .map(|line| line.trim_ascii())
        .filter(|line| !line.is_empty());
    // Elements before the vertices have one line per entry; their content is irrelevant.
    // Their counts come from the file, so they are summed without overflowing (a sum past
    // u64::MAX cannot be present anyway and ends in AsciiBodyEnded; found by fuzzing).
    let skip: u64 = preceding
        .iter()
        .fold(0u64, |sum, e| sum.saturating_add(e.count));
    for _ in 0..skip {
        if lines.next().is_none() {
            return Err(SceneError::AsciiBodyEnded { read: 0, count });
        }
    }

    let mut table = Vec::new();
    let mut values = Vec::with_capacity(vertex.properties.len());
    for index in 0..count {
        let line = lines
            .next()
            .ok_or(SceneError::AsciiBodyEnded { read: index, count })?;
        let text = std::str::from_utf8(line).map_err(|_| SceneError::AsciiValue {
            index,
            reason: "line is not ASCII text".to_string(),
        })?;
        values.clear();
        values.extend(text.split_ascii_whitespace());
        if values.len() != vertex.properties.len() {
            return Err(SceneError::AsciiValue {
                index,
                reason: format!(
                    "has {} values but the vertex element declares {} properties",
                    values.len(),
                    vertex.properties.len()
                ),
            });
        }
        for field in fields {
            let token = values[field.column];
            let value = token.parse::<f64>().map_err(|_| SceneError::AsciiValue {
                index,
                reason: format!(
                    "property \"{}\" value \"{token}\" is not a number",
                    field.name
                ),
            })?;
            table.push(finite_f32(value, index, &field.name)?);
        }
    }
    Ok(table)
}

/// Narrows to f32, refusing NaN, infinities and doubles beyond the f32 range.
fn finite_f32(value: f64, index: usize, property: &str) -> Result<f32, SceneError> {
    let narrowed = value as f32;
    if narrowed.is_finite() {
        Ok(narrowed)
    } else {
        Err(SceneError::NonFiniteProperty {
            index,
            property: property.to_string(),
            value,
        })
    }
}
