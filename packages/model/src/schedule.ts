// ReduceLROnPlateau as PyTorch defines it (mode min, relative threshold): the learning rate is
// multiplied by `factor` after `patience` epochs without improvement, then waits `cooldown`.
// Its state is plain data so checkpoints restore it.

export interface PlateauOptions {
  factor?: number;
  patience?: number;
  /** Relative improvement that counts (default 1e-4). */
  threshold?: number;
  cooldown?: number;
  minLr?: number;
}

export interface PlateauState {
  lr: number;
  best: number;
  badEpochs: number;
  cooldownLeft: number;
  reductions: number;
}

export function initialPlateau(lr: number): PlateauState {
  if (!(Number.isFinite(lr) && lr > 0)) throw new RangeError(`learning rate must be a positive number, got ${lr}`);
  return { lr, best: Number.POSITIVE_INFINITY, badEpochs: 0, cooldownLeft: 0, reductions: 0 };
}

/** The state after an epoch whose monitored value was `metric` (lower is better). */
export function stepPlateau(state: PlateauState, metric: number, options: PlateauOptions = {}): PlateauState {
  const { factor = 0.5, patience = 5, threshold = 1e-4, cooldown = 0, minLr = 1e-7 } = options;
  const next = { ...state };
  if (Number.isFinite(metric) && metric < state.best * (1 - threshold)) {
    next.best = metric;
    next.badEpochs = 0;
  } else {
    next.badEpochs += 1;
  }
  if (next.cooldownLeft > 0) {
    next.cooldownLeft -= 1;
    next.badEpochs = 0;
  }
  if (next.badEpochs > patience) {
    const reduced = Math.max(state.lr * factor, minLr);
    if (reduced < state.lr) next.reductions += 1;
    next.lr = reduced;
    next.cooldownLeft = cooldown;
    next.badEpochs = 0;
  }
  return next;
}
