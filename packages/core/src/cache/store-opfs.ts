// The persistent tier in browsers and workers: the origin private file system (OPFS), one
// file per entry. `createWritable()` writes to a swap file that `close()` swaps in atomically,
// the same guarantee as the Node store's rename. Kept thin: the format and its checksums live
// in entry.ts, which the Node tests cover.
import type { CacheStore } from './types.ts';

const NAME = /^[0-9a-z][0-9a-z.-]*$/;

function checkName(name: string): string {
  if (!NAME.test(name)) throw new RangeError(`cache store: bad entry name '${name}'`);
  return name;
}

const isNotFound = (e: unknown): boolean => (e as { name?: string }).name === 'NotFoundError';

/**
 * A {@link CacheStore} in OPFS directory `dirName` (default `rvs-render-cache`).
 * @throws where OPFS is missing (`navigator.storage.getDirectory`), e.g. in Node.
 */
export async function createOpfsStore(dirName = 'rvs-render-cache'): Promise<CacheStore> {
  const storage = (globalThis as { navigator?: { storage?: StorageManager } }).navigator?.storage;
  if (typeof storage?.getDirectory !== 'function') throw new Error('createOpfsStore: this runtime has no origin private file system');
  const dir = await (await storage.getDirectory()).getDirectoryHandle(checkName(dirName), { create: true });
  return {
    async read(name) {
      try {
        const file = await (await dir.getFileHandle(checkName(name))).getFile();
        return new Uint8Array(await file.arrayBuffer());
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
      }
    },
    async write(name, bytes) {
      const handle = await dir.getFileHandle(checkName(name), { create: true });
      const writable = await handle.createWritable();
      try {
        await writable.write(bytes as Uint8Array<ArrayBuffer>);
        await writable.close();
      } catch (e) {
        await writable.abort().catch(() => {});
        throw e;
      }
    },
    async delete(name) {
      await dir.removeEntry(checkName(name)).catch((e: unknown) => {
        if (!isNotFound(e)) throw e;
      });
    },
    async list() {
      const names: string[] = [];
      const keys = (dir as unknown as { keys(): AsyncIterable<string> }).keys();
      for await (const name of keys) names.push(name);
      return names;
    },
  };
}
