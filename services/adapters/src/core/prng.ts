// Seeded PRNG (mulberry32: 32-bit state, period 2^32, fast, good enough for simulation draws;
// not for cryptography). Every random draw of the simulator goes through one instance, so the
// same inputs in the same order give the same run.
import type { Lognormal } from './params.ts';

export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Standard normal by Box-Muller (one of the pair; the other is dropped to keep the state simple). */
  normal(): number {
    const u = 1 - this.next(); // (0, 1]: log(0) avoided
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Lognormal duration in whole ms, at least 1: median * e^(sigma * z). */
  lognormalMs(d: Lognormal): number {
    return Math.max(1, Math.round(d.medianMs * Math.exp(d.sigma * this.normal())));
  }

  /** Exponential waiting time in ms for a rate per hour (Infinity when the rate is 0). */
  exponentialMs(ratePerHour: number): number {
    if (ratePerHour <= 0) return Number.POSITIVE_INFINITY;
    return Math.max(1, Math.round((-Math.log(1 - this.next()) / ratePerHour) * 3_600_000));
  }
}
