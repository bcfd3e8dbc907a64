import { readFile, writeFile } from 'node:fs/promises';
import { compareReports, comparisonSvg, formatComparisonTable, type ProfileReport } from '@rvs/core';
import { UsageError, type Command } from '../command.ts';

async function readReport(path: string): Promise<ProfileReport> {
  const text = await readFile(path, 'utf8').catch(() => {
    throw new UsageError(`cannot read report "${path}": does the file exist?`);
  });
  const report = JSON.parse(text) as ProfileReport;
  if (!report || typeof report.summary !== 'object') throw new UsageError(`"${path}" is not an rvs profile report (no "summary" section)`);
  return report;
}

export const compare: Command = {
  name: 'compare',
  summary: 'Compare two profile reports: speed-up per section, with noise-aware verdicts',
  usage: 'rvs-cli compare before.json after.json [--svg chart.svg] [--json]',
  options: { svg: { type: 'string', description: 'write an SVG chart of the speed-ups' } } as Command['options'],
  async run(args, out) {
    const [before, after] = (args.positionals ?? []) as string[];
    if (!before || !after) throw new UsageError('compare needs two reports: rvs-cli compare before.json after.json');
    const comparison = compareReports(await readReport(before), await readReport(after));
    if (typeof args.svg === 'string') await writeFile(args.svg, comparisonSvg(comparison));
    out.result(comparison, () => formatComparisonTable(comparison));
  },
};
