/**
 * One clock for every process of a run. `process.hrtime` is CLOCK_MONOTONIC, which Linux shares between processes,
 * so a timestamp taken in the sender worker can be subtracted from one taken in a viewer worker. `performance.now()`
 * is cheaper than `hrtime.bigint()` and runs on the same clock from a per-process origin, so the offset between the
 * two is computed once.
 */
const OFFSET_MS = Number(process.hrtime.bigint()) / 1e6 - performance.now();

/** Milliseconds on the machine-wide monotonic clock, with sub-millisecond precision. */
export function monoNow(): number {
  return performance.now() + OFFSET_MS;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
