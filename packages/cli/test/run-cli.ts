// Runs rvs-cli in a child process the way a user does, returning its exit code and output.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const bin = new URL('../src/bin.ts', import.meta.url).pathname;

export const cli = (...args: string[]) => run('node', ['--import', 'tsx', bin, ...args], { maxBuffer: 1 << 24 }).then(
  (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
  (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
);
