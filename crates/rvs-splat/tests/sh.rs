//! The SH basis checked against an independent formulation: gsplat's CUDA
//! `sh_coeffs_to_color_fast`, which factors the polynomials differently and uses its
//! own constants (0.9461746957575601, 1.865881662950577, ...). Both must agree on the
//! unit sphere, so a wrong sign or constant in either shows up here.

use rvs_splat::sh::sh_basis;

fn gsplat_fast_basis(dir: [f32; 3]) -> [f64; 16] {
    let [x, y, z] = dir.map(f64::from);
    let mut out = [0.0; 16];
    out[0] = 0.2820947917738781;
    out[1] = -0.48860251190292 * y;
    out[2] = 0.48860251190292 * z;
    out[3] = -0.48860251190292 * x;
    let z2 = z * z;
    let f_tmp0b = -1.092548430592079 * z;
    let f_c1 = x * x - y * y;
    let f_s1 = 2.0 * x * y;
    out[6] = 0.9461746957575601 * z2 - 0.3153915652525201;
    out[7] = f_tmp0b * x;
    out[5] = f_tmp0b * y;
    out[8] = 0.5462742152960395 * f_c1;
    out[4] = 0.5462742152960395 * f_s1;
    let f_tmp0c = -2.285228997322329 * z2 + 0.4570457994644658;
    let f_tmp1b = 1.445305721320277 * z;
    let f_c2 = x * f_c1 - y * f_s1;
    let f_s2 = x * f_s1 + y * f_c1;
    out[12] = z * (1.865881662950577 * z2 - 1.119528997770346);
    out[13] = f_tmp0c * x;
    out[11] = f_tmp0c * y;
    out[14] = f_tmp1b * f_c1;
    out[10] = f_tmp1b * f_s1;
    out[15] = -0.5900435899266435 * f_c2;
    out[9] = -0.5900435899266435 * f_s2;
    out
}

#[test]
fn basis_matches_gsplat_fast_form_on_the_sphere() {
    let dirs: [[f32; 3]; 6] = [
        [0.0, 0.0, 1.0],
        [1.0, 0.0, 0.0],
        [0.0, -1.0, 0.0],
        [0.3, -0.5, 0.8],
        [-0.6, 0.64, -0.48],
        [0.1, 0.2, -0.97],
    ];
    for dir in dirs {
        let n = (dir[0] * dir[0] + dir[1] * dir[1] + dir[2] * dir[2]).sqrt();
        let dir = dir.map(|v| v / n);
        let ours = sh_basis(3, dir);
        let theirs = gsplat_fast_basis(dir);
        for k in 0..16 {
            assert!(
                (f64::from(ours[k]) - theirs[k]).abs() < 2e-6,
                "dir {dir:?} k {k}: {} vs {}",
                ours[k],
                theirs[k]
            );
        }
    }
}

#[test]
fn lower_degrees_are_prefixes() {
    let dir = [0.48, -0.6, 0.64];
    let full = sh_basis(3, dir);
    for degree in 0..3u32 {
        let count = ((degree + 1) * (degree + 1)) as usize;
        assert_eq!(sh_basis(degree, dir), full[..count]);
    }
}
