//! The few 3×3 operations projection needs. Matrices are row-major: `m[row][col]`.

pub type Vec3 = [f32; 3];
pub type Mat3 = [[f32; 3]; 3];

pub fn mat_mul(a: &Mat3, b: &Mat3) -> Mat3 {
    std::array::from_fn(|row| {
        std::array::from_fn(|col| (0..3).map(|i| a[row][i] * b[i][col]).sum())
    })
}

pub fn transpose(m: &Mat3) -> Mat3 {
    std::array::from_fn(|row| std::array::from_fn(|col| m[col][row]))
}

pub fn mat_vec(m: &Mat3, v: Vec3) -> Vec3 {
    std::array::from_fn(|row| m[row][0] * v[0] + m[row][1] * v[1] + m[row][2] * v[2])
}

pub fn normalize(v: Vec3) -> Vec3 {
    let inv = 1.0 / (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
    v.map(|c| c * inv)
}

/// Rotation matrix of the quaternion `[w, x, y, z]` after normalizing it (gsplat's
/// `quat_to_rotmat`).
pub fn quat_to_rotmat(quat: [f32; 4]) -> Mat3 {
    let inv_norm = 1.0 / quat.iter().map(|c| c * c).sum::<f32>().sqrt();
    let [w, x, y, z] = quat.map(|c| c * inv_norm);
    let (x2, y2, z2) = (x * x, y * y, z * z);
    let (xy, xz, yz) = (x * y, x * z, y * z);
    let (wx, wy, wz) = (w * x, w * y, w * z);
    [
        [1.0 - 2.0 * (y2 + z2), 2.0 * (xy - wz), 2.0 * (xz + wy)],
        [2.0 * (xy + wz), 1.0 - 2.0 * (x2 + z2), 2.0 * (yz - wx)],
        [2.0 * (xz - wy), 2.0 * (yz + wx), 1.0 - 2.0 * (x2 + y2)],
    ]
}
