// Building a camera from where it is and what it looks at (the sampler's sphere mode).
import { cross3, fromColumns, norm3, scale3, sub3 } from './mat3.ts';
import { makePose } from './se3.ts';
import type { NumArray, Pose } from './types.ts';
import { assertFinite, assertLength } from './validate.ts';

/**
 * A camera-to-world pose at `eye` looking at `target`, OpenCV axes: z towards the target,
 * x = z × up (right), y = z × x (down, the side opposite `up`).
 * @throws if a value is NaN/Infinity, eye = target, or the view direction is parallel to `up`.
 */
export function lookAt(eye: NumArray, target: NumArray, up: NumArray, what = 'lookAt'): Pose {
  for (const [v, name] of [[eye, 'eye'], [target, 'target'], [up, 'up']] as const) {
    assertLength(v, 3, `${what} ${name}`);
    assertFinite(v, `${what} ${name}`);
  }
  const forward = sub3(target, eye);
  const fn = norm3(forward);
  if (!(fn > 1e-12)) throw new Error(`${what}: eye and target are the same point [${Array.from(eye).join(', ')}]`);
  const z = scale3(forward, 1 / fn);
  const right = cross3(z, up);
  const rn = norm3(right);
  if (!(rn > 1e-9 * Math.max(1, norm3(up)))) {
    throw new Error(`${what}: view direction [${Array.from(z).join(', ')}] is parallel to up [${Array.from(up).join(', ')}]`);
  }
  const x = scale3(right, 1 / rn);
  return makePose(fromColumns(x, cross3(z, x), z), eye, what);
}
