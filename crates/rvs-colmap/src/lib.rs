//! COLMAP sparse models in the binary format (`cameras.bin`, `images.bin`, `points3D.bin`),
//! little-endian as COLMAP's `WriteBinaryLittleEndian` writes them. The readers check every
//! length before reading, refuse header counts that cannot fit in the bytes that follow before
//! allocating for them, and name the file, the record and the byte in every error
//! ([`ColmapError`]). `@rvs/core` calls them through the raster WASM; `fuzz/` fuzzes them.

mod error;
mod models;
mod reader;
mod write;

use std::collections::BTreeSet;

pub use error::{ColmapError, Problem};
pub use models::{CAMERA_MODELS, CameraModel, model_by_id};
pub use reader::MAX_SAFE_INTEGER;
pub use write::{write_cameras, write_images, write_points3d};

use reader::Reader;

/// Smallest possible record of each file, used to check header counts before allocating:
/// camera id, model id, width, height (params come on top); image id, qvec, tvec, camera id,
/// an empty name's NUL, point count; point id, xyz, rgb, error, track length.
pub const MIN_CAMERA_BYTES: u64 = 4 + 4 + 8 + 8;
pub const MIN_IMAGE_BYTES: u64 = 4 + 4 * 8 + 3 * 8 + 4 + 1 + 8;
pub const MIN_POINT_BYTES: u64 = 8 + 3 * 8 + 3 + 8 + 8;
/// Bytes of one 2D point of an image (f64 x, f64 y, i64 point3D id) and of one track entry of
/// a 3D point (i32 image id, i32 point2D index); both are skipped.
pub const POINT2D_BYTES: u64 = 24;
pub const TRACK_ENTRY_BYTES: u64 = 8;

/// A camera of cameras.bin.
#[derive(Debug, Clone, PartialEq)]
pub struct Camera {
    pub id: u32,
    pub model: &'static CameraModel,
    pub width: u64,
    pub height: u64,
    /// `model.params.len()` values in the model's order.
    pub params: Vec<f64>,
}

/// An image of images.bin; its 2D points are skipped.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    pub id: u32,
    /// World-to-camera rotation `[w, x, y, z]`.
    pub qvec: [f64; 4],
    /// World-to-camera translation.
    pub tvec: [f64; 3],
    pub camera_id: u32,
    /// Image path relative to the images directory.
    pub name: String,
}

/// The points of points3D.bin, flat: `[N, 3]` positions, `[N, 3]` colours, `[N]` errors.
/// Point ids and tracks are skipped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Points {
    pub xyz: Vec<f64>,
    pub rgb: Vec<u8>,
    pub error: Vec<f64>,
}

impl Points {
    pub fn len(&self) -> usize {
        self.error.len()
    }

    pub fn is_empty(&self) -> bool {
        self.error.is_empty()
    }
}

/// Parses cameras.bin: u64 count, then per camera u32 id, i32 model id, u64 width, u64 height,
/// f64 × (the model's parameter count). Cameras come back in file order. `file` names the file
/// in errors.
///
/// # Errors
/// Truncation, an unknown model id, a duplicate camera id, a u64 above 2^53 − 1, a count that
/// cannot fit, or bytes left over.
pub fn parse_cameras(data: &[u8], file: &str) -> Result<Vec<Camera>, ColmapError> {
    let mut r = Reader::new(data, file);
    let count = r.u64(format_args!("camera count"))?;
    let n = r.check_count(count, MIN_CAMERA_BYTES, "cameras")?;
    let mut cameras = Vec::with_capacity(n);
    let mut ids = BTreeSet::new();
    for i in 0..n {
        let at = r.position();
        let id = r.u32(format_args!("camera {i} id"))?;
        let model_at = r.position();
        let model_id = r.i32(format_args!("camera {id} model id"))?;
        let model = model_by_id(model_id).ok_or_else(|| {
            r.error(Problem::UnknownModel {
                camera: id,
                model_id,
                at: model_at,
            })
        })?;
        let width = r.u64(format_args!("camera {id} width"))?;
        let height = r.u64(format_args!("camera {id} height"))?;
        let mut params = Vec::with_capacity(model.params.len());
        r.f64s_into(
            model.params.len(),
            &mut params,
            format_args!("camera {id} params"),
        )?;
        if !ids.insert(id) {
            return Err(r.error(Problem::DuplicateCamera { camera: id, at }));
        }
        cameras.push(Camera {
            id,
            model,
            width,
            height,
            params,
        });
    }
    r.expect_end(count, "cameras")?;
    Ok(cameras)
}

/// Parses images.bin: u64 count, then per image u32 id, f64 × 4 qvec, f64 × 3 tvec, u32 camera
/// id, NUL-terminated UTF-8 name, u64 point count and that many (f64 x, f64 y, i64 point3D id),
/// skipped. Images come back in file order.
///
/// # Errors
/// Truncation, an unterminated or non-UTF-8 name, a u64 above 2^53 − 1, a count that cannot
/// fit, or bytes left over.
pub fn parse_images(data: &[u8], file: &str) -> Result<Vec<Image>, ColmapError> {
    let mut r = Reader::new(data, file);
    let count = r.u64(format_args!("image count"))?;
    let n = r.check_count(count, MIN_IMAGE_BYTES, "images")?;
    let mut images = Vec::with_capacity(n);
    for i in 0..n {
        let id = r.u32(format_args!("image {i} id"))?;
        let qvec = r.f64s(format_args!("image {id} qvec"))?;
        let tvec = r.f64s(format_args!("image {id} tvec"))?;
        let camera_id = r.u32(format_args!("image {id} camera id"))?;
        let name = r.cstring(format_args!("image {id} name"))?.to_owned();
        let points = r.u64(format_args!("image {id} point count"))?;
        r.skip(
            points,
            POINT2D_BYTES,
            format_args!("2D points of image {id}"),
        )?;
        images.push(Image {
            id,
            qvec,
            tvec,
            camera_id,
            name,
        });
    }
    r.expect_end(count, "images")?;
    Ok(images)
}

/// Parses points3D.bin: u64 count, then per point u64 id, f64 × 3 xyz, u8 × 3 rgb, f64 error,
/// u64 track length and that many (i32 image id, i32 point2D index), skipped.
///
/// # Errors
/// Truncation, a u64 above 2^53 − 1, a count that cannot fit, or bytes left over.
pub fn parse_points3d(data: &[u8], file: &str) -> Result<Points, ColmapError> {
    let mut r = Reader::new(data, file);
    let count = r.u64(format_args!("point count"))?;
    let n = r.check_count(count, MIN_POINT_BYTES, "points")?;
    let mut points = Points {
        xyz: Vec::with_capacity(3 * n),
        rgb: Vec::with_capacity(3 * n),
        error: Vec::with_capacity(n),
    };
    for i in 0..n {
        r.u64(format_args!("point {i} id"))?;
        r.f64s_into(3, &mut points.xyz, format_args!("point {i} xyz"))?;
        points.rgb.push(r.u8(format_args!("point {i} red"))?);
        points.rgb.push(r.u8(format_args!("point {i} green"))?);
        points.rgb.push(r.u8(format_args!("point {i} blue"))?);
        points.error.push(r.f64(format_args!("point {i} error"))?);
        let track = r.u64(format_args!("point {i} track length"))?;
        r.skip(
            track,
            TRACK_ENTRY_BYTES,
            format_args!("track entries of point {i}"),
        )?;
    }
    r.expect_end(count, "points")?;
    Ok(points)
}
