//! The COLMAP binary readers of `rvs-colmap` for `@rvs/core` (`parseColmap*Binary`). They
//! need no GPU. Results are column handles (typed arrays per field) that JS reads once and frees.

use rvs_colmap::{Camera, Image, Points};
use wasm_bindgen::prelude::*;

use crate::convert::js_error;

/// cameras.bin, in file order.
#[wasm_bindgen]
pub struct WasmColmapCameras {
    cameras: Vec<Camera>,
}

#[wasm_bindgen]
impl WasmColmapCameras {
    #[wasm_bindgen(getter)]
    pub fn ids(&self) -> Vec<u32> {
        self.cameras.iter().map(|c| c.id).collect()
    }

    /// COLMAP model ids (`COLMAP_CAMERA_MODELS` in `@rvs/core`).
    #[wasm_bindgen(getter, js_name = modelIds)]
    pub fn model_ids(&self) -> Vec<i32> {
        self.cameras.iter().map(|c| c.model.id).collect()
    }

    /// Widths (at most 2^53 − 1, so exact as numbers).
    #[wasm_bindgen(getter)]
    pub fn widths(&self) -> Vec<f64> {
        self.cameras.iter().map(|c| c.width as f64).collect()
    }

    #[wasm_bindgen(getter)]
    pub fn heights(&self) -> Vec<f64> {
        self.cameras.iter().map(|c| c.height as f64).collect()
    }

    /// Every camera's parameters, one after another (each model's count of them).
    #[wasm_bindgen(getter)]
    pub fn params(&self) -> Vec<f64> {
        self.cameras
            .iter()
            .flat_map(|c| c.params.iter().copied())
            .collect()
    }
}

/// Parses cameras.bin; errors name `file`, the camera and the byte.
#[wasm_bindgen(js_name = parseColmapCameras)]
pub fn parse_colmap_cameras(data: &[u8], file: &str) -> Result<WasmColmapCameras, JsError> {
    let cameras = rvs_colmap::parse_cameras(data, file).map_err(js_error)?;
    Ok(WasmColmapCameras { cameras })
}

/// images.bin, in file order (2D points skipped).
#[wasm_bindgen]
pub struct WasmColmapImages {
    images: Vec<Image>,
}

#[wasm_bindgen]
impl WasmColmapImages {
    #[wasm_bindgen(getter)]
    pub fn ids(&self) -> Vec<u32> {
        self.images.iter().map(|i| i.id).collect()
    }

    #[wasm_bindgen(getter, js_name = cameraIds)]
    pub fn camera_ids(&self) -> Vec<u32> {
        self.images.iter().map(|i| i.camera_id).collect()
    }

    /// `[N, 4]` world-to-camera quaternions `w, x, y, z`.
    #[wasm_bindgen(getter)]
    pub fn qvecs(&self) -> Vec<f64> {
        self.images.iter().flat_map(|i| i.qvec).collect()
    }

    /// `[N, 3]` world-to-camera translations.
    #[wasm_bindgen(getter)]
    pub fn tvecs(&self) -> Vec<f64> {
        self.images.iter().flat_map(|i| i.tvec).collect()
    }

    #[wasm_bindgen(getter)]
    pub fn names(&self) -> Vec<String> {
        self.images.iter().map(|i| i.name.clone()).collect()
    }
}

/// Parses images.bin; errors name `file`, the image and the byte.
#[wasm_bindgen(js_name = parseColmapImages)]
pub fn parse_colmap_images(data: &[u8], file: &str) -> Result<WasmColmapImages, JsError> {
    let images = rvs_colmap::parse_images(data, file).map_err(js_error)?;
    Ok(WasmColmapImages { images })
}

/// points3D.bin (ids and tracks skipped).
#[wasm_bindgen]
pub struct WasmColmapPoints {
    points: Points,
}

#[wasm_bindgen]
impl WasmColmapPoints {
    /// `[N, 3]` positions.
    #[wasm_bindgen(getter)]
    pub fn xyz(&self) -> Vec<f64> {
        self.points.xyz.clone()
    }

    /// `[N, 3]` colours.
    #[wasm_bindgen(getter)]
    pub fn rgb(&self) -> Vec<u8> {
        self.points.rgb.clone()
    }

    /// `[N]` reprojection errors.
    #[wasm_bindgen(getter)]
    pub fn error(&self) -> Vec<f64> {
        self.points.error.clone()
    }
}

/// Parses points3D.bin; errors name `file`, the point and the byte.
#[wasm_bindgen(js_name = parseColmapPoints3D)]
pub fn parse_colmap_points3d(data: &[u8], file: &str) -> Result<WasmColmapPoints, JsError> {
    let points = rvs_colmap::parse_points3d(data, file).map_err(js_error)?;
    Ok(WasmColmapPoints { points })
}
