#!/usr/bin/env bash
# Bundles the benches with their JS dependencies (never node_modules) into bench/dist/,
# with the WASM beside them, so `device` runs can carry them: bench/dist/bin/<name>.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf bench/dist && mkdir -p bench/dist/bin bench/dist/wasm
cp packages/raster-wgpu/wasm/rvs_raster_bg.wasm packages/model/wasm/rvs_model_bg.wasm bench/dist/wasm/
entries="rvs-cli=packages/cli/src/bin.ts"
for f in $(ls bench/*.ts | grep -v profiler-overhead); do entries="$entries $(basename "$f" .ts)=$f"; done
pnpm exec esbuild $entries --bundle --platform=node --format=esm --target=node20 \
  --external:webgpu --outdir=bench/dist/bin --out-extension:.js=.mjs --log-level=warning \
  --banner:js="import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);"
# The model WASM is ~42 MB raw: ship it gzipped (a device call carries 64 MiB in all);
# `gunzip -k bench/dist/wasm/*.gz` restores it there.
gzip -6 bench/dist/wasm/rvs_model_bg.wasm
du -sh bench/dist
