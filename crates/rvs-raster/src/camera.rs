use crate::uniforms::CameraGpu;
use crate::RasterError;

/// C cameras as the rasterizer takes them: `viewmats` [C, 4, 4] world→camera, OpenCV
/// axes, row-major; `ks` [C, 3, 3] row-major pinhole intrinsics.
#[derive(Clone, Debug)]
pub struct CameraBatch {
    pub(crate) cameras: Vec<CameraGpu>,
}

impl CameraBatch {
    pub fn new(viewmats: &[f32], ks: &[f32]) -> Result<Self, RasterError> {
        if viewmats.len() % 16 != 0 {
            return Err(RasterError::Settings(format!("viewmats has {} numbers; it must hold 16 per camera (4×4 row-major)", viewmats.len())));
        }
        let count = viewmats.len() / 16;
        if ks.len() != count * 9 {
            return Err(RasterError::Settings(format!(
                "Ks has {} numbers but viewmats holds {count} camera(s), which need {} (3×3 row-major each)",
                ks.len(),
                count * 9
            )));
        }
        if count == 0 {
            return Err(RasterError::Settings("no cameras: viewmats is empty".into()));
        }
        let cameras = (0..count)
            .map(|i| camera_gpu(i, &viewmats[i * 16..i * 16 + 16], &ks[i * 9..i * 9 + 9]))
            .collect::<Result<_, _>>()?;
        Ok(Self { cameras })
    }

    pub fn len(&self) -> usize {
        self.cameras.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cameras.is_empty()
    }

    pub(crate) fn slice(&self, start: usize, end: usize) -> &[CameraGpu] {
        &self.cameras[start..end]
    }
}

fn camera_gpu(index: usize, m: &[f32], k: &[f32]) -> Result<CameraGpu, RasterError> {
    let fail = |problem: String| RasterError::Camera { index, problem };
    // Name the matrix, row and column, so the caller can find the value in its C·16 or C·9 array.
    for (name, values, cols) in [("viewmat", m, 4), ("K", k, 3)] {
        if let Some(i) = values.iter().position(|v| !v.is_finite()) {
            return Err(fail(format!(
                "non-finite value {} in its {name} at row {}, column {}",
                values[i],
                i / cols,
                i % cols
            )));
        }
    }
    if m[12] != 0.0 || m[13] != 0.0 || m[14] != 0.0 || (m[15] - 1.0).abs() > 1e-5 {
        return Err(fail(format!("viewmat's last row is [{}, {}, {}, {}], expected [0, 0, 0, 1]", m[12], m[13], m[14], m[15])));
    }
    let r = |i: usize, j: usize| f64::from(m[i * 4 + j]);
    // RRᵀ = I within float noise: a scaled or sheared "rotation" would silently warp the render.
    for i in 0..3 {
        for j in 0..3 {
            let dot: f64 = (0..3).map(|c| r(i, c) * r(j, c)).sum();
            let want = if i == j { 1.0 } else { 0.0 };
            if (dot - want).abs() > 1e-3 {
                return Err(fail(format!("viewmat rotation is not orthonormal (row {i}·row {j} = {dot:.5}, expected {want})")));
            }
        }
    }
    let (fx, fy, cx, cy) = (k[0], k[4], k[2], k[5]);
    if fx <= 0.0 || fy <= 0.0 {
        return Err(fail(format!("focal lengths must be positive, got fx={fx}, fy={fy}")));
    }
    // Camera centre = -Rᵀ t.
    let t = [r(0, 3), r(1, 3), r(2, 3)];
    let centre: Vec<f32> = (0..3).map(|c| -(0..3).map(|i| r(i, c) * t[i]).sum::<f64>() as f32).collect();
    Ok(CameraGpu {
        rows: [[m[0], m[1], m[2], m[3]], [m[4], m[5], m[6], m[7]], [m[8], m[9], m[10], m[11]]],
        focal_center: [fx, fy, cx, cy],
        position: [centre[0], centre[1], centre[2], 0.0],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDENTITY: [f32; 16] = [1., 0., 0., 0., 0., 1., 0., 0., 0., 0., 1., 0., 0., 0., 0., 1.];
    const K: [f32; 9] = [100., 0., 32., 0., 100., 24., 0., 0., 1.];

    #[test]
    fn camera_centre_is_minus_r_transpose_t() {
        // Camera at world (1, 2, 3) looking down +z: t = -c.
        let mut m = IDENTITY;
        m[3] = -1.0;
        m[7] = -2.0;
        m[11] = -3.0;
        let batch = CameraBatch::new(&m, &K).unwrap();
        assert_eq!(batch.cameras[0].position, [1.0, 2.0, 3.0, 0.0]);
    }

    #[test]
    fn bad_cameras_are_named() {
        let mut m = IDENTITY;
        m[0] = 2.0;
        let e = CameraBatch::new(&m, &K).unwrap_err().to_string();
        assert!(e.contains("camera 0") && e.contains("not orthonormal"), "{e}");
        let mut m = IDENTITY;
        m[5] = f32::NAN;
        let e = CameraBatch::new(&m, &K).unwrap_err().to_string();
        assert!(e.contains("non-finite value NaN in its viewmat at row 1, column 1"), "{e}");
        let mut k = K;
        k[2] = f32::INFINITY;
        let e = CameraBatch::new(&IDENTITY, &k).unwrap_err().to_string();
        assert!(e.contains("non-finite value inf in its K at row 0, column 2"), "{e}");
        assert!(CameraBatch::new(&IDENTITY, &K[..8]).unwrap_err().to_string().contains("Ks has 8 numbers"));
        let mut k = K;
        k[0] = 0.0;
        assert!(CameraBatch::new(&IDENTITY, &k).unwrap_err().to_string().contains("focal lengths"));
    }
}
