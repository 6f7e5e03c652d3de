/**
 * Seeded randomness for the demo county. The demo must be byte-for-byte reproducible from its
 * options, so nothing here reads Math.random or the clock.
 *
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator) passes PractRand at this size and
 * needs only 32-bit integer arithmetic, so results are identical on every JavaScript engine.
 */

/** cyrb128: spreads an arbitrary string into four 32-bit words to seed sfc32. */
function hash128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /**
   * `label` names an independent stream: the geometry, the people and the events each draw
   * from their own, so asking for more events does not move a single polygon. A string seed
   * (the platform seed with a county's code) gives each county of a platform its own streams.
   */
  constructor(
    private readonly seed: number | string,
    label: string,
  ) {
    [this.a, this.b, this.c, this.d] = hash128(`${seed}/${label}`);
    // Warm up: the first outputs of a freshly seeded sfc32 are weakly mixed.
    for (let i = 0; i < 15; i++) this.next();
  }

  /** A new stream derived from the same seed, independent of how much this one was used. */
  fork(label: string): Random {
    return new Random(this.seed, label);
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.a |= 0;
    this.b |= 0;
    this.c |= 0;
    this.d |= 0;
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Uniform in [min, max). */
  range(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Uniform integer in [min, max], both ends included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Index drawn with probability proportional to its weight. */
  weightedIndex(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i]!;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Fisher–Yates, in place; returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
}

/**
 * Cumulative table for drawing many times from one fixed distribution (binary search instead
 * of a linear scan: the events draw tens of thousands of times from thousands of micro-grids).
 */
export class WeightedTable<T> {
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(
    private readonly items: readonly T[],
    weights: readonly number[],
  ) {
    if (items.length === 0 || items.length !== weights.length) throw new Error('WeightedTable needs one weight per item');
    this.cumulative = new Float64Array(items.length);
    let sum = 0;
    weights.forEach((w, i) => {
      sum += Math.max(0, w);
      this.cumulative[i] = sum;
    });
    if (sum <= 0) throw new Error('WeightedTable needs a positive weight');
    this.total = sum;
  }

  draw(rng: Random): T {
    const r = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo]!;
  }
}

/**
 * Splits `total` into integer shares proportional to `weights` (largest remainder), each at
 * least `min`. Counts per level must come out exact, so rounding is never left to chance.
 */
export function allocate(total: number, weights: readonly number[], min = 1): number[] {
  const n = weights.length;
  if (total < n * min) throw new RangeError(`cannot give ${n} parts at least ${min} each out of ${total}`);
  const free = total - n * min;
  const sum = weights.reduce((s, w) => s + Math.max(0, w), 0);
  const exact = weights.map((w) => (sum > 0 ? (free * Math.max(0, w)) / sum : free / n));
  const shares = exact.map((x) => Math.floor(x));
  let left = free - shares.reduce((s, x) => s + x, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((p, q) => q.r - p.r || p.i - q.i);
  for (let k = 0; left > 0; k = (k + 1) % n, left--) shares[order[k]!.i]! += 1;
  return shares.map((s) => s + min);
}
