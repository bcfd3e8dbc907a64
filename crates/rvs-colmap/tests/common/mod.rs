//! A little-endian byte writer independent of the crate's writers, and the small models the
//! tests (and the fuzz seeds) use: the same files as packages/core/test/dataset-colmap.test.ts.
#![allow(dead_code)]

use std::f64::consts::FRAC_1_SQRT_2 as S;

#[derive(Default)]
pub struct Bytes(pub Vec<u8>);

impl Bytes {
    pub fn u8(mut self, v: u8) -> Self {
        self.0.push(v);
        self
    }
    pub fn i32(mut self, v: i32) -> Self {
        self.0.extend(v.to_le_bytes());
        self
    }
    pub fn u32(mut self, v: u32) -> Self {
        self.0.extend(v.to_le_bytes());
        self
    }
    pub fn u64(mut self, v: u64) -> Self {
        self.0.extend(v.to_le_bytes());
        self
    }
    pub fn i64(mut self, v: i64) -> Self {
        self.0.extend(v.to_le_bytes());
        self
    }
    pub fn f64(mut self, vs: &[f64]) -> Self {
        vs.iter().for_each(|v| self.0.extend(v.to_le_bytes()));
        self
    }
    pub fn str(mut self, s: &[u8]) -> Self {
        self.0.extend(s);
        self.0.push(0);
        self
    }
    pub fn done(self) -> Vec<u8> {
        self.0
    }
}

/// Four cameras: SIMPLE_PINHOLE, SIMPLE_RADIAL, RADIAL, OPENCV (ids 1–4).
pub fn cameras_bin() -> Vec<u8> {
    Bytes::default()
        .u64(4)
        .u32(1)
        .i32(0)
        .u64(640)
        .u64(480)
        .f64(&[500.0, 320.0, 240.0])
        .u32(2)
        .i32(2)
        .u64(800)
        .u64(600)
        .f64(&[600.0, 400.0, 300.0, 0.01])
        .u32(3)
        .i32(3)
        .u64(800)
        .u64(600)
        .f64(&[610.0, 401.0, 299.0, 0.02, -0.003])
        .u32(4)
        .i32(4)
        .u64(800)
        .u64(600)
        .f64(&[600.0, 601.0, 400.0, 300.0, 0.1, -0.05, 0.001, 0.002])
        .done()
}

/// Two images, the first with two 2D points, the second with none and a name in a folder.
pub fn images_bin() -> Vec<u8> {
    Bytes::default()
        .u64(2)
        .u32(1)
        .f64(&[1.0, 0.0, 0.0, 0.0])
        .f64(&[1.0, 2.0, 3.0])
        .u32(1)
        .str(b"b.jpg")
        .u64(2)
        .f64(&[1.0, 2.0])
        .i64(5)
        .f64(&[3.0, 4.0])
        .i64(-1)
        .u32(2)
        .f64(&[S, 0.0, 0.0, S])
        .f64(&[1.0, 0.0, 0.0])
        .u32(4)
        .str(b"sub/a.jpg")
        .u64(0)
        .done()
}

/// Two points, the first with a track of two entries.
pub fn points_bin() -> Vec<u8> {
    Bytes::default()
        .u64(2)
        .u64(1)
        .f64(&[0.5, 1.5, 2.5])
        .u8(255)
        .u8(128)
        .u8(0)
        .f64(&[0.25])
        .u64(2)
        .i32(1)
        .i32(0)
        .i32(2)
        .i32(1)
        .u64(7)
        .f64(&[-1.0, -2.0, -3.0])
        .u8(1)
        .u8(2)
        .u8(3)
        .f64(&[1.5])
        .u64(0)
        .done()
}
