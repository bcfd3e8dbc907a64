import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeEntry, entryName } from '../../core/src/cache/entry.ts';
import { cli } from './run-cli.ts';


const report = (mean: number, std: number) => ({
  summary: { render: { mean, std, total: mean * 10, count: 10, min: mean - std, max: mean + std, median: mean } },
  memory_stats: [],
  device: {},
});

describe('rvs-cli', () => {
  it('lists its commands', async () => {
    const { code, stdout } = await cli('--help');
    expect(code).toBe(0);
    for (const c of ['train', 'eval', 'render', 'bench', 'info', 'profile', 'compare', 'cache']) expect(stdout).toContain(`  ${c}`);
  });

  it('bench: batched and one-at-a-time throughput of the demo scene', async () => {
    const { code, stdout, stderr } = await cli('bench', '--size', '40x30', '--repeat', '1', '--batch-size', '32x24', '--json');
    expect(code, stderr).toBe(0);
    const r = JSON.parse(stdout) as { views: number; batchedViewsPerSec: number; sequentialViewsPerSec: number; withHandOffViewsPerSec: number; batchedOverSequential: number };
    expect(r.views).toBe(32);
    for (const v of [r.batchedViewsPerSec, r.sequentialViewsPerSec, r.withHandOffViewsPerSec, r.batchedOverSequential]) expect(v).toBeGreaterThan(0);
    const bad = await cli('bench', '--repeat', '0');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--repeat must be a positive integer/);
  }, 300_000);

  it('render: writes non-blank PNGs of the embedded demo scene', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rvs-render-'));
    const { code, stdout, stderr } = await cli('render', '--count', '2', '--size', '40x30', '--out', dir, '--json');
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout) as { files: string[]; splats: number };
    expect(result.files).toHaveLength(2);
    expect(result.splats).toBeGreaterThan(10_000);
    const { decode } = await import('fast-png');
    const png = decode(await readFile(result.files[0]!));
    expect([png.width, png.height]).toEqual([40, 30]);
    const lit = Array.from(png.data).filter((v, i) => i % 4 !== 3 && v > 20).length;
    expect(lit).toBeGreaterThan(40 * 30); // the room is visible, not a black frame
  });

  it('compare: flags a clear speed-up and writes the chart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rvs-cli-'));
    await writeFile(join(dir, 'before.json'), JSON.stringify(report(20, 0.5)));
    await writeFile(join(dir, 'after.json'), JSON.stringify(report(10, 0.5)));
    const { code, stdout } = await cli('compare', join(dir, 'before.json'), join(dir, 'after.json'), '--svg', join(dir, 'c.svg'));
    expect(code).toBe(0);
    expect(stdout).toMatch(/render.*2\.000×.*faster/);
    expect(await readFile(join(dir, 'c.svg'), 'utf8')).toContain('<svg');
    const json = await cli('compare', join(dir, 'before.json'), join(dir, 'after.json'), '--json');
    expect(JSON.parse(json.stdout).sections[0].verdict).toBe('faster');
  });

  it('cache: inspects a cache folder, names damaged entries, and clears it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rvs-cache-'));
    const entry = (key: string) => encodeEntry({ key, context: 'a'.repeat(16), width: 2, height: 1 }, new Uint8Array(8).fill(7));
    await writeFile(join(dir, entryName('0'.repeat(16))), entry('0'.repeat(16)));
    const flipped = entry('1'.repeat(16));
    flipped[flipped.length - 1]! ^= 0x10;
    await writeFile(join(dir, entryName('1'.repeat(16))), flipped);
    const { code, stdout } = await cli('cache', 'inspect', '--dir', dir, '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { entries: { damage?: string }[]; damaged: number; contexts: number };
    expect(report.entries).toHaveLength(2);
    expect(report.damaged).toBe(1);
    expect(report.entries[1]!.damage).toBe('payload checksum mismatch');
    expect(report.contexts).toBe(1);
    expect((await cli('cache', 'clear', '--dir', dir)).stdout).toContain('removed 2 cached views');
    expect((await cli('cache', 'inspect', '--dir', dir)).stdout).toContain(': 0 views, 0.0 MiB');
  });

  it('names the problem, without a stack trace, on bad input', async () => {
    const missing = await cli('compare', '/nope/before.json', '/nope/after.json');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read report "/nope/before.json"');
    expect(missing.stderr).not.toContain('    at ');
    const unknown = await cli('frobnicate');
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    const noArgs = await cli('profile');
    expect(noArgs.stderr).toContain('profile needs --scene');
  });
});
