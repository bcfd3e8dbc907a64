#!/usr/bin/env bash
# Builds crates/rvs-model (Burn) into packages/model/wasm. Its own target dir: Burn's first
# wasm32 build takes ~20 min on 2 cores, later ones seconds (only rvs-model recompiles).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
export CARGO_TARGET_DIR="$RVS_CACHE/model-target"
out=packages/model/wasm
wasm-pack --quiet build crates/rvs-model --release --target web --mode no-install \
  --out-dir "$PWD/$out" --out-name rvs_model --no-pack
rm -f "$out/.gitignore"
size=$(gzip -6 -c "$out/rvs_model_bg.wasm" | wc -c)
echo "model wasm: $(stat -c %s "$out/rvs_model_bg.wasm") bytes, $size gzipped"
