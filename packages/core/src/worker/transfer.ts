// Moving typed arrays inside a returned object across threads. `transferred` (endpoint.ts)
// marks a bare view; Comlink only honours marks on the top-level value, so objects that carry
// views need this.
import * as Comlink from 'comlink/dist/esm/comlink.mjs';

/**
 * Marks `value` so that the buffers of `views` move (not copy) with it to the other thread.
 * Each view must own its whole buffer (see {@link ownBuffer}), or the move would take its
 * neighbours too.
 */
export function withTransfer<T>(value: T, views: readonly ArrayBufferView[]): T {
  return Comlink.transfer(value, views.map((v) => v.buffer as ArrayBuffer));
}

/** `view` itself if it spans its whole ArrayBuffer, else a copy that does (safe to transfer). */
export function ownBuffer<T extends Uint8Array>(view: T): Uint8Array<ArrayBuffer> {
  const owns = view.byteOffset === 0 && view.byteLength === view.buffer.byteLength && view.buffer instanceof ArrayBuffer;
  return owns ? (view as unknown as Uint8Array<ArrayBuffer>) : new Uint8Array(view);
}
