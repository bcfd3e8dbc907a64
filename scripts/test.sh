#!/usr/bin/env bash
# Runs every test: set-up (idempotent), Rust unit tests, then vitest (Node, worker and
# Chromium tests on real WebGPU: SwiftShader where there is no GPU; none are skipped).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
echo "== cargo test"

cargo test --quiet --workspace --exclude rvs-wasm
echo "== typecheck"
pnpm -s typecheck
echo "== vitest"
pnpm -s test
