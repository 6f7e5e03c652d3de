/**
 * What the live-path benchmarks (`npm run bench`, bench/run.ts) share: statistics, the table,
 * child processes (the product and the raw baselines each run in a process of their own, so the
 * bench's clients never share an event loop with the server they measure), their memory, temp
 * folders, and the demo county seeded once and cached.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');

// ---------------------------------------------------------------------------------------------
// statistics

export const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** Nearest-rank percentile (p in 0–100) of an unsorted sample; NaN when empty. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = Float64Array.from(xs).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const median = (xs: readonly number[]) => percentile(xs, 50);

/** Least-squares slope of y over x (per unit of x). */
export function slope(points: ReadonlyArray<{ x: number; y: number }>): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const mx = sum(points.map((p) => p.x)) / n;
  const my = sum(points.map((p) => p.y)) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den === 0 ? Number.NaN : num / den;
}

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes of one machine. */
export const wallNow = () => performance.timeOrigin + performance.now();

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/**
 * Calls `one` `count` times: all in one turn when `intervalMs` is 0 (a burst, as a batch of commits
 * announces its changes), else the i-th at `start + i × intervalMs`; what each call returned.
 */
export async function paced<T>(count: number, intervalMs: number, one: () => T): Promise<T[]> {
  const out: T[] = [];
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const wait = intervalMs === 0 ? 0 : start + i * intervalMs - performance.now();
    if (wait > 0) await sleep(wait);
    out.push(one());
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// results

/**
 * How a row is judged. `ratio-min` / `ratio-max`: product ÷ baseline against the value;
 * `max`: the product's own figure (an absolute budget; the ratio is shown for context);
 * `stated`: a figure to state, not a target (not counted in "N of M targets met").
 */
export type Target = { kind: 'ratio-min' | 'ratio-max' | 'max'; value: number } | { kind: 'stated' };

/** One figure of one run of a benchmark. */
export interface Sample {
  /** Stable key, e.g. `fanout.deliveries.200`. */
  id: string;
  measure: string;
  unit: string;
  baseline: number;
  product: number;
  target: Target;
  /** Anything the table should carry next to the figure (errors seen, counts). */
  note?: string;
}

export interface Row {
  id: string;
  measure: string;
  unit: string;
  baseline: number;
  product: number;
  ratio: number;
  target: Target;
  targetText: string;
  /** null for stated figures. */
  met: boolean | null;
  runs: number;
  samples: { baseline: number[]; product: number[] };
  notes: string[];
}

export function targetText(t: Target, unit: string): string {
  switch (t.kind) {
    case 'ratio-min':
      return `≥ ${t.value}×`;
    case 'ratio-max':
      return `≤ ${t.value}×`;
    case 'max':
      return `≤ ${t.value} ${unit}`;
    case 'stated':
      return 'stated';
  }
}

/** Medians of every figure over the runs, the ratio of the medians, and the verdict. */
export function summarise(samples: readonly Sample[]): Row[] {
  const byId = new Map<string, Sample[]>();
  for (const s of samples) byId.set(s.id, [...(byId.get(s.id) ?? []), s]);
  return [...byId.values()].map((runs) => {
    const first = runs[0]!;
    const baseline = median(runs.map((r) => r.baseline));
    const product = median(runs.map((r) => r.product));
    const ratio = product / baseline;
    const t = first.target;
    const met = t.kind === 'stated' ? null : t.kind === 'ratio-min' ? ratio >= t.value : t.kind === 'ratio-max' ? ratio <= t.value : product <= t.value;
    return {
      id: first.id,
      measure: first.measure,
      unit: first.unit,
      baseline,
      product,
      ratio,
      target: t,
      targetText: targetText(t, first.unit),
      met: Number.isNaN(product) ? false : met,
      runs: runs.length,
      samples: { baseline: runs.map((r) => r.baseline), product: runs.map((r) => r.product) },
      notes: [...new Set(runs.flatMap((r) => (r.note ? [r.note] : [])))],
    };
  });
}

/** A figure as the table shows it: 3 significant digits, thousands separated. */
export function figure(x: number, unit = ''): string {
  if (!Number.isFinite(x)) return '—';
  const abs = Math.abs(x);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  const text = x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return unit ? `${text} ${unit}` : text;
}

export function markdownTable(rows: readonly Row[]): string {
  const lines = ['| measure | baseline | product | ratio | target | met |', '|---|---:|---:|---:|---|---|'];
  for (const r of rows) {
    const verdict = r.met === null ? '—' : r.met ? 'met' : '**missed**';
    const ratio = Number.isFinite(r.ratio) ? `${figure(r.ratio)}×` : '—';
    lines.push(`| ${r.measure} | ${figure(r.baseline, r.unit)} | ${figure(r.product, r.unit)} | ${ratio} | ${r.targetText} | ${verdict} |`);
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// temp folders and cleanup

/** Everything a benchmark must undo, last registered first: children to stop, folders to remove, sockets to close. */
export class Cleanup {
  private readonly steps: Array<() => unknown> = [];

  later(step: () => unknown): void {
    this.steps.push(step);
  }

  tempDir(prefix = 'gridcommand-bench-'): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.later(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  async run(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await step();
      } catch (err) {
        process.stderr.write(`cleanup step failed: ${String(err)}\n`);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// child processes

export interface Child {
  child: ChildProcess;
  pid: number;
  /** Sends a request over IPC and resolves with the child's answer of the same id. */
  ask<T>(message: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  /** SIGTERM, then SIGKILL after 10 s; resolves when the process has exited. */
  stop(): Promise<void>;
  output(): string;
}

/**
 * A bench child: `node --expose-gc --import tsx SCRIPT`, with an IPC channel. The child answers
 * `{ id, ...message }` requests with `{ id, ...answer }` and first sends `{ type: 'ready', ... }`.
 */
export async function startChild<Ready>(script: string, args: string[], cleanup: Cleanup, timeoutMs = 120_000): Promise<Child & { ready: Ready }> {
  // BENCH_CPU_PROF=DIR: each child writes a CPU profile into DIR when it exits (where the time goes)
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${resolve(process.env.BENCH_CPU_PROF)}`] : [];
  const child = spawn(process.execPath, ['--expose-gc', ...profile, '--import', 'tsx', resolve(ROOT, script), ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-20_000)));
  child.stderr!.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-20_000)));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  cleanup.later(stop);
  let nextId = 0;
  const pending = new Map<number, { ok: (v: never) => void; fail: (e: Error) => void }>();
  child.on('message', (m: { id?: number; error?: string }) => {
    if (m.id === undefined) return;
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.error) p?.fail(new Error(m.error));
    else p?.ok(m as never);
  });
  child.once('exit', (code, signal) => {
    for (const p of pending.values()) p.fail(new Error(`${script} exited (${code ?? signal}):\n${out}`));
    pending.clear();
  });
  const ready = await new Promise<Ready>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`${script} did not start in ${timeoutMs} ms:\n${out}`)), timeoutMs);
    child.on('message', (m: { type?: string }) => {
      if (m.type !== 'ready') return;
      clearTimeout(timer);
      ok(m as Ready);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`${script} exited (${code ?? signal}) before it was ready:\n${out}`));
    });
  });
  return {
    child,
    pid: child.pid!,
    ready,
    stop,
    output: () => out,
    ask<T>(message: Record<string, unknown>, askTimeoutMs = 300_000) {
      const id = nextId++;
      return new Promise<T>((ok, fail) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          fail(new Error(`${script} did not answer ${JSON.stringify(message).slice(0, 100)} in ${askTimeoutMs} ms`));
        }, askTimeoutMs);
        pending.set(id, {
          ok: (v) => {
            clearTimeout(timer);
            ok(v as T);
          },
          fail: (e) => {
            clearTimeout(timer);
            fail(e);
          },
        });
        child.send({ ...message, id });
      });
    },
  };
}

/** A process's resident set size, MB, from /proc (the same reading for the product and the baselines). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

/** Samples a process's RSS every `everyMs` until stopped; returns the samples (t = wall ms). */
export function sampleRss(pid: number, everyMs: number): { stop(): Array<{ t: number; mb: number }> } {
  const samples: Array<{ t: number; mb: number }> = [];
  const take = () => {
    try {
      samples.push({ t: wallNow(), mb: rssMb(pid) });
    } catch {
      // the process ended: nothing more to sample
    }
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return samples;
    },
  };
}

/** Spawns `node --import tsx ARGS` as the user would start it (no IPC); resolves on a stdout line matching `ready`. */
export function spawnScript(
  args: string[],
  ready: RegExp,
  cleanup: Cleanup,
  timeoutMs = 120_000,
): { child: ChildProcess; started: Promise<{ match: RegExpExecArray; at: number }>; exited: Promise<number | null>; stop(): Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  cleanup.later(stop);
  const started = new Promise<{ match: RegExpExecArray; at: number }>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`${args[0]} did not start in ${timeoutMs} ms:\n${out}`)), timeoutMs);
    child.stdout!.on('data', (c: Buffer) => {
      const at = performance.now();
      out += c.toString();
      const match = ready.exec(out);
      if (match) {
        clearTimeout(timer);
        ok({ match, at });
      }
    });
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`${args[0]} exited (${code ?? signal}):\n${out}`));
    });
  });
  // a caller that waits for the exit instead must not see an unhandled rejection
  started.catch(() => undefined);
  return { child, started, exited, stop };
}

// ---------------------------------------------------------------------------------------------
// the demo county, seeded once

/**
 * The default demo county (781 grids, 3,739 micro-grids, 567 teams, ~6,000 cases, ~40,000
 * changes), seeded as of a fixed day so every run starts from the same database. Every deadline
 * of its history has passed when a bench runs.
 */
const COUNTY_SEED_ARGS = ['--as-of', '2026-11-25T00:00:00+08:00'];
const COUNTY_CACHE_PREFIX = 'gridcommand-bench-county-';

/**
 * The cache key: the seed options and the code that decides what the seeded database holds
 * (the migrations and the generator), so a changed migration or generator seeds anew instead of
 * timing a migration on every restart.
 */
function countyKey(): string {
  const hash = createHash('sha256').update(JSON.stringify(COUNTY_SEED_ARGS));
  const sources = [
    ...readdirSync(resolve(ROOT, 'server/src/db')).filter((n) => n.startsWith('migration')).map((n) => `server/src/db/${n}`),
    ...readdirSync(resolve(ROOT, 'server/src/modules/demo')).filter((n) => n.endsWith('.ts')).map((n) => `server/src/modules/demo/${n}`),
  ];
  for (const f of sources.sort()) hash.update(readFileSync(resolve(ROOT, f)));
  return hash.digest('hex').slice(0, 12);
}

export interface County {
  /** Seeded only: the server never ran on it (its first start does the start-up catch-up). */
  seeded: string;
  /** Seeded, then started once with --demo and stopped: demo users exist, start-up sweeps done. */
  started: string;
}

/**
 * The county cache under os.tmpdir(), made on first use (~10 s to seed, a few to start once) and
 * reused by later runs with the same key; caches of other keys are removed. Never modified: each
 * run works on a copy (`copyCounty`).
 */
export async function county(log: (line: string) => void): Promise<County> {
  const key = countyKey();
  const dir = join(tmpdir(), `${COUNTY_CACHE_PREFIX}${key}`);
  for (const old of readdirSync(tmpdir()).filter((n) => n.startsWith(COUNTY_CACHE_PREFIX) && n !== `${COUNTY_CACHE_PREFIX}${key}`)) {
    rmSync(join(tmpdir(), old), { recursive: true, force: true });
  }
  const result = { seeded: join(dir, 'seeded'), started: join(dir, 'started') };
  if (existsSync(join(result.started, 'gridcommand.db'))) return result;

  log(`seeding the demo county once into ${dir} (cached for later runs)…`);
  const work = mkdtempSync(join(tmpdir(), `${COUNTY_CACHE_PREFIX}making-`));
  const cleanup = new Cleanup();
  try {
    const seeded = join(work, 'seeded');
    const seed = spawnScript(['server/src/cli/demo-seed.ts', '--data', seeded, ...COUNTY_SEED_ARGS], /$^/, cleanup, 300_000);
    const code = await seed.exited;
    if (code !== 0) throw new Error(`demo-seed exited with ${code}`);
    const started = join(work, 'started');
    cpSync(seeded, started, { recursive: true });
    const server = spawnScript(['server/src/cli/server.ts', '--port', '0', '--data', started, '--demo'], /console (http:\/\/\S+\/)/, cleanup, 300_000);
    await server.started;
    await server.stop();
    mkdirSync(dir, { recursive: true });
    rmSync(result.seeded, { recursive: true, force: true });
    rmSync(result.started, { recursive: true, force: true });
    renameSync(seeded, result.seeded);
    renameSync(started, result.started);
  } finally {
    await cleanup.run();
    rmSync(work, { recursive: true, force: true });
  }
  return result;
}

/** A private copy of a cached county folder, removed by `cleanup`. */
export function copyCounty(from: string, cleanup: Cleanup): string {
  const dir = cleanup.tempDir('gridcommand-bench-data-');
  cpSync(from, dir, { recursive: true });
  return dir;
}

/** Runs `fn` on batches of `items`, `size` at a time (connecting thousands of sockets without a SYN flood). */
export async function inBatches<T, R>(items: readonly T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

/** CPU seconds (user + system) a process has used, from /proc (clock ticks of 1/100 s). */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

// ---------------------------------------------------------------------------------------------
// benchmarks

export interface BenchContext {
  quick: boolean;
  /** 0-based index of this run; benchmarks alternate which side goes first by it. */
  run: number;
  county: County;
  /** Minutes the soak runs the product (10, or 1 with --quick). */
  soakMinutes: number;
  log(line: string): void;
}

export interface Benchmark {
  key: string;
  title: string;
  /** Runs once whatever --runs says (the soak: its length is the measurement). */
  once?: boolean;
  run(ctx: BenchContext): Promise<Sample[]>;
}
