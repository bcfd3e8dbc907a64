#!/usr/bin/env -S node --import tsx
// rvs-cli: one entry, one module per command under commands/.
import { parseArgs } from 'node:util';
import { installNodeWebGpu } from '@rvs/raster-wgpu/node';
import { UsageError, type Command, type Output } from './command.ts';
import { applyConfigFile } from './config.ts';
import { cache } from './commands/cache.ts';
import { compare } from './commands/compare.ts';
import { info } from './commands/info.ts';
import { profile } from './commands/profile.ts';
import { render } from './commands/render.ts';
import { train } from './commands/train.ts';
import { evaluate } from './commands/eval.ts';
import { bench } from './commands/bench.ts';

const commands: Command[] = [train, evaluate, render, bench, profile, compare, cache, info];
const globalOptions = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  config: { type: 'string' },
} as const;

/** Set from the command line, or a config file's "verbose": stack traces on errors. */
let verbose = process.argv.includes('--verbose') || process.argv.includes('-v');

function mainHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'rvs-cli: random view synthesis for camera pose learning, on WebGPU',
    '',
    'Usage: rvs-cli <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Global options:',
    '  -h, --help     show help (also: rvs-cli <command> --help)',
    '  --json         machine-readable output',
    '  -v, --verbose  stack traces on errors',
    '  --config <file.json>',
    '                 options from a JSON file, e.g. {"out": "renders/", "json": true};',
    '                 flags on the command line win',
  ].join('\n');
}

function commandHelp(c: Command): string {
  const lines = Object.entries(c.options).map(([name, o]) => {
    const desc = (o as { description?: string }).description ?? '';
    return `  --${name}${o.type === 'string' ? ' <value>' : ''}  ${desc}`;
  });
  return [
    `${c.summary}`,
    '',
    `Usage: ${c.usage}`,
    ...(lines.length ? ['', 'Options:', ...lines] : []),
    '',
    'Global options: --json, -v/--verbose, -h/--help, --config <file.json> (keys: the long option',
    'names above, as flags or camelCase, and json/verbose; flags on the command line win)',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(mainHelp());
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) throw new UsageError(`unknown command "${name}". Run \`rvs-cli --help\` to list the commands.`);
  const options = { ...globalOptions, ...command.options };
  const parsed = parseArgs({ args: rest, options, strict: true, allowPositionals: true });
  const { positionals } = parsed;
  if (parsed.values.help) {
    console.log(commandHelp(command));
    return 0;
  }
  const values: Record<string, unknown> = typeof parsed.values.config === 'string'
    ? await applyConfigFile(parsed.values.config, parsed.values, options, command.name)
    : parsed.values;
  verbose ||= values.verbose === true;
  const out: Output = {
    json: !!values.json,
    verbose: !!values.verbose,
    result(data, human) {
      console.log(values.json ? JSON.stringify(data, null, 2) : human());
    },
    progress(message) {
      if (!values.json) process.stderr.write(`${message}\n`);
    },
  };
  // Dawn (npm `webgpu`) is this process's WebGPU; RVS_DAWN_FLAGS passes Dawn toggles.
  if (command.needsGpu) await installNodeWebGpu();
  await command.run({ ...values, positionals } as Parameters<Command['run']>[0], out);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    console.error(`rvs-cli: ${message}`);
    if (verbose && e instanceof Error && e.stack) console.error(e.stack);
    process.exit(e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1);
  },
);
