// Headless Chromium with WebGPU (SwiftShader when there is no GPU), driving pages that we
// bundle from TypeScript entries on the fly and serve from http://localhost (a secure context).

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Page } from 'playwright-core';

const CHROMIUM = process.env.RVS_CHROMIUM ?? '/usr/bin/chromium';
const WASM_DIR = fileURLToPath(new URL('../../raster-wgpu/wasm/', import.meta.url));
const MIME: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--enable-unsafe-webgpu',
];

/** Serves `dir` (bundles) plus the raster WASM under /wasm/ on a free localhost port. */
async function serve(dir: string): Promise<{ server: Server; base: string }> {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const file = path.startsWith('/wasm/') ? join(WASM_DIR, path.slice(6)) : join(dir, path === '/' ? 'index.html' : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('static server has no port');
  return { server, base: `http://localhost:${address.port}` };
}

export interface BrowserRun {
  page: Page;
  base: string;
  /** Errors the page printed or threw, for assertions. */
  errors: string[];
}

/**
 * Opens `url` (a page served from http://localhost, a secure context) in headless Chromium with
 * WebGPU and hands the page to `run`; page errors and console errors are collected.
 */
export async function withChromiumAt<T>(url: string, run: (r: BrowserRun) => Promise<T>): Promise<T> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(url);
    return await run({ page, base: new URL(url).origin, errors });
  } finally {
    await browser.close();
  }
}

/**
 * Bundles `entries` (output name → TypeScript file), serves them with an index.html that
 * loads `page.js`, opens it in Chromium and hands the page to `run`.
 */
export async function withChromiumPage<T>(entries: Record<string, string>, run: (r: BrowserRun) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'rvs-browser-'));
  await build({
    entryPoints: Object.fromEntries(Object.entries(entries).map(([name, file]) => [name, resolve(file)])),
    outdir: dir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'error',
  });
  const { writeFile } = await import('node:fs/promises');
  await writeFile(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><script type="module" src="/page.js"></script>');
  const { server, base } = await serve(dir);
  try {
    return await withChromiumAt(`${base}/index.html`, async (r) => {
      await r.page.waitForFunction(() => (globalThis as { rvsReady?: boolean }).rvsReady === true, undefined, { timeout: 60_000 });
      return run(r);
    });
  } finally {
    server.close();
    await rm(dir, { recursive: true, force: true });
  }
}
