import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Cleanup, ROOT, spawnScript } from '../support.js';

/** The province the map-scale benches run on; --quick takes the city preset instead. */
function provinceArgs(quick: boolean): string[] {
  return ['--preset', quick ? 'city' : 'zhejiang', '--as-of', '2026-11-25T00:00:00+08:00'];
}

/** A key over the seed arguments and the generator and migrations, so a changed generator seeds anew. */
function provinceKey(args: readonly string[]): string {
  const hash = createHash('sha256').update(JSON.stringify(args));
  const files = [
    ...readdirSync(resolve(ROOT, 'server/src/db')).filter((n) => n.startsWith('migration')).map((n) => `server/src/db/${n}`),
    ...readdirSync(resolve(ROOT, 'server/src/modules/demo')).filter((n) => n.endsWith('.ts')).map((n) => `server/src/modules/demo/${n}`),
  ];
  for (const f of files.sort()) hash.update(readFileSync(resolve(ROOT, f)));
  return hash.digest('hex').slice(0, 12);
}

/**
 * A data folder holding the seeded province, never modified (each bench copies it):
 * BENCH_PROVINCE_DATA=DIR when given (e.g. one `npm run demo:seed -- --preset zhejiang --data DIR`
 * made), else the benches' own under .tmp/ (gitignored), seeded on first use (minutes) and kept
 * while the generator and migrations are unchanged; the tiles and pan benches share it.
 */
export async function provinceData(quick: boolean, log: (line: string) => void): Promise<string> {
  const given = process.env.BENCH_PROVINCE_DATA;
  if (given) {
    if (!existsSync(join(given, 'gridcommand.db'))) throw new Error(`BENCH_PROVINCE_DATA=${given} holds no gridcommand.db`);
    return given;
  }
  const args = provinceArgs(quick);
  const cacheRoot = resolve(ROOT, '.tmp');
  const dir = join(cacheRoot, `bench-province-${provinceKey(args)}`);
  if (existsSync(join(dir, 'gridcommand.db'))) return dir;
  log(`seeding the province once (${args.join(' ')}) into ${dir}; later runs reuse it…`);
  mkdirSync(cacheRoot, { recursive: true });
  const work = `${dir}.making`;
  rmSync(work, { recursive: true, force: true });
  const cleanup = new Cleanup();
  try {
    const seed = spawnScript(['server/src/cli/demo-seed.ts', '--data', work, ...args], /$^/, cleanup, 3_600_000);
    const code = await seed.exited;
    if (code !== 0) throw new Error(`demo-seed exited with ${code}`);
    renameSync(work, dir);
  } finally {
    await cleanup.run();
    rmSync(work, { recursive: true, force: true });
  }
  return dir;
}
