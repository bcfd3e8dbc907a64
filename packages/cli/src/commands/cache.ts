import { rm } from 'node:fs/promises';
import { inspectEntry, type EntryInfo } from '@rvs/core';
import { createNodeStore } from '@rvs/core/node';
import { UsageError, type Command } from '../command.ts';

/** Entries of a render cache folder with their headers and integrity. */
async function inspect(dir: string): Promise<(EntryInfo & { file: string })[]> {
  const store = createNodeStore(dir);
  const files = await store.list().catch(() => {
    throw new UsageError(`cannot read cache folder "${dir}"`);
  });
  const out: (EntryInfo & { file: string })[] = [];
  for (const file of files.sort()) {
    const bytes = await store.read(file);
    if (bytes) out.push({ file, ...inspectEntry(bytes) });
  }
  return out;
}

export const cache: Command = {
  name: 'cache',
  summary: 'Inspect or clear a render cache folder (entries, sizes, damaged files)',
  usage: 'rvs-cli cache inspect|clear [--dir .rvs/cache] [--json]',
  options: { dir: { type: 'string', description: 'cache folder (default .rvs/cache)' } } as Command['options'],
  async run(args, out) {
    const [action] = (args.positionals ?? []) as string[];
    const dir = typeof args.dir === 'string' ? args.dir : '.rvs/cache';
    if (action === 'clear') {
      const entries = await inspect(dir);
      await rm(dir, { recursive: true, force: true });
      out.result({ dir, removed: entries.length }, () => `removed ${entries.length} cached views from ${dir}`);
      return;
    }
    if (action !== 'inspect') throw new UsageError('cache needs an action: rvs-cli cache inspect|clear [--dir folder]');
    const entries = await inspect(dir);
    const damaged = entries.filter((e) => e.damage);
    const bytes = entries.reduce((a, e) => a + e.bytes, 0);
    const scenes = new Set(entries.map((e) => e.context)).size;
    out.result({ dir, entries, bytes, damaged: damaged.length, contexts: scenes }, () =>
      [
        `${dir}: ${entries.length} views, ${(bytes / 2 ** 20).toFixed(1)} MiB, ${scenes} scene/settings context(s), ${damaged.length} damaged (re-rendered on use)`,
        ...damaged.map((e) => `  damaged ${e.file}: ${e.damage}`),
      ].join('\n'),
    );
  },
};
