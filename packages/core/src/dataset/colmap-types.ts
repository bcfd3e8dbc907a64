// Records of a COLMAP sparse model shared by the text and binary readers.
import type { ColmapCamera } from './colmap-camera.ts';

/** An image record: COLMAP's world-to-camera pose and its camera. */
export interface ColmapImage {
  readonly id: number;
  /** World-to-camera rotation `[w, x, y, z]`. */
  readonly qvec: Float64Array;
  /** World-to-camera translation. */
  readonly tvec: Float64Array;
  readonly cameraId: number;
  /** Image path relative to the images directory. */
  readonly name: string;
  /** 1-based line in images.txt (text models), for error messages. */
  readonly line?: number;
}

/** Sparse points: `[N, 3]` positions, `[N, 3]` colours, `[N]` reprojection errors. */
export interface ColmapPoints {
  readonly xyz: Float64Array;
  readonly rgb: Uint8Array;
  readonly error: Float64Array;
}

/** A whole sparse model. */
export interface ColmapModel {
  readonly cameras: ReadonlyMap<number, ColmapCamera>;
  readonly images: readonly ColmapImage[];
  readonly points?: ColmapPoints;
}
