#!/usr/bin/env bash
# Builds crates/rvs-wasm into packages/raster-wgpu/wasm (ES module + .wasm, target web:
# the same files load in Node, browsers and workers).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
out=packages/raster-wgpu/wasm
wasm-pack --quiet build crates/rvs-wasm --release --target web --mode no-install \
  --out-dir "$PWD/$out" --out-name rvs_raster --no-pack
rm -f "$out/.gitignore"
size=$(gzip -9 -c "$out/rvs_raster_bg.wasm" | wc -c)
echo "raster wasm: $(stat -c %s "$out/rvs_raster_bg.wasm") bytes, $size gzipped"
