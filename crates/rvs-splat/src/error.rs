use thiserror::Error;

/// Everything that can be wrong with a scene file, a scene in memory, or a reference render.
/// Messages name the offending field, property, splat index or byte count.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum SceneError {
    // --- PLY header ---
    #[error("not a PLY file: it must start with the line \"ply\"")]
    NotPly,
    #[error("unsupported PLY format \"{0}\": only binary_little_endian 1.0 and ascii 1.0 are read")]
    UnsupportedFormat(String),
    #[error(
        "PLY header has no \"end_header\" line in its first {limit} bytes; the header is too long or the file is not a PLY"
    )]
    HeaderTooLong { limit: usize },
    #[error("PLY header ends (file is {file_len} bytes) before any \"end_header\" line")]
    MissingEndHeader { file_len: usize },
    #[error("PLY header line {line}: {reason}")]
    MalformedHeader { line: usize, reason: String },
    #[error("PLY file has no \"element vertex\"")]
    MissingVertexElement,
    #[error("PLY vertex element has no property \"{0}\"")]
    MissingProperty(String),
    #[error(
        "PLY vertex element has {0} f_rest_* properties; expected 0, 9, 24 or 45 (SH degree 0, 1, 2 or 3)"
    )]
    UnsupportedShRestCount(usize),
    #[error(
        "PLY element \"{element}\" has list property \"{property}\", which cannot be skipped or read here"
    )]
    UnsupportedListProperty { element: String, property: String },

    // --- PLY body ---
    #[error(
        "PLY declares {count} vertices but only {present} bytes follow the header; the vertex count is corrupt"
    )]
    VertexCountAbsurd { count: u64, present: usize },
    #[error(
        "PLY body is truncated: {count} vertices × {stride} bytes need {expected} bytes after the header but {present} are present"
    )]
    TruncatedBody {
        count: u64,
        stride: usize,
        expected: u64,
        present: usize,
    },
    #[error("ASCII PLY body ends after {read} of {count} vertices")]
    AsciiBodyEnded { read: usize, count: usize },
    #[error("ASCII PLY vertex {index}: {reason}")]
    AsciiValue { index: usize, reason: String },
    #[error("splat {index}: property \"{property}\" is {value}, not a finite 32-bit float")]
    NonFiniteProperty {
        index: usize,
        property: String,
        value: f64,
    },

    // --- .splat ---
    #[error("scene file is empty (0 bytes); expected a .ply or .splat scene")]
    EmptySplatFile,
    #[error(
        ".splat file is {len} bytes, not a multiple of 32 bytes per splat ({remainder} bytes left over); \
         files that do not start with a \"ply\" line are read as .splat"
    )]
    SplatLengthNotMultiple { len: usize, remainder: usize },
    #[error(
        ".splat splat {index}: scale[{axis}] is {value}; linear scales must be finite and not negative"
    )]
    NegativeSplatScale {
        index: usize,
        axis: usize,
        value: f32,
    },

    // --- scene in memory ---
    #[error("scene field \"{field}\" has {actual} entries but {expected} were expected")]
    LengthMismatch {
        field: &'static str,
        expected: usize,
        actual: usize,
    },
    #[error("scene SH degree {0} is not supported; use 0, 1, 2 or 3")]
    InvalidShDegree(u32),
    #[error("splat {index}: {field} is not finite")]
    NonFinite { index: usize, field: String },
    #[error("splat {index}: rotation quaternion (rot_0..rot_3) is all zeros; it has no direction")]
    ZeroQuaternion { index: usize },
    #[error(
        "splat {index}: rotation quaternion {quat:?} cannot be normalized in 32-bit floats \
         (its squared length {squared_length} underflows to 0 or overflows)"
    )]
    QuaternionNotNormalizable {
        index: usize,
        quat: [f32; 4],
        squared_length: f32,
    },
    #[error(
        "splat {index}: log_scale[{axis}] is {value}; the scale exp({value}) squared overflows \
         32-bit floats (log scales must be at most {max})"
    )]
    LogScaleTooLarge {
        index: usize,
        axis: usize,
        value: f32,
        max: f32,
    },

    // --- reference render ---
    #[error("render asks for SH degree {requested} but the scene only has degree {available}")]
    ShDegreeTooHigh { requested: u32, available: u32 },
    #[error("render size {width}×{height} is empty; width and height must be at least 1")]
    EmptyImage { width: u32, height: u32 },
    #[error("camera {field} contains a non-finite value")]
    NonFiniteCamera { field: &'static str },
}
