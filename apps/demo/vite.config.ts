// The demo builds with plain Vite. Its workspace packages load their WASM with
// `new URL('../wasm/…_bg.wasm', import.meta.url)`, which Vite serves in dev and emits as an
// asset in builds; the refresh worker is a module worker (top-level await, code splitting).
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    target: 'es2022',
    // The model WASM is ~42 MB: it is an asset, not a chunk, but say what is expected.
    chunkSizeWarningLimit: 2048,
  },
  worker: { format: 'es' },
});
