/**
 * The seeded random numbers of the reliability tests: every delay, cut and pace comes from here,
 * so a failing run is replayed exactly with GRIDCOMMAND_RELIABILITY_SEED=<the seed it printed>.
 */
export interface Prng {
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** A float in [min, max). */
  range(min: number, max: number): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** An independent stream for one actor, so actors do not shift each other's draws. */
  fork(label: string): Prng;
}

/** mulberry32: tiny, fast and good enough to pick delays; not for anything secret. */
export function prng(seed: number): Prng {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const self: Prng = {
    seed,
    next,
    range: (min, max) => min + next() * (max - min),
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    fork(label) {
      let h = seed >>> 0;
      for (const ch of label) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
      return prng(h);
    },
  };
  return self;
}

/** The run's seed: GRIDCOMMAND_RELIABILITY_SEED when given, else a fresh one; printed either way. */
export function runSeed(test: string): Prng {
  const given = process.env.GRIDCOMMAND_RELIABILITY_SEED;
  const seed = given !== undefined && /^\d+$/.test(given) ? Number(given) >>> 0 : Math.floor(Math.random() * 2 ** 32);
  console.log(`[${test}] seed ${seed} (replay with GRIDCOMMAND_RELIABILITY_SEED=${seed})`);
  return prng(seed);
}

/** The long figures under `npm run test:reliability`, the short ones under `npm test`. */
export const LONG = process.env.GRIDCOMMAND_RELIABILITY === 'long';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Waits until `check` holds, looking every 50 ms; after `timeoutMs` (generous: it only ends a hung
 * run, it is no timing assertion) fails with what `explain` says about the state reached.
 */
export async function waitUntil(check: () => boolean, timeoutMs: number, explain: () => string): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`still waiting after ${timeoutMs} ms: ${explain()}`);
    await sleep(50);
  }
}
