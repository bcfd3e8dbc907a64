// Test helpers (private package). Tests import from here.
export { CHROMIUM_ARGS, withChromiumPage } from './chromium.ts';
export type { BrowserRun } from './chromium.ts';
export { cpuSort, firstMismatch, makePairs } from './sort-check.ts';
