// A progress bar with ETA on stderr: redrawn in place on a terminal, a line per 10 %
// otherwise (CI logs), silent with --json.

export interface Progress {
  tick(n?: number): void;
  done(): void;
}

export function createProgress(label: string, total: number, enabled = true): Progress {
  const start = performance.now();
  const tty = process.stderr.isTTY === true;
  let current = 0;
  let lastDecile = -1;
  const draw = () => {
    const frac = total > 0 ? current / total : 1;
    const elapsed = (performance.now() - start) / 1000;
    const eta = frac > 0 ? (elapsed / frac) * (1 - frac) : 0;
    const width = 24;
    const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '-');
    const line = `${label} [${bar}] ${current}/${total} ${elapsed.toFixed(1)}s, ETA ${eta.toFixed(1)}s`;
    if (tty) process.stderr.write(`\r${line}`);
    else if (Math.floor(frac * 10) > lastDecile) {
      lastDecile = Math.floor(frac * 10);
      process.stderr.write(`${line}\n`);
    }
  };
  return {
    tick(n = 1) {
      current = Math.min(total, current + n);
      if (enabled) draw();
    },
    done() {
      current = total;
      if (enabled) {
        draw();
        if (tty) process.stderr.write('\n');
      }
    },
  };
}
