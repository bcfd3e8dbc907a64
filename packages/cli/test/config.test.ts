import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError, type Command } from '../src/command.ts';
import { resolveConfig } from '../src/config.ts';
import { cli } from './run-cli.ts';


/** Writes `content` (an object is written as JSON) to a new temp file and returns its path. */
async function configFile(content: unknown, name = 'rvs.json'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rvs-config-'));
  const file = join(dir, name);
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('--config <file.json>', () => {
  it('takes options from the file, and command-line flags win', async () => {
    const fromFile = await mkdtemp(join(tmpdir(), 'rvs-cache-a-'));
    const fromFlag = await mkdtemp(join(tmpdir(), 'rvs-cache-b-'));
    const file = await configFile({ dir: fromFile, json: true });
    const a = await cli('cache', 'inspect', '--config', file);
    expect(a.code, a.stderr).toBe(0);
    expect(JSON.parse(a.stdout).dir).toBe(fromFile); // --json came from the file too
    const b = await cli('cache', 'inspect', '--config', file, '--dir', fromFlag);
    expect(b.code, b.stderr).toBe(0);
    expect(JSON.parse(b.stdout).dir).toBe(fromFlag);
    const c = await cli('cache', 'inspect', '--dir', fromFlag, '--config', file); // order does not matter
    expect(JSON.parse(c.stdout).dir).toBe(fromFlag);
  });

  it('names the file, the key and the fix for an unknown key', async () => {
    const file = await configFile({ dri: '.rvs/cache' });
    const { code, stderr } = await cli('cache', 'inspect', '--config', file);
    expect(code).toBe(2);
    expect(stderr).toContain(`unknown key "dri" in config file "${file}"`);
    expect(stderr).toContain('did you mean "dir"?');
    expect(stderr).toContain('keys it accepts: dir, json, verbose');
    expect(stderr).not.toContain('    at ');
  });

  it('names the file, the position and the fix for bad JSON', async () => {
    const file = await configFile('{\n  "dir": "x",\n}\n');
    const { code, stderr } = await cli('cache', 'inspect', '--config', file);
    expect(code).toBe(2);
    expect(stderr).toContain(`config file "${file}" is not valid JSON at line 3, column 1`);
    expect(stderr).toContain('no comments or trailing commas');
    expect(stderr).not.toContain('    at ');
    const missing = await cli('cache', 'inspect', '--config', '/nope/rvs.json');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read config file "/nope/rvs.json" (ENOENT): check the path given to --config');
    const list = await cli('cache', 'inspect', '--config', await configFile('["dir"]'));
    expect(list.stderr).toContain('must hold a JSON object of options, like {"out": "results/"}, not an array');
  });

  it('rejects values of the wrong type, naming the key and the fix', async () => {
    const quoted = await cli('cache', 'inspect', '--config', await configFile({ json: 'true' }));
    expect(quoted.code).toBe(2);
    expect(quoted.stderr).toContain('key "json" in config file');
    expect(quoted.stderr).toContain('must be true or false (--json is a switch), not the string "true": write "json": true without quotes');
    const object = await cli('render', '--config', await configFile({ out: { dir: 'x' } }));
    expect(object.code).toBe(2);
    expect(object.stderr).toContain('key "out" in config file');
    expect(object.stderr).toContain('must be a string or a number (the value of --out <value>), not an object');
    const nested = await cli('render', '--config', await configFile({ config: 'other.json' }));
    expect(nested.stderr).toContain('--config only works on the command line; remove it from the file');
  });

  it('accepts flag and camelCase spellings, and turns numbers into option strings', () => {
    const options: Command['options'] = {
      'max-views': { type: 'string' },
      dryRun: { type: 'boolean' },
      tag: { type: 'string', multiple: true },
    };
    expect(resolveConfig({ maxViews: 8, 'dry-run': true, tag: ['a', 2] }, 'c.json', options, 'x')).toEqual({ 'max-views': '8', dryRun: true, tag: ['a', '2'] });
    expect(resolveConfig({ 'max-views': '8', dryRun: false, tag: 'a' }, 'c.json', options, 'x')).toEqual({ 'max-views': '8', dryRun: false, tag: ['a'] });
    expect(() => resolveConfig({ maxViews: 1, 'max-views': 2 }, 'c.json', options, 'x')).toThrow(/sets --max-views twice, as "maxViews" and "max-views": keep one/);
    expect(() => resolveConfig({ 'max-views': [1, 2] }, 'c.json', options, 'x')).toThrow(UsageError);
    expect(() => resolveConfig({ help: true }, 'c.json', options, 'x')).toThrow(/--help only works on the command line/);
  });

  it('is listed in the help', async () => {
    expect((await cli('--help')).stdout).toContain('--config <file.json>');
    expect((await cli('cache', '--help')).stdout).toContain('--config <file.json>');
  });

  it('README example: the config file renders as documented', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const json = /cat > render-small\.json <<'EOF'\n([\s\S]*?)\nEOF/.exec(readme)![1]!;
    expect(JSON.parse(json)).toMatchObject({ count: 2, size: '80x60' });
    const file = await configFile(json, 'render-small.json');
    const out = await mkdtemp(join(tmpdir(), 'rvs-render-'));
    const { code, stdout, stderr } = await cli('render', '--config', file, '--out', out, '--json'); // --out: keep the test's files in tmp
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout) as { dir: string; files: string[]; width: number; height: number };
    expect([result.dir, result.files.length, result.width, result.height]).toEqual([out, 2, 80, 60]);
    // The documented error for a misspelt key is the real one.
    const documented = /\| unknown key \| ``(.*)`` \|/.exec(readme)![1]!;
    const misspeltFile = await configFile({ cout: 2 }, 'render-small.json');
    const misspelt = await cli('render', '--config', misspeltFile);
    expect(misspelt.stderr.trim()).toBe(`rvs-cli: ${documented.replace('"render-small.json"', JSON.stringify(misspeltFile))}`);
  });
});
