import { readFile } from 'node:fs/promises';
import { parseViewsJson } from '@rvs/core';
import { UsageError } from './command.ts';

/** Reads a views.json into render inputs; problems are the user's to fix, hence UsageError. */
export async function loadViewsFile(path: string, size?: string) {
  const text = await readFile(path, 'utf8').catch(() => {
    throw new UsageError(`cannot read views file "${path}"`);
  });
  try {
    return parseViewsJson(text, path, size);
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/^size /, '--size '));
  }
}

/** Reads a .ply/.splat scene file; a missing or unreadable file is the user's to fix. */
export async function readSceneFile(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch {
    throw new UsageError(`cannot read scene "${path}": give a .ply or .splat file`);
  }
}
