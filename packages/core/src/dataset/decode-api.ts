// What the decode worker serves; the pool calls it through Comlink.
import { ownBuffer, withTransfer } from '../worker/transfer.ts';
import { decodeImage, type DecodedImage } from './decode.ts';

/** API of `decode.worker.ts`. */
export interface DecodeWorkerApi {
  /** Decodes PNG/JPEG bytes to RGBA8; the pixels move back to the caller without a copy. */
  decode(bytes: Uint8Array, name?: string): Promise<DecodedImage>;
}

export const decodeWorkerApi: DecodeWorkerApi = {
  async decode(bytes, name) {
    const img = await decodeImage(bytes, name);
    const data = ownBuffer(img.data);
    return withTransfer({ width: img.width, height: img.height, data }, [data]);
  },
};
