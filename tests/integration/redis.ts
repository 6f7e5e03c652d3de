import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './postgres.js';

/**
 * A throwaway Redis for the tests of several server nodes, from Debian's `redis-server` package
 * (tests/preflight.ts installs it): on a free port of 127.0.0.1, nothing saved to disk, stopped
 * with the test file; a run that dies first leaves a watcher behind that stops it.
 */
export interface TestRedis {
  /** redis://127.0.0.1:<port> */
  readonly url: string;
  /** Kills the server (SIGKILL), as an outage would. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function launch(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`redis-server did not start:\n${out}`)), 20_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        ok();
      }
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      fail(new Error(`redis-server could not run (apt-get install -y redis-server): ${err.message}`));
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`redis-server exited with ${code}:\n${out}`));
    });
  });
  child.stdout!.resume();
  child.stderr!.resume();
  return child;
}

const exited = (child: ChildProcess) => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((done) => child.once('exit', () => done())));

export async function startTestRedis(): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'gridcommand-redis-'));
  const port = await freePort();
  let child = await launch(port, dir);
  const watch = (pid: number) => {
    const watcher = spawn('sh', ['-c', `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; kill -9 ${pid} 2>/dev/null; rm -rf '${dir}'`], { detached: true, stdio: 'ignore' });
    watcher.unref();
    return watcher;
  };
  let watcher = watch(child.pid!);
  const kill = async () => {
    child.kill('SIGKILL');
    await exited(child);
    if (watcher.pid !== undefined && watcher.exitCode === null) process.kill(watcher.pid);
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    kill,
    async restart() {
      child = await launch(port, dir);
      watcher = watch(child.pid!);
    },
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
