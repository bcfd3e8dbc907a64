import type { ParseArgsConfig } from 'node:util';

/** Where a command writes: a human summary, or the same data as JSON with --json. */
export interface Output {
  json: boolean;
  verbose: boolean;
  result(data: unknown, human: () => string): void;
  progress(message: string): void;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Set up WebGPU (Dawn) before running. */
  needsGpu?: boolean;
  run(args: Record<string, string | boolean | string[] | boolean[] | undefined> & { positionals?: string[] }, out: Output): Promise<void>;
}

/** An error the user can fix: printed without a stack trace unless --verbose. */
export class UsageError extends Error {}
