// Where a bench's CPU time goes (JS and WASM functions alike, by name), through V8's sampling
// profiler: `start()` before the work, `stop()` after; the summary lists self time per
// function, the full profile can be opened in Chrome DevTools.
import { Session } from 'node:inspector/promises';
import { writeFile } from 'node:fs/promises';

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export interface CpuProfiler {
  start(): Promise<void>;
  /** Stops, writes the .cpuprofile to `path` (if given) and returns the top functions by self time. */
  stop(path?: string, top?: number): Promise<{ name: string; ms: number; share: number }[]>;
}

export function cpuProfiler(): CpuProfiler {
  const session = new Session();
  session.connect();
  return {
    async start() {
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
      await session.post('Profiler.start');
    },
    async stop(path, top = 40) {
      const { profile } = (await session.post('Profiler.stop')) as { profile: { nodes: ProfileNode[]; startTime: number; endTime: number } };
      if (path) await writeFile(path, JSON.stringify(profile));
      const hits = new Map<string, number>();
      const parent = new Map<number, ProfileNode>();
      for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node);
      const label = (node: ProfileNode): string => {
        const { functionName, url, lineNumber } = node.callFrame;
        if (url) return `${functionName || '(anonymous)'} ${url.split('/').pop()}:${lineNumber + 1}`;
        // Native code without a name (a binding's C++ callback): name it by its caller.
        if (!functionName) {
          const up = parent.get(node.id);
          return `(native) in ${up ? label(up) : '?'}`;
        }
        return functionName;
      };
      let total = 0;
      for (const node of profile.nodes) {
        const n = node.hitCount ?? 0;
        total += n;
        const name = label(node);
        hits.set(name, (hits.get(name) ?? 0) + n);
      }
      const ms = (profile.endTime - profile.startTime) / 1000;
      return [...hits].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, n]) => ({ name, ms: (ms * n) / total, share: n / total }));
    },
  };
}
