// The report's sample views: images checked, shrunk to at most MAX_IMAGE_SIDE and inlined as
// PNG data URIs, real next to rendered.
import { encode } from 'fast-png';
import { empty, esc } from './html.ts';
import type { ReportImage, TrainReportData } from './types.ts';

/** Images with a longer side than this are shrunk by an integer factor before encoding. */
const MAX_IMAGE_SIDE = 512;

/** Checks an image and returns it as a PNG data URI, shrunk if large, or the reason it cannot be shown. */
export function pngDataUri(image: ReportImage): { uri: string; width: number; height: number } | { error: string } {
  const { width, height, rgba } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) return { error: `image size ${width}×${height} is not positive whole numbers` };
  if (rgba.length !== width * height * 4) return { error: `image data has ${rgba.length} bytes, ${width}×${height} RGBA needs ${width * height * 4}` };
  const f = Math.ceil(Math.max(width, height) / MAX_IMAGE_SIDE);
  let w = width;
  let h = height;
  let data = rgba;
  if (f > 1) {
    // Box filter over f×f blocks; the right and bottom remainders are dropped.
    w = Math.floor(width / f);
    h = Math.floor(height / f);
    data = new Uint8Array(w * h * 4);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let ch = 0; ch < 4; ch++) {
          let acc = 0;
          for (let dy = 0; dy < f; dy++) for (let dx = 0; dx < f; dx++) acc += rgba[((y * f + dy) * width + x * f + dx) * 4 + ch]!;
          data[(y * w + x) * 4 + ch] = Math.round(acc / (f * f));
        }
      }
    }
  }
  const png = encode({ width: w, height: h, data, channels: 4 });
  return { uri: `data:image/png;base64,${Buffer.from(png).toString('base64')}`, width: w, height: h };
}

/** One image of a sample, or a note the size of `shape` (its partner) when there is none. */
function imageCell(image: ReportImage | undefined, caption: string, label: string, shape: ReportImage | undefined): string {
  const ratio = shape && shape.width > 0 && shape.height > 0 ? ` style="aspect-ratio: ${shape.width} / ${shape.height}"` : '';
  const note = (what: string) => `<div class="view"><div class="placeholder"${ratio}>${empty(what)}</div><span>${esc(caption)}</span></div>`;
  if (!image) return note(`no ${caption} image for this sample.`);
  const png = pngDataUri(image);
  if ('error' in png) return note(`${png.error}.`);
  const small = png.width < 160 ? ' class="small"' : '';
  return `<div class="view"><img${small} src="${png.uri}" width="${png.width}" height="${png.height}" alt="${esc(`${label}: ${caption}`)}"><span>${esc(caption)}</span></div>`;
}

export function samplesSection(data: TrainReportData): string {
  if (data.samples.length === 0) return empty('no sample views were recorded.');
  const cards = data.samples.map(
    (s) => `<figure class="sample"><figcaption>${esc(s.label)}</figcaption><div class="pair">${imageCell(s.real, 'real', s.label, s.rendered)}${imageCell(s.rendered, 'rendered', s.label, s.real)}</div></figure>`,
  );
  return `<div class="samples">${cards.join('')}</div>`;
}
