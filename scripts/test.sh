#!/usr/bin/env bash
# Runs every test: set-up (idempotent), Rust unit tests, then vitest (Node, worker and
# Chromium tests on real WebGPU: SwiftShader where there is no GPU; none are skipped).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
echo "== cargo test"

cargo test --quiet --workspace --exclude rvs-wasm
# The model crate is its own workspace (Burn); its tests run on the CPU backend (NdArray).
CARGO_TARGET_DIR="$RVS_CACHE/model-target" cargo test --quiet --manifest-path crates/rvs-model/Cargo.toml
echo "== typecheck"
pnpm -s typecheck
echo "== vitest"
pnpm -s test
