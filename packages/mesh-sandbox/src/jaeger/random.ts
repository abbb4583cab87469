import { createHash } from 'node:crypto';

/** A small seeded PRNG (mulberry32): the same seed gives the same sequence on every machine. */
export class SeededRandom {
  private state: number;

  /** Seeds from any string, e.g. `${seed}:${slot}`. */
  constructor(seed: string) {
    this.state = createHash('sha256').update(seed).digest().readUInt32LE(0);
  }

  /** In [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** `bytes` random bytes as lowercase hex, never all zero. */
  hex(bytes: number): string {
    let out = '';
    for (let i = 0; i < bytes; i++) {
      out += Math.floor(this.next() * 256)
        .toString(16)
        .padStart(2, '0');
    }
    return /^0+$/.test(out) ? `${out.slice(0, -1)}1` : out;
  }
}

/** Milliseconds as bigint nanoseconds, rounded to the microsecond (what Jaeger v1 can show). */
export const msToNs = (ms: number): bigint =>
  BigInt(Math.round(ms * 1000)) * 1000n;
