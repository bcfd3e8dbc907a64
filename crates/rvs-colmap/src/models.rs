//! COLMAP camera models: ids as cameras.bin stores them, names and parameter layouts
//! (src/colmap/sensor/models.h). `packages/core/src/dataset/colmap-camera.ts` holds the same
//! table; its tests check the two agree.

/// One camera model.
#[derive(Debug, PartialEq, Eq)]
pub struct CameraModel {
    pub id: i32,
    pub name: &'static str,
    pub params: &'static [&'static str],
}

const fn model(id: i32, name: &'static str, params: &'static [&'static str]) -> CameraModel {
    CameraModel { id, name, params }
}

/// The models the readers accept, indexed by id.
pub const CAMERA_MODELS: [CameraModel; 11] = [
    model(0, "SIMPLE_PINHOLE", &["f", "cx", "cy"]),
    model(1, "PINHOLE", &["fx", "fy", "cx", "cy"]),
    model(2, "SIMPLE_RADIAL", &["f", "cx", "cy", "k"]),
    model(3, "RADIAL", &["f", "cx", "cy", "k1", "k2"]),
    model(
        4,
        "OPENCV",
        &["fx", "fy", "cx", "cy", "k1", "k2", "p1", "p2"],
    ),
    model(
        5,
        "OPENCV_FISHEYE",
        &["fx", "fy", "cx", "cy", "k1", "k2", "k3", "k4"],
    ),
    model(
        6,
        "FULL_OPENCV",
        &[
            "fx", "fy", "cx", "cy", "k1", "k2", "p1", "p2", "k3", "k4", "k5", "k6",
        ],
    ),
    model(7, "FOV", &["fx", "fy", "cx", "cy", "omega"]),
    model(8, "SIMPLE_RADIAL_FISHEYE", &["f", "cx", "cy", "k"]),
    model(9, "RADIAL_FISHEYE", &["f", "cx", "cy", "k1", "k2"]),
    model(
        10,
        "THIN_PRISM_FISHEYE",
        &[
            "fx", "fy", "cx", "cy", "k1", "k2", "p1", "p2", "k3", "k4", "sx1", "sy1",
        ],
    ),
];

/// The model with this id, if COLMAP defines it.
pub fn model_by_id(id: i32) -> Option<&'static CameraModel> {
    usize::try_from(id).ok().and_then(|i| CAMERA_MODELS.get(i))
}
