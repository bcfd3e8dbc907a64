//! Structured pruning for inference: whole attention heads and feed-forward units of the pose
//! branches' encoders go, least important first, leaving smaller dense matrices (no masks, so
//! the pruned model is faster, not just sparser). A head's importance is the Frobenius norm of
//! its value projection times that of its rows of the output projection; a feed-forward unit's
//! is the norm of its input column (with bias) times that of its output row: a unit or head
//! whose output weights are zero scores 0 and goes first, without changing any prediction.
//! Weights are read to the CPU once and the kept parts uploaded again.

use burn::module::Param;
use burn::tensor::{Device, Tensor, TensorData};

use crate::encoder::EncoderLayer;
use crate::layers::TokenLinear;
use crate::model::PoseRegressor;
use crate::trainer::read;

/// A [rows, cols] row-major matrix on the CPU.
struct Matrix {
    rows: usize,
    cols: usize,
    values: Vec<f32>,
}

impl Matrix {
    async fn read(t: Tensor<2>) -> Result<Self, String> {
        let [rows, cols] = t.dims();
        Ok(Self { rows, cols, values: read(t.reshape([rows * cols])).await? })
    }

    fn at(&self, r: usize, c: usize) -> f32 {
        self.values[r * self.cols + c]
    }

    fn columns(&self, keep: &[usize]) -> Self {
        let values = (0..self.rows).flat_map(|r| keep.iter().map(move |&c| (r, c))).map(|(r, c)| self.at(r, c)).collect();
        Self { rows: self.rows, cols: keep.len(), values }
    }

    fn rows(&self, keep: &[usize]) -> Self {
        let values = keep.iter().flat_map(|&r| self.values[r * self.cols..(r + 1) * self.cols].iter().copied()).collect();
        Self { rows: keep.len(), cols: self.cols, values }
    }

    fn tensor(self, device: &Device) -> Param<Tensor<2>> {
        Param::from_tensor(Tensor::from_data(TensorData::new(self.values, [self.rows, self.cols]), device))
    }
}

fn squared(values: impl Iterator<Item = f32>) -> f32 {
    values.map(|v| v * v).sum()
}

/// The `count` highest-scoring indices, in ascending order (ties keep the lower index).
fn strongest(scores: &[f32], count: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    let mut kept = order[..count].to_vec();
    kept.sort_unstable();
    kept
}

fn kept(total: usize, keep: f64) -> usize {
    ((total as f64 * keep).round() as usize).clamp(1, total)
}

async fn linear(l: &TokenLinear) -> Result<(Matrix, Vec<f32>), String> {
    Ok((Matrix::read(l.weight.val()).await?, read(l.bias.val()).await?))
}

fn token_linear(weight: Matrix, bias: Vec<f32>, device: &Device) -> TokenLinear {
    let n = bias.len();
    TokenLinear { weight: weight.tensor(device), bias: Param::from_tensor(Tensor::from_data(TensorData::new(bias, [n]), device)) }
}

async fn prune_layer(layer: EncoderLayer, keep: f64) -> Result<EncoderLayer, String> {
    let device = layer.qkv.weight.device();
    let (h, dh) = (layer.heads, layer.head_dim);
    let inner = h * dh;

    let (qkv, qkv_bias) = linear(&layer.qkv).await?;
    let (out, out_bias) = linear(&layer.attention_out).await?;
    let head_scores: Vec<f32> = (0..h)
        .map(|head| {
            let v_cols = (2 * inner + head * dh)..(2 * inner + (head + 1) * dh);
            let value = squared((0..qkv.rows).flat_map(|r| v_cols.clone().map(move |c| (r, c))).map(|(r, c)| qkv.at(r, c)))
                + squared(v_cols.clone().map(|c| qkv_bias[c]));
            let output = squared((head * dh..(head + 1) * dh).flat_map(|r| (0..out.cols).map(move |c| (r, c))).map(|(r, c)| out.at(r, c)));
            (value * output).sqrt()
        })
        .collect();
    let heads = strongest(&head_scores, kept(h, keep));
    let head_columns: Vec<usize> = heads.iter().flat_map(|&head| head * dh..(head + 1) * dh).collect();
    let qkv_columns: Vec<usize> = (0..3).flat_map(|part| head_columns.iter().map(move |&c| part * inner + c)).collect();

    let (ff_in, ff_in_bias) = linear(&layer.ff_in).await?;
    let (ff_out, ff_out_bias) = linear(&layer.ff_out).await?;
    let unit_scores: Vec<f32> = (0..ff_in.cols)
        .map(|u| {
            let input = squared((0..ff_in.rows).map(|r| ff_in.at(r, u))) + ff_in_bias[u] * ff_in_bias[u];
            let output = squared((0..ff_out.cols).map(|c| ff_out.at(u, c)));
            (input * output).sqrt()
        })
        .collect();
    let units = strongest(&unit_scores, kept(ff_in.cols, keep));

    Ok(EncoderLayer {
        qkv: token_linear(qkv.columns(&qkv_columns), qkv_columns.iter().map(|&c| qkv_bias[c]).collect(), &device),
        attention_out: token_linear(out.rows(&head_columns), out_bias, &device),
        ff_in: token_linear(ff_in.columns(&units), units.iter().map(|&u| ff_in_bias[u]).collect(), &device),
        ff_out: token_linear(ff_out.rows(&units), ff_out_bias, &device),
        heads: heads.len(),
        head_dim: dh,
    })
}

/// Keeps `keep` (0 < keep ≤ 1) of the heads and of the feed-forward units of every encoder
/// layer (rounded, at least one). For an inference model (`valid()`, folded or not).
pub async fn prune_encoders(mut model: PoseRegressor, keep: f64) -> Result<PoseRegressor, String> {
    if !(keep > 0.0 && keep <= 1.0) {
        return Err(format!("pruning keeps a fraction in (0, 1] of each encoder's heads and units, got {keep}"));
    }
    if keep == 1.0 {
        return Ok(model);
    }
    for branch in [&mut model.rotation, &mut model.translation] {
        let mut layers = Vec::with_capacity(branch.encoder.layers.len());
        for layer in std::mem::take(&mut branch.encoder.layers) {
            layers.push(prune_layer(layer, keep).await?);
        }
        branch.encoder.layers = layers;
    }
    Ok(model)
}
