// Device loss (driver reset, GPU removed, `device.destroy()`): calls fail with one message
// naming it, instead of WebGPU's generic "failed to map a buffer", and never hang.

export interface LostWatch {
  /** Throws the device-lost error when the device is known to be gone. */
  check(what: string): void;
  /** Rejects with the device-lost error when the device is gone, else with `error` itself. */
  explain(what: string, error: unknown): Promise<never>;
}

/** How long a failed call waits for `device.lost` to settle before blaming something else. */
const LOSS_SETTLE_MS = 100;

export function watchDeviceLoss(device: GPUDevice): LostWatch {
  let lost: GPUDeviceLostInfo | undefined;
  void device.lost.then((info) => {
    lost = info;
  });
  const message = (what: string, info: GPUDeviceLostInfo) =>
    `${what}: the GPU device was lost (${info.reason}${info.message ? `: ${info.message}` : ''}); create a new rasterizer and reload scenes to continue`;
  return {
    check(what) {
      if (lost) throw new Error(message(what, lost));
    },
    async explain(what, error) {
      const info = lost ?? (await Promise.race([device.lost, new Promise<undefined>((r) => setTimeout(r, LOSS_SETTLE_MS))]));
      if (info) throw new Error(message(what, info), { cause: error });
      throw error;
    },
  };
}
