//! The 6D rotation representation (Zhou et al. 2019): two 3-vectors, Gram–Schmidt to an
//! orthonormal frame whose columns are b1, b2, b3 = b1 × b2. Continuous, so it trains well.

use burn::tensor::Tensor;

/// Norms are floored so a zero 6D output gives a finite (if arbitrary) gradient, never NaN.
const EPS: f64 = 1e-8;

fn normalize(v: Tensor<2>) -> Tensor<2> {
    let norm = v.clone().powi_scalar(2).sum_dim(1).add_scalar(EPS).sqrt();
    v / norm
}

fn cross(a: Tensor<2>, b: Tensor<2>) -> Tensor<2> {
    let c = |t: &Tensor<2>, i: usize| t.clone().narrow(1, i, 1);
    Tensor::cat(
        vec![
            c(&a, 1) * c(&b, 2) - c(&a, 2) * c(&b, 1),
            c(&a, 2) * c(&b, 0) - c(&a, 0) * c(&b, 2),
            c(&a, 0) * c(&b, 1) - c(&a, 1) * c(&b, 0),
        ],
        1,
    )
}

/// [B, 6] → [B, 3, 3] rotation matrices (columns b1, b2, b3).
pub fn rotation_from_6d(r6: Tensor<2>) -> Tensor<3> {
    let [batch, _] = r6.dims();
    let b1 = normalize(r6.clone().narrow(1, 0, 3));
    let a2 = r6.narrow(1, 3, 3);
    let along = (b1.clone() * a2.clone()).sum_dim(1);
    let b2 = normalize(a2 - b1.clone() * along);
    let b3 = cross(b1.clone(), b2.clone());
    // Stack as columns: [B, 3 (row), 3 (column)].
    Tensor::cat(vec![b1.reshape([batch, 3, 1]), b2.reshape([batch, 3, 1]), b3.reshape([batch, 3, 1])], 2)
}

/// Inverse for targets and initialisation: the first two columns of R.
pub fn rotation_to_6d(r: Tensor<3>) -> Tensor<2> {
    let [batch, _, _] = r.dims();
    let c0 = r.clone().narrow(2, 0, 1).reshape([batch, 3]);
    let c1 = r.narrow(2, 1, 1).reshape([batch, 3]);
    Tensor::cat(vec![c0, c1], 1)
}
