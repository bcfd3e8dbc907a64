// Real spherical harmonics up to degree 3, the 3DGS/gsplat constants and order.
// Coefficients are stored transposed, [sh_stride * 3, num_splats], so neighbouring
// threads (neighbouring splats) read neighbouring words.

@group(0) @binding(3) var<storage, read> sh_coeffs_t: array<f32>;

fn sh_coeff(splat: u32, k: u32, num_splats: u32) -> vec3<f32> {
    let base = k * 3u * num_splats + splat;
    return vec3<f32>(sh_coeffs_t[base], sh_coeffs_t[base + num_splats], sh_coeffs_t[base + 2u * num_splats]);
}

fn sh_to_color(splat: u32, coeffs: u32, num_splats: u32, dir: vec3<f32>) -> vec3<f32> {
    var c = 0.28209479177387814 * sh_coeff(splat, 0u, num_splats);
    if (coeffs > 1u) {
        let x = dir.x;
        let y = dir.y;
        let z = dir.z;
        c += 0.4886025119029199 * (-y * sh_coeff(splat, 1u, num_splats) + z * sh_coeff(splat, 2u, num_splats) - x * sh_coeff(splat, 3u, num_splats));
        if (coeffs > 4u) {
            let xx = x * x;
            let yy = y * y;
            let zz = z * z;
            c += 1.0925484305920792 * x * y * sh_coeff(splat, 4u, num_splats)
                + -1.0925484305920792 * y * z * sh_coeff(splat, 5u, num_splats)
                + 0.31539156525252005 * (2.0 * zz - xx - yy) * sh_coeff(splat, 6u, num_splats)
                + -1.0925484305920792 * x * z * sh_coeff(splat, 7u, num_splats)
                + 0.5462742152960396 * (xx - yy) * sh_coeff(splat, 8u, num_splats);
            if (coeffs > 9u) {
                c += -0.5900435899266435 * y * (3.0 * xx - yy) * sh_coeff(splat, 9u, num_splats)
                    + 2.890611442640554 * x * y * z * sh_coeff(splat, 10u, num_splats)
                    + -0.4570457994644658 * y * (4.0 * zz - xx - yy) * sh_coeff(splat, 11u, num_splats)
                    + 0.3731763325901154 * z * (2.0 * zz - 3.0 * xx - 3.0 * yy) * sh_coeff(splat, 12u, num_splats)
                    + -0.4570457994644658 * x * (4.0 * zz - xx - yy) * sh_coeff(splat, 13u, num_splats)
                    + 1.445305721320277 * z * (xx - yy) * sh_coeff(splat, 14u, num_splats)
                    + -0.5900435899266435 * x * (xx - 3.0 * yy) * sh_coeff(splat, 15u, num_splats);
            }
        }
    }
    return max(c + 0.5, vec3<f32>(0.0));
}
