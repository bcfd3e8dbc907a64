import { describe, expect, it } from 'vitest';
import { studentTwoSidedP, summarize, welchTTest } from '../src/profiler/stats.ts';

describe('profiler statistics', () => {
  it('summarises against hand-computed values (even count)', () => {
    // Sorted [2,4,4,4,5,5,7,9]: mean 40/8 = 5, squared deviations 9+1+1+1+0+0+4+16 = 32,
    // sample variance 32/7, median (4+5)/2.
    const s = summarize([9, 2, 4, 4, 5, 7, 4, 5]);
    expect(s.count).toBe(8);
    expect(s.total).toBe(40);
    expect(s.mean).toBe(5);
    expect(s.std).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(s.median).toBe(4.5);
    expect(s.min).toBe(2);
    expect(s.max).toBe(9);
  });

  it('takes the middle value as the median of an odd count', () => {
    const s = summarize([3, 1, 2]);
    expect(s.median).toBe(2);
    expect(s.mean).toBe(2);
    expect(s.std).toBe(1);
  });

  it('gives std 0 for one sample and zeros for none', () => {
    expect(summarize([1.5])).toEqual({ mean: 1.5, std: 0, total: 1.5, count: 1, min: 1.5, max: 1.5, median: 1.5 });
    expect(summarize([])).toEqual({ mean: 0, std: 0, total: 0, count: 0, min: 0, max: 0, median: 0 });
  });

  it('matches Student t critical values', () => {
    expect(studentTwoSidedP(12.706, 1)).toBeCloseTo(0.05, 4);
    expect(studentTwoSidedP(2.228, 10)).toBeCloseTo(0.05, 4);
    expect(studentTwoSidedP(1.96, 1e6)).toBeCloseTo(0.05, 4);
    expect(studentTwoSidedP(0, 5)).toBe(1);
    expect(studentTwoSidedP(Infinity, 5)).toBe(0);
  });

  it("computes Welch's t and degrees of freedom", () => {
    const r = welchTTest({ mean: 10, std: 1, count: 5 }, { mean: 12, std: 2, count: 7 });
    // se² = 1/5 + 4/7; df = se⁴ / ((1/5)²/4 + (4/7)²/6)
    const se2 = 1 / 5 + 4 / 7;
    expect(r?.t).toBeCloseTo(-2 / Math.sqrt(se2), 12);
    expect(r?.df).toBeCloseTo((se2 * se2) / (1 / 25 / 4 + 16 / 49 / 6), 12);
    expect(r?.p).toBeGreaterThan(0.04);
    expect(r?.p).toBeLessThan(0.05);
    expect(welchTTest({ mean: 1, std: 0, count: 1 }, { mean: 2, std: 0, count: 5 })).toBeUndefined();
    expect(welchTTest({ mean: 1, std: 0, count: 3 }, { mean: 1, std: 0, count: 3 })?.p).toBe(1);
    expect(welchTTest({ mean: 1, std: 0, count: 3 }, { mean: 2, std: 0, count: 3 })?.p).toBe(0);
  });
});
