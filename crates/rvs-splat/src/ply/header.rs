//! The PLY header: format, elements and their properties, and where the body starts.

use crate::error::SceneError;

/// Headers of real splat files are a few KiB; past this we are reading something else.
pub const MAX_HEADER_BYTES: usize = 64 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    BinaryLittleEndian,
    Ascii,
}

/// PLY scalar types, by their size and how to widen them to f64.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarType {
    I8,
    U8,
    I16,
    U16,
    I32,
    U32,
    F32,
    F64,
}

impl ScalarType {
    /// Accepts both the classic names (`float`) and the sized ones (`float32`).
    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "char" | "int8" => Self::I8,
            "uchar" | "uint8" => Self::U8,
            "short" | "int16" => Self::I16,
            "ushort" | "uint16" => Self::U16,
            "int" | "int32" => Self::I32,
            "uint" | "uint32" => Self::U32,
            "float" | "float32" => Self::F32,
            "double" | "float64" => Self::F64,
            _ => return None,
        })
    }

    pub fn size(self) -> usize {
        match self {
            Self::I8 | Self::U8 => 1,
            Self::I16 | Self::U16 => 2,
            Self::I32 | Self::U32 | Self::F32 => 4,
            Self::F64 => 8,
        }
    }

    /// Reads one little-endian value from the start of `bytes` (which holds at least `size()`).
    pub fn read_le(self, bytes: &[u8]) -> f64 {
        fn take<const N: usize>(bytes: &[u8]) -> [u8; N] {
            bytes[..N]
                .try_into()
                .expect("caller checked the row length")
        }
        match self {
            Self::I8 => f64::from(i8::from_le_bytes(take(bytes))),
            Self::U8 => f64::from(bytes[0]),
            Self::I16 => f64::from(i16::from_le_bytes(take(bytes))),
            Self::U16 => f64::from(u16::from_le_bytes(take(bytes))),
            Self::I32 => f64::from(i32::from_le_bytes(take(bytes))),
            Self::U32 => f64::from(u32::from_le_bytes(take(bytes))),
            Self::F32 => f64::from(f32::from_le_bytes(take(bytes))),
            Self::F64 => f64::from_le_bytes(take(bytes)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PropertyKind {
    Scalar(ScalarType),
    /// `property list <count type> <item type> name`: variable length, so binary rows
    /// holding one have no fixed stride.
    List,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Property {
    pub name: String,
    pub kind: PropertyKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    pub name: String,
    pub count: u64,
    pub properties: Vec<Property>,
}

impl Element {
    /// Bytes per binary row, or `Err` naming the list property that makes it variable.
    pub fn binary_stride(&self) -> Result<usize, SceneError> {
        let mut stride = 0;
        for property in &self.properties {
            match property.kind {
                PropertyKind::Scalar(ty) => stride += ty.size(),
                PropertyKind::List => {
                    return Err(SceneError::UnsupportedListProperty {
                        element: self.name.clone(),
                        property: property.name.clone(),
                    });
                }
            }
        }
        Ok(stride)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub format: Format,
    pub elements: Vec<Element>,
    /// Byte offset of the first body byte (just after the `end_header` line).
    pub body_offset: usize,
}

/// Parses the header, refusing non-PLY input and headers without an `end_header`
/// in the first [`MAX_HEADER_BYTES`] before looking at any line's meaning.
pub fn parse_header(bytes: &[u8]) -> Result<Header, SceneError> {
    if !(bytes.starts_with(b"ply\n") || bytes.starts_with(b"ply\r\n")) {
        return Err(SceneError::NotPly);
    }
    let (lines, body_offset) = header_lines(bytes)?;

    let mut format = None;
    let mut elements: Vec<Element> = Vec::new();
    // Line 1 is "ply"; numbering from 1 matches what an editor shows.
    for (line_index, line) in lines.iter().enumerate().skip(1) {
        let line_number = line_index + 1;
        let malformed = |reason: String| SceneError::MalformedHeader {
            line: line_number,
            reason,
        };
        let words: Vec<&str> = line.split_ascii_whitespace().collect();
        match words.as_slice() {
            [] => {}
            ["comment" | "obj_info", ..] => {}
            ["format", name, version] => {
                format = Some(match (*name, *version) {
                    ("binary_little_endian", "1.0") => Format::BinaryLittleEndian,
                    ("ascii", "1.0") => Format::Ascii,
                    _ => return Err(SceneError::UnsupportedFormat(format!("{name} {version}"))),
                });
            }
            ["element", name, count] => {
                let count = count.parse::<u64>().map_err(|_| {
                    malformed(format!(
                        "element \"{name}\" count \"{count}\" is not a whole number"
                    ))
                })?;
                elements.push(Element {
                    name: name.to_string(),
                    count,
                    properties: Vec::new(),
                });
            }
            ["property", rest @ ..] => {
                let element = elements
                    .last_mut()
                    .ok_or_else(|| malformed("property appears before any element".to_string()))?;
                let property = match rest {
                    ["list", count_ty, item_ty, name] => {
                        for ty in [count_ty, item_ty] {
                            ScalarType::parse(ty).ok_or_else(|| {
                                malformed(format!("unknown property type \"{ty}\""))
                            })?;
                        }
                        Property {
                            name: name.to_string(),
                            kind: PropertyKind::List,
                        }
                    }
                    [ty, name] => {
                        let ty = ScalarType::parse(ty).ok_or_else(|| {
                            malformed(format!("unknown property type \"{ty}\" for \"{name}\""))
                        })?;
                        Property {
                            name: name.to_string(),
                            kind: PropertyKind::Scalar(ty),
                        }
                    }
                    _ => return Err(malformed(format!("cannot read property line \"{line}\""))),
                };
                element.properties.push(property);
            }
            _ => return Err(malformed(format!("unexpected header line \"{line}\""))),
        }
    }
    let format = format.ok_or(SceneError::MalformedHeader {
        line: lines.len(),
        reason: "no \"format\" line before end_header".to_string(),
    })?;
    Ok(Header {
        format,
        elements,
        body_offset,
    })
}

/// Splits the header into text lines (without `end_header`) and finds the body offset.
/// `end_header` is found before any line is decoded, so a binary PLY that lacks it says
/// so rather than that some body bytes are "not ASCII text".
fn header_lines(bytes: &[u8]) -> Result<(Vec<&str>, usize), SceneError> {
    let searched = &bytes[..bytes.len().min(MAX_HEADER_BYTES)];
    let mut raw_lines = Vec::new();
    let mut start = 0;
    let mut body_offset = None;
    while start < searched.len() {
        let (end, next) = match searched[start..].iter().position(|&b| b == b'\n') {
            Some(n) => (start + n, start + n + 1),
            // A last line without a newline only counts if the whole file was searched.
            None if searched.len() == bytes.len() => (searched.len(), searched.len()),
            None => break,
        };
        let raw = &searched[start..end];
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if std::str::from_utf8(raw).is_ok_and(|line| line.trim_end() == "end_header") {
            body_offset = Some(next);
            break;
        }
        raw_lines.push(raw);
        start = next;
    }
    let Some(body_offset) = body_offset else {
        return Err(if bytes.len() > MAX_HEADER_BYTES {
            SceneError::HeaderTooLong {
                limit: MAX_HEADER_BYTES,
            }
        } else {
            SceneError::MissingEndHeader {
                file_len: bytes.len(),
            }
        });
    };
    let lines = raw_lines
        .into_iter()
        .enumerate()
        .map(|(index, raw)| {
            std::str::from_utf8(raw).map_err(|_| SceneError::MalformedHeader {
                line: index + 1,
                reason: "header line is not ASCII text".to_string(),
            })
        })
        .collect::<Result<_, _>>()?;
    Ok((lines, body_offset))
}
