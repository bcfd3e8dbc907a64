#!/usr/bin/env bash
# Installs everything a fresh Debian machine lacks, then builds the WASM. Idempotent:
# each step checks first, so a second run takes seconds. Caches live in ~/.cache/rvs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
step() { printf '\033[1m== %s\033[0m\n' "$*"; }

# 1. System packages: Debian's web Rust (it can build a wasm32 std), Chromium (SwiftShader
#    Vulkan for WebGPU without a GPU, and the browser tests), the Vulkan loader.
need_apt=()
for pkg in rustc-web cargo-web rust-web-src chromium libvulkan1; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  step "apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
if [ -z "${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER:-}" ]; then
  echo "rust-lld not found under ~/.rustup: install a Rust toolchain with rustup (it ships the wasm linker)" >&2
  exit 1
fi

# 2. The wasm32 standard library for Debian's rustc, built once from rust-web-src.
WASM_LIB=/usr/lib/rustlib/wasm32-unknown-unknown/lib
if ! ls "$WASM_LIB"/libstd-*.rlib >/dev/null 2>&1; then
  step "building the wasm32 standard library (once, ~3 min)"
  probe="$RVS_CACHE/wasm-std-probe"
  mkdir -p "$probe/src"
  printf '[package]\nname = "wasm-std-probe"\nversion = "0.0.0"\nedition = "2021"\n[lib]\npath = "src/lib.rs"\n' > "$probe/Cargo.toml"
  echo 'pub fn probe() -> u32 { 1 }' > "$probe/src/lib.rs"
  (cd "$probe" && CARGO_TARGET_DIR="$probe/target" RUSTC_BOOTSTRAP=1 \
    cargo build --quiet --release --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort)
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO mkdir -p "$WASM_LIB"
  find "$probe/target/wasm32-unknown-unknown/release/deps" -name 'lib*.rlib' ! -name 'libwasm_std_probe*' \
    -exec $SUDO cp {} "$WASM_LIB/" \;
fi

# 3. wasm-pack and wasm-bindgen-cli at pinned versions (the CLI must equal the crate).
install_crate() { # name version binary
  if ! "$3" --version 2>/dev/null | grep -q " $2\$"; then
    step "cargo install $1@$2"
    CARGO_TARGET_DIR="$RVS_CACHE/install-target" cargo install --quiet --force "$1@$2"
  fi
}
install_crate wasm-pack "$WASM_PACK_VERSION" wasm-pack
install_crate wasm-bindgen-cli "$WASM_BINDGEN_VERSION" wasm-bindgen

# 4. pnpm and the workspace's packages.
if ! command -v pnpm >/dev/null 2>&1; then
  step "npm install -g pnpm@10"
  npm install -g --silent pnpm@10
fi
step "pnpm install"
pnpm install --frozen-lockfile --reporter=silent

# 5. The WASM build and the native CPU reference renderer the tests compare against
#    (cargo's cache makes unchanged builds take seconds).
step "building the WASM and the CPU reference renderer"
bash scripts/build-wasm.sh
bash scripts/build-model-wasm.sh
cargo build --quiet --release -p rvs-splat --bin rvs-reference
