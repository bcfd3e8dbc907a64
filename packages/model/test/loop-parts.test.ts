// The training loop's pure parts: translation normalisation, metrics, the plateau schedule.
import { describe, expect, it } from 'vitest';
import { lookAt } from '@rvs/core';
import { denormalizePose, fitNormalizer, initialPlateau, median, normalizePose, poseErrors, stepPlateau, summarizeErrors } from '@rvs/model';

describe('training loop parts', () => {
  it('normalises translations to zero mean and unit RMS spread, and back', () => {
    const poses = [[0, 0, 0], [2, 0, 0], [0, 4, 0]].map((eye) => lookAt(eye, [0, 0, 10], [0, -1, 0]));
    const n = fitNormalizer(poses);
    expect(n.center).toEqual([2 / 3, 4 / 3, 0]);
    const normalized = poses.map((p) => normalizePose(p, n));
    const rms = Math.sqrt(normalized.reduce((s, p) => s + p.t[0]! ** 2 + p.t[1]! ** 2 + p.t[2]! ** 2, 0) / 3);
    expect(rms).toBeCloseTo(1, 12);
    expect(Array.from(denormalizePose(normalized[2]!, n).t)).toEqual([0, 4, 0].map((v) => expect.closeTo(v, 12)));
    expect(() => fitNormalizer([])).toThrow(/no training poses/);
  });

  it('computes medians and the 5 cm / 5° and 2 cm / 2° shares', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    const errors = { translation: [0.01, 0.03, 0.04, 0.5], rotationDeg: [1, 1, 6, 1] };
    const s = summarizeErrors(errors);
    expect(s).toMatchObject({ count: 4, medianTranslation: 0.035, medianRotationDeg: 1, within5cm5deg: 0.5, within2cm2deg: 0.25 });
    // Scene units in centimetres: 0.04 units = 0.4 mm.
    expect(summarizeErrors(errors, 0.01).within2cm2deg).toBe(0.75);
    const a = lookAt([0, 0, 0], [0, 0, 1], [0, -1, 0]);
    const b = lookAt([0.1, 0, 0], [0.1, 0, 1], [0, -1, 0]);
    expect(poseErrors([a], [b]).translation[0]).toBeCloseTo(0.1, 12);
    expect(() => poseErrors([a], [])).toThrow(/1 estimates for 0 references/);
  });

  it('halves the learning rate after `patience` epochs without improvement', () => {
    let s = initialPlateau(1e-3);
    for (const loss of [5, 4, 4, 4, 4]) s = stepPlateau(s, loss, { patience: 2, factor: 0.5 });
    expect(s.lr).toBeCloseTo(5e-4, 12);
    expect(s.reductions).toBe(1);
    s = stepPlateau(s, 1, { patience: 2 });
    expect(s).toMatchObject({ best: 1, badEpochs: 0 });
    expect(() => initialPlateau(0)).toThrow(/positive/);
  });
});
