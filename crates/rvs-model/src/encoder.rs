//! Pre-norm transformer encoder (RAP's: d_model, heads, d_ff, GELU, no dropout), written out
//! rather than Burn's `TransformerEncoder` so its parts use the kernel-friendly layers of
//! `layers.rs`: layer norms without affine parameters (the next linear layer absorbs them), one
//! fused Q/K/V projection, and biases inside the matmuls.

use burn::module::Module;
use burn::tensor::activation::{gelu, softmax};
use burn::tensor::{Device, Tensor};

use crate::layers::{TokenLinear, normalize_last};

pub const LAYER_NORM_EPSILON: f64 = 1e-5;

#[derive(Module, Debug)]
pub struct EncoderLayer {
    /// [d, 3d]: queries, keys and values of all heads.
    pub qkv: TokenLinear,
    pub attention_out: TokenLinear,
    pub ff_in: TokenLinear,
    pub ff_out: TokenLinear,
    pub heads: usize,
    /// d_model / heads at creation; stays when pruning removes heads (see `prune.rs`).
    pub head_dim: usize,
}

impl EncoderLayer {
    pub fn new(device: &Device, d_model: usize, d_ff: usize, heads: usize) -> Self {
        Self {
            qkv: TokenLinear::new(device, d_model, 3 * d_model),
            attention_out: TokenLinear::new(device, d_model, d_model),
            ff_in: TokenLinear::new(device, d_model, d_ff),
            ff_out: TokenLinear::new(device, d_ff, d_model),
            heads,
            head_dim: d_model / heads,
        }
    }

    /// `key_bias`: [1, 1, 1, T], added to every row of attention scores (−∞-like at padding).
    fn attention(&self, x: Tensor<3>, key_bias: Option<&Tensor<4>>) -> Tensor<3> {
        let (heads, head_dim) = (self.heads, self.head_dim);
        let qkv = self.qkv.forward(x);
        #[cfg(target_arch = "wasm32")]
        if key_bias.is_none() && fused_attention_runs(heads, head_dim) {
            return self.attention_out.forward(crate::kernels::fused_attention(qkv, heads, 0));
        }
        self.attention_out.forward(composed_attention(qkv, heads, head_dim, key_bias))
    }

    /// One pre-norm layer; `key_bias` as in `attention` (None: every token is a real one).
    pub fn forward(&self, x: Tensor<3>, key_bias: Option<&Tensor<4>>) -> Tensor<3> {
        let x = x.clone() + self.attention(normalize_last(x, LAYER_NORM_EPSILON), key_bias);
        let hidden = gelu(self.ff_in.forward(normalize_last(x.clone(), LAYER_NORM_EPSILON)));
        x + self.ff_out.forward(hidden)
    }
}

/// Multi-head attention from Burn's operations: `qkv` [B, T, 3·heads·head_dim] (queries, keys,
/// values of every head) → context [B, T, heads·head_dim]; `key_bias` as in `EncoderLayer`.
pub fn composed_attention(qkv: Tensor<3>, heads: usize, head_dim: usize, key_bias: Option<&Tensor<4>>) -> Tensor<3> {
    let [b, t, _] = qkv.dims();
    let (h, dh) = (heads, head_dim);
    // [B, T, 3, H, dh] → three [B, H, T, dh].
    let qkv = qkv.reshape([b, t, 3, h, dh]);
    let part = |i: usize| qkv.clone().narrow(2, i, 1).reshape([b, t, h, dh]).swap_dims(1, 2);
    // The 1/√dh scale on the queries, not on the [B, H, T, T] scores.
    let (q, k, v) = (part(0) * (1.0 / (dh as f64).sqrt()), part(1), part(2));
    let mut scores = q.matmul(k.swap_dims(2, 3));
    if let Some(bias) = key_bias {
        scores = scores + bias.clone();
    }
    softmax(scores, 3).matmul(v).swap_dims(1, 2).reshape([b, t, h * dh])
}

/// Sequences run padded to a multiple of this many tokens: the attention matmuls and the
/// softmax then read whole 4-float vectors along the token axis (RAP's rotation branch has
/// 1 + 30·54 = 1,621 tokens at 427×240, which forced scalar loads: ~2× slower on an H100).
const TOKEN_MULTIPLE: usize = 4;
/// What padded keys add to the scores: exp() of it underflows to exactly 0, so padding tokens
/// get no attention weight and the real tokens' outputs and gradients are unchanged.
const PADDING_SCORE: f32 = -1.0e30;

#[derive(Module, Debug)]
pub struct Encoder {
    pub layers: Vec<EncoderLayer>,
}

impl Encoder {
    pub fn new(device: &Device, d_model: usize, d_ff: usize, heads: usize, layers: usize) -> Self {
        Self { layers: (0..layers).map(|_| EncoderLayer::new(device, d_model, d_ff, heads)).collect() }
    }

    pub fn forward(&self, x: Tensor<3>) -> Tensor<3> {
        let [b, t, d] = x.dims();
        let pad = t.next_multiple_of(TOKEN_MULTIPLE) - t;
        // The fused kernels take any token count: no padding.
        #[cfg(target_arch = "wasm32")]
        let pad = if self.layers.iter().all(|layer| fused_attention_runs(layer.heads, layer.head_dim)) { 0 } else { pad };
        if pad == 0 {
            return self.layers.iter().fold(x, |x, layer| layer.forward(x, None));
        }
        let device = x.device();
        let x = Tensor::cat(vec![x, Tensor::zeros([b, pad, d], &device)], 1);
        let bias: Vec<f32> = (0..t + pad).map(|i| if i < t { 0.0 } else { PADDING_SCORE }).collect();
        let bias = Tensor::<1>::from_floats(bias.as_slice(), &device).reshape([1, 1, 1, t + pad]);
        self.layers.iter().fold(x, |x, layer| layer.forward(x, Some(&bias))).narrow(1, 0, t)
    }
}

/// Whether attention runs as the fused WGSL kernels (`kernels/attention.rs`): enabled, and a
/// head width they take.
#[cfg(target_arch = "wasm32")]
fn fused_attention_runs(heads: usize, head_dim: usize) -> bool {
    crate::kernels::enabled() && crate::kernels::attention_supports(heads, head_dim)
}
