// The persistent tier in Node: one file per entry in a directory. Writes are atomic (temp
// file, fsync, rename), so a crash leaves the old entry, the new one or none; a torn file
// from elsewhere (a full disk, a copy) still fails the entry checksum and is re-rendered.
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { CacheStore } from './types.ts';

const NAME = /^[0-9a-z][0-9a-z.-]*$/;

function checkName(name: string): string {
  if (!NAME.test(name)) throw new RangeError(`cache store: bad entry name '${name}'`);
  return name;
}

let tmpCounter = 0;

/** A {@link CacheStore} in directory `dir` (created on first write). */
export function createNodeStore(dir: string): CacheStore {
  let made: Promise<unknown> | undefined;
  return {
    async read(name) {
      try {
        return new Uint8Array(await readFile(join(dir, checkName(name))));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
    },
    async write(name, bytes) {
      const path = join(dir, checkName(name));
      await (made ??= mkdir(dir, { recursive: true }));
      const tmp = `${path}.${process.pid}-${tmpCounter++}.tmp`;
      const file = await open(tmp, 'w');
      try {
        await file.writeFile(bytes);
        await file.sync();
      } catch (e) {
        await file.close();
        await rm(tmp, { force: true });
        throw e;
      }
      await file.close();
      await rename(tmp, path);
    },
    async delete(name) {
      await rm(join(dir, checkName(name)), { force: true });
    },
    async list() {
      try {
        return (await readdir(dir)).filter((f) => !f.endsWith('.tmp'));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw e;
      }
    },
  };
}
