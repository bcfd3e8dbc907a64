# Sourced by the other scripts: the toolchain rvs builds with.
# Debian's rustc-web has a wasm32 std we can build (rustup here cannot add targets), so
# /usr/bin comes first; rustup's rust-lld links wasm; build caches live outside the clone.
export RVS_CACHE="${RVS_CACHE:-$HOME/.cache/rvs}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$RVS_CACHE/target}"
export PATH="/usr/bin:$HOME/.cargo/bin:$PATH"
RVS_LLD="$(ls "$HOME"/.rustup/toolchains/*/lib/rustlib/*/bin/rust-lld 2>/dev/null | head -1 || true)"
if [ -n "$RVS_LLD" ]; then export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="$RVS_LLD"; fi
export WASM_PACK_VERSION=0.15.1
# Must equal the wasm-bindgen crate version pinned in Cargo.toml.
export WASM_BINDGEN_VERSION=0.2.130
