//! Model shape. `full()` is RAP's network; `edge()` is the small variant the demo and browsers
//! train live. Both read the same code: only widths, depths and the transformer size change.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ModelConfig {
    /// Scales every EfficientNet channel count (rounded to multiples of 8, as EfficientNet does).
    pub width_mult: f64,
    /// Scales the number of MBConv blocks per stage (rounded up).
    pub depth_mult: f64,
    /// Transformer width.
    pub d_model: usize,
    /// Feed-forward width inside each transformer layer.
    pub d_ff: usize,
    pub heads: usize,
    pub layers: usize,
    /// Hidden width of the two MLP heads.
    pub head_hidden: usize,
    /// Largest feature-map height/width the learned row/column embeddings cover.
    pub max_positions: usize,
}

impl ModelConfig {
    /// RAP: EfficientNet-B0 to the 112-channel stage, d=256, 6 pre-norm layers, 4 heads.
    pub fn full() -> Self {
        Self { width_mult: 1.0, depth_mult: 1.0, d_model: 256, d_ff: 256, heads: 4, layers: 6, head_hidden: 1024, max_positions: 64 }
    }

    /// For the edge and for live training on a software adapter.
    pub fn edge() -> Self {
        Self { width_mult: 0.5, depth_mult: 0.34, d_model: 64, d_ff: 128, heads: 4, layers: 2, head_hidden: 256, max_positions: 64 }
    }

    pub fn validate(&self) -> Result<(), String> {
        let finite = |v: f64| v.is_finite() && v > 0.0;
        if !finite(self.width_mult) || self.width_mult > 4.0 {
            return Err(format!("widthMult must be in (0, 4], got {}", self.width_mult));
        }
        if !finite(self.depth_mult) || self.depth_mult > 4.0 {
            return Err(format!("depthMult must be in (0, 4], got {}", self.depth_mult));
        }
        if self.d_model == 0 || self.heads == 0 || self.d_model % self.heads != 0 {
            return Err(format!("dModel ({}) must be a positive multiple of heads ({})", self.d_model, self.heads));
        }
        if self.d_model % 2 != 0 {
            return Err(format!("dModel ({}) must be even: half of it is the row embedding, half the column", self.d_model));
        }
        if self.d_ff == 0 || self.layers == 0 || self.head_hidden == 0 || self.max_positions == 0 {
            return Err("dFf, layers, headHidden and maxPositions must be positive".into());
        }
        Ok(())
    }
}

/// EfficientNet's channel rounding: to the nearest multiple of 8, never dropping below 90 %.
pub fn scaled_channels(channels: usize, width_mult: f64) -> usize {
    let v = channels as f64 * width_mult;
    let mut out = ((v + 4.0) as usize / 8 * 8).max(8);
    if (out as f64) < 0.9 * v {
        out += 8;
    }
    out
}

pub fn scaled_repeats(repeats: usize, depth_mult: f64) -> usize {
    ((repeats as f64 * depth_mult).ceil() as usize).max(1)
}
