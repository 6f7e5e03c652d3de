import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { api, cleanupAfterAll, ROOT, spawnServer } from './harness.js';
import { SMALL_PLATFORM_ARGS } from './platform-fixture.js';

const { later, tempDir } = cleanupAfterAll();

/** Runs `npm run demo:seed -- …` as a user would (tsx, the repository as working folder). */
function demoSeed(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/cli/demo-seed.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

describe('demo:seed presets', () => {
  it('seeds a small city of three counties through the CLI, and the server runs on it', async () => {
    const dir = tempDir();
    const seeded = await demoSeed(['--data', dir, ...SMALL_PLATFORM_ARGS]);
    expect(seeded.stderr).toBe('');
    expect(seeded.code).toBe(0);
    expect(seeded.stdout).toContain('Seeding 3 counties in one city');
    expect(seeded.stdout).toMatch(/cities\s+1\n/);
    expect(seeded.stdout).toMatch(/counties\s+3\n/);
    expect(seeded.stdout).toMatch(/micro-grids\s+1,500\n/);

    const db = new Database(join(dir, 'gridcommand.db'), { readonly: true });
    const levels = Object.fromEntries(db.prepare('SELECT level, count(*) AS n FROM regions GROUP BY level').raw().all() as Array<[string, number]>);
    expect(levels).toEqual({ city: 1, county: 3, town: 9, village: 45, grid: 300, microgrid: 1500 });
    expect(db.prepare("SELECT id, name FROM regions WHERE level = 'city'").get()).toMatchObject({ id: '330800' });
    // T县 keeps its code in its city
    expect(db.prepare("SELECT parent_id FROM regions WHERE id = '330899'").pluck().get()).toBe('330800');
    expect(db.prepare("SELECT value FROM meta WHERE key = 'root_region_id'").pluck().get()).toBe('330800');
    const events = db.prepare('SELECT count(*) FROM events').pluck().get() as number;
    const lastSeq = db.prepare('SELECT max(seq) FROM event_changes').pluck().get() as number;
    expect(db.prepare('SELECT count(*) FROM event_changes').pluck().get()).toBe(lastSeq);
    db.close();

    const server = await spawnServer(dir);
    later(() => server.stop());
    const res = await api<{ items: Array<{ id: string; townId: string }>; total: number }>(server.url, '/api/v1/events?pageSize=1000');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(events);
    // cases of all three counties
    expect(new Set(res.body.items.map((e) => e.townId.slice(0, 6))).size).toBe(3);
  });

  it('answers an unknown preset with the usage and changes nothing', async () => {
    const dir = tempDir();
    const bad = await demoSeed(['--data', dir, '--preset', 'county']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--preset must be one of city, zhejiang (got "county")');
    expect(bad.stderr).toContain('Usage: npm run demo:seed');
    expect(bad.stdout).toBe('');
  });

  it('names the flag when counties need a city', async () => {
    const bad = await demoSeed(['--data', tempDir(), '--counties', '3']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--counties above 1 needs --cities 1 or more');
  });
});
