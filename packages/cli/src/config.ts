// --config <file.json>: a command's options from a JSON file. Keys are the long option names,
// as flags (`max-views`) or camelCase (`maxViews`); flags given on the command line win.
// Every problem is a UsageError that names the file, the key and the fix.
import { readFile } from 'node:fs/promises';
import { UsageError, type Command } from './command.ts';

type OptionSpec = Command['options'][string];
export type OptionValue = string | boolean | string[] | boolean[];

/** Options that only make sense on the command line. */
const commandLineOnly = new Set(['config', 'help']);
const globalFlags = new Set(['json', 'verbose']);

const camelCase = (flag: string) => flag.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const kebabCase = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Edit distance with transpositions (optimal string alignment), for "did you mean". */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i]!;
      const up = d[i - 1]!;
      row[j] = Math.min(up[j]! + 1, row[j - 1]! + 1, up[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'object') return 'an object';
  return `the ${typeof value} ${String(value)}`;
}

/** Converts one config value to what parseArgs would have produced for the flag. */
function convert(file: string, key: string, flag: string, spec: OptionSpec, value: unknown): OptionValue {
  const where = `key "${key}" in config file "${file}"`;
  const one = (v: unknown): string | boolean => {
    if (spec.type === 'boolean') {
      if (typeof v === 'boolean') return v;
      const hint = v === 'true' || v === 'false' ? `write "${key}": ${String(v)} without quotes` : `use "${key}": true or "${key}": false`;
      throw new UsageError(`${where} must be true or false (--${flag} is a switch), not ${describe(v)}: ${hint}`);
    }
    if (typeof v === 'string') return v;
    if (typeof v === 'number') return String(v);
    throw new UsageError(`${where} must be a string or a number (the value of --${flag} <value>), not ${describe(v)}: e.g. "${key}": "…"`);
  };
  if (spec.multiple) {
    const values = (Array.isArray(value) ? value : [value]).map(one);
    return spec.type === 'boolean' ? (values as boolean[]) : (values as string[]);
  }
  if (Array.isArray(value)) throw new UsageError(`${where} takes one value (--${flag} can be given once), not an array: drop the brackets`);
  return one(value);
}

/**
 * Checks a parsed config object against `options` (a command's plus the global ones) and
 * returns it keyed by flag name, as parseArgs returns values.
 */
export function resolveConfig(raw: unknown, file: string, options: Command['options'], commandName: string): Record<string, OptionValue> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new UsageError(`config file "${file}" must hold a JSON object of options, like {"out": "results/"}, not ${describe(raw)}`);
  }
  // The command's own options first, then the global ones (json, verbose).
  const flags = Object.keys(options).filter((f) => !commandLineOnly.has(f)).sort((a, b) => Number(globalFlags.has(a)) - Number(globalFlags.has(b)));
  const flagOf = new Map<string, string>();
  for (const flag of flags) {
    flagOf.set(flag, flag);
    flagOf.set(camelCase(flag), flag);
    flagOf.set(kebabCase(flag), flag);
  }
  const values: Record<string, OptionValue> = {};
  const keyOf: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    const flag = flagOf.get(key) ?? flagOf.get(camelCase(key));
    if (commandLineOnly.has(key)) {
      throw new UsageError(`key "${key}" in config file "${file}": --${key} only works on the command line; remove it from the file`);
    }
    if (flag === undefined) {
      const best = [...flagOf.keys()].map((k) => ({ k, d: distance(key.toLowerCase(), k.toLowerCase()) })).sort((a, b) => a.d - b.d)[0];
      const guess = best && best.d <= Math.max(1, Math.floor(key.length / 3)) ? `did you mean "${best.k}"? ` : '';
      throw new UsageError(
        `unknown key "${key}" in config file "${file}": \`rvs-cli ${commandName}\` has no --${kebabCase(key)} option; ${guess}` +
          `keys it accepts: ${flags.join(', ') || '(none)'} (or their camelCase spelling)`,
      );
    }
    if (keyOf[flag] !== undefined) {
      throw new UsageError(`config file "${file}" sets --${flag} twice, as "${keyOf[flag]}" and "${key}": keep one`);
    }
    keyOf[flag] = key;
    values[flag] = convert(file, key, flag, options[flag]!, value);
  }
  return values;
}

/** Reads and parses a config file; unreadable files and bad JSON are UsageErrors. */
export async function readConfigFile(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read config file "${file}" (${e.code ?? e.message}): check the path given to --config`);
  });
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (e) {
    const message = (e as Error).message;
    const position = /position (\d+)/.exec(message);
    let at = '';
    if (position) {
      const before = text.slice(0, Number(position[1]));
      const line = before.split('\n').length;
      at = ` at line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
    }
    throw new UsageError(
      `config file "${file}" is not valid JSON${at} (${message}): use double-quoted keys and strings, and no comments or trailing commas`,
    );
  }
}

/** Options from `file` under those given on the command line (`given` wins, key by key). */
export async function applyConfigFile(
  file: string,
  given: Record<string, unknown>,
  options: Command['options'],
  commandName: string,
): Promise<Record<string, unknown>> {
  const fromFile = resolveConfig(await readConfigFile(file), file, options, commandName);
  const merged: Record<string, unknown> = { ...fromFile };
  for (const [flag, value] of Object.entries(given)) if (value !== undefined) merged[flag] = value;
  return merged;
}
