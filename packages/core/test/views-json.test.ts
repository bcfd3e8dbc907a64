import { expect, it } from 'vitest';
import { parseViewsJson } from '../src/index.ts';

const file = JSON.stringify({
  width: 100,
  height: 50,
  views: [{ K: [[80, 0, 50], [0, 90, 25], [0, 0, 1]], viewmat: [[1, 0, 0, 1], [0, 1, 0, 2], [0, 0, 1, 3], [0, 0, 0, 1]] }],
});

it('reads views and scales the intrinsics with the render size', () => {
  const v = parseViewsJson(file, 'views.json', '200x25');
  expect([v.width, v.height]).toEqual([200, 25]);
  expect(Array.from(v.Ks)).toEqual([160, 0, 100, 0, 45, 12.5, 0, 0, 1]);
  expect(Array.from(v.viewmats.subarray(0, 4))).toEqual([1, 0, 0, 1]);
  expect(parseViewsJson(file, 'views.json').width).toBe(100);
});

it('names the problem', () => {
  expect(() => parseViewsJson('{', 'v.json')).toThrow(/"v.json" is not JSON/);
  expect(() => parseViewsJson('{"views": []}', 'v.json')).toThrow(/"v.json" has no "views" list/);
  expect(() => parseViewsJson(file, 'v.json', '10by2')).toThrow(/size must look like 648x420, got "10by2"/);
});
