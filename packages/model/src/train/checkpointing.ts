// Epoch checkpoints through an atomic store: `epoch-NNNNN.safetensors` (the newest few) and
// `best.safetensors`. Everything a resume needs rides in the safetensors metadata, so one file
// is one consistent state; a torn or corrupt newest file falls back to the one before it.
import type { CacheStore } from '@rvs/core';
import type { PoseModel } from '../model.ts';
import type { TranslationNormalizer } from '../normalize.ts';
import type { PlateauState } from '../schedule.ts';
import type { EvalRecord, TrainHistory } from './types.ts';

export interface LoopState {
  /** Epochs completed. */
  epoch: number;
  step: number;
  plateau: PlateauState;
  normalizer: TranslationNormalizer;
  history: TrainHistory;
  best: EvalRecord | undefined;
  evalsSinceBest: number;
  seed: number;
  /** Model input size the run trained at (what evaluation must use). */
  input: { width: number; height: number };
}

const EPOCH_FILE = /^epoch-(\d{5})\.safetensors$/;

export function epochFileName(epoch: number): string {
  return `epoch-${String(epoch).padStart(5, '0')}.safetensors`;
}

export async function saveCheckpoint(store: CacheStore, model: PoseModel, state: LoopState, keep: number, isBest: boolean): Promise<string> {
  const bytes = await model.save({ rvsLoop: JSON.stringify(state) });
  const name = epochFileName(state.epoch);
  await store.write(name, bytes);
  if (isBest) await store.write('best.safetensors', bytes);
  const old = (await store.list()).filter((n) => EPOCH_FILE.test(n)).sort().slice(0, -keep);
  for (const n of old) await store.delete(n);
  return name;
}

/** Loads the newest checkpoint that is intact; undefined when there is none. */
export async function resumeLatest(store: CacheStore, model: PoseModel): Promise<{ state: LoopState; name: string; skipped: string[] } | undefined> {
  const names = (await store.list()).filter((n) => EPOCH_FILE.test(n)).sort().reverse();
  const skipped: string[] = [];
  for (const name of names) {
    const bytes = await store.read(name);
    if (!bytes) continue;
    try {
      const metadata = model.load(bytes);
      const state = JSON.parse(metadata.rvsLoop ?? 'null') as LoopState | null;
      if (!state) throw new Error('no training state in its metadata');
      return { state, name, skipped };
    } catch (e) {
      skipped.push(`${name}: ${(e as Error).message}`);
    }
  }
  if (skipped.length) throw new Error(`no checkpoint could be resumed: ${skipped.join('; ')}`);
  return undefined;
}
