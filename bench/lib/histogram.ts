/**
 * A latency histogram cheap enough for the generator's hot path: 0.1 ms buckets below 1 s, 10 ms buckets up to 60 s,
 * one overflow bucket. It travels between processes as sparse [bucket, count] pairs.
 */
const FINE = 10_000; // 0..1000 ms by 0.1 ms
const COARSE = 5_900; // 1 s..60 s by 10 ms
const SIZE = FINE + COARSE + 1;

export type SparseHistogram = Array<[number, number]>;

export class Histogram {
  private readonly buckets = new Uint32Array(SIZE);
  count = 0;
  sum = 0;
  max = 0;

  record(ms: number): void {
    if (!(ms > 0)) ms = 0;
    let i: number;
    if (ms < 1000) i = (ms * 10) | 0;
    else if (ms < 60_000) i = FINE + (((ms - 1000) / 10) | 0);
    else i = SIZE - 1;
    this.buckets[i]!++;
    this.count++;
    this.sum += ms;
    if (ms > this.max) this.max = ms;
  }

  /** Upper edge of the bucket that holds the p-th percentile (0 < p ≤ 100); NaN when empty. */
  percentile(p: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.ceil((p / 100) * this.count);
    let seen = 0;
    for (let i = 0; i < SIZE; i++) {
      seen += this.buckets[i]!;
      if (seen >= rank) return Math.min(upperEdge(i), this.max);
    }
    return this.max;
  }

  get mean(): number {
    return this.count === 0 ? NaN : this.sum / this.count;
  }

  toSparse(): { buckets: SparseHistogram; count: number; sum: number; max: number } {
    const buckets: SparseHistogram = [];
    for (let i = 0; i < SIZE; i++) if (this.buckets[i]! > 0) buckets.push([i, this.buckets[i]!]);
    return { buckets, count: this.count, sum: this.sum, max: this.max };
  }

  merge(other: { buckets: SparseHistogram; count: number; sum: number; max: number }): this {
    for (const [i, n] of other.buckets) this.buckets[i]! += n;
    this.count += other.count;
    this.sum += other.sum;
    if (other.max > this.max) this.max = other.max;
    return this;
  }

  reset(): void {
    this.buckets.fill(0);
    this.count = 0;
    this.sum = 0;
    this.max = 0;
  }

  /** "p50 12.3 / p99 45.6 / max 78.9 ms" */
  summary(): string {
    if (this.count === 0) return 'no samples';
    return `p50 ${fmtMs(this.percentile(50))} / p99 ${fmtMs(this.percentile(99))} / max ${fmtMs(this.max)} ms`;
  }
}

function upperEdge(i: number): number {
  if (i < FINE) return (i + 1) / 10;
  if (i < SIZE - 1) return 1000 + (i - FINE + 1) * 10;
  return Infinity;
}

export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  return ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0);
}
