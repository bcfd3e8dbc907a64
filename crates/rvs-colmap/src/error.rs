//! Errors of the binary readers: the file (as the caller named it) and what is wrong, with the
//! record and the byte offset where the reader stood.

/// A COLMAP binary file that cannot be read. Displays as `"{file}: {problem}"`, e.g.
/// `cameras.bin: camera 1 has unknown model id 99 at byte 12`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {problem}")]
pub struct ColmapError {
    /// The file name the caller passed (`cameras.bin` by default).
    pub file: String,
    pub problem: Problem,
}

/// What is wrong. `what` fields name the record and field, such as `camera 4 params[7]` or
/// `image 3 name` (records are named by their id once it has been read, by index before).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// Fewer bytes are left than the field needs.
    #[error("truncated at byte {at} reading {what} (needs {needs} bytes, {left} left)")]
    Truncated {
        at: usize,
        what: String,
        needs: u64,
        left: usize,
    },
    /// A u64 above 2^53 − 1: no real count, size or id is that large, and JavaScript numbers
    /// could not hold it exactly.
    #[error("{what} at byte {at} is {value}, too large to be real")]
    TooLarge { what: String, at: usize, value: u64 },
    /// The header's record count cannot fit in the bytes that follow (checked before
    /// allocating anything for the records).
    #[error("header claims {count} {records}, but the {left} bytes left cannot hold them")]
    CountTooLarge {
        count: u64,
        records: &'static str,
        left: usize,
    },
    /// A camera model id that is not one of [`crate::CAMERA_MODELS`].
    #[error("camera {camera} has unknown model id {model_id} at byte {at}")]
    UnknownModel {
        camera: u32,
        model_id: i32,
        at: usize,
    },
    /// Two cameras with one id.
    #[error("camera {camera} is defined twice (again at byte {at})")]
    DuplicateCamera { camera: u32, at: usize },
    /// A NUL-terminated string without its NUL.
    #[error("unterminated {what} starting at byte {at}")]
    Unterminated { what: String, at: usize },
    /// A string whose bytes are not UTF-8.
    #[error(
        "{what} starting at byte {at} is not valid UTF-8 (bad byte 0x{byte:02x} at byte {bad_at})"
    )]
    InvalidUtf8 {
        what: String,
        at: usize,
        bad_at: usize,
        byte: u8,
    },
    /// Bytes after the last record: the file is not what the header says.
    #[error("{left} bytes left over after {count} {records}")]
    LeftOver {
        left: usize,
        count: u64,
        records: &'static str,
    },
}

impl Problem {
    /// The byte offset the problem was found at, where there is one.
    pub fn byte(&self) -> Option<usize> {
        match self {
            Problem::Truncated { at, .. }
            | Problem::TooLarge { at, .. }
            | Problem::UnknownModel { at, .. }
            | Problem::DuplicateCamera { at, .. }
            | Problem::Unterminated { at, .. }
            | Problem::InvalidUtf8 { bad_at: at, .. } => Some(*at),
            Problem::CountTooLarge { .. } | Problem::LeftOver { .. } => None,
        }
    }
}
