/**
 * Loading `electron` from plain Node starts a download of the Electron binary (it cannot succeed
 * on these machines, and a unit test must never depend on it). This keeps every unit test under
 * electron/ away from it: no test may import, even indirectly, a module that imports `electron`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ELECTRON_DIR = import.meta.dirname;
const REPO = resolve(ELECTRON_DIR, '..');

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((imported) => imported.fileName);
}

/** The repo files `file` loads, `.js` specifiers mapped to their `.ts` sources. */
function localImport(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = resolve(dirname(from), specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts'), base];
  return candidates.find((candidate) => existsSync(candidate) && candidate.endsWith('.ts')) ?? null;
}

/** The chain of files from `entry` to one that imports `electron`, or null. */
function pathToElectron(entry: string): string[] | null {
  const seen = new Set<string>();
  const walk = (file: string, chain: string[]): string[] | null => {
    if (seen.has(file)) return null;
    seen.add(file);
    for (const specifier of importsOf(file)) {
      if (specifier === 'electron' || specifier.startsWith('electron/')) return [...chain, file];
      const next = localImport(file, specifier);
      const found = next === null ? null : walk(next, [...chain, file]);
      if (found) return found;
    }
    return null;
  };
  return walk(entry, []);
}

describe('unit tests under electron/', () => {
  const files = testFiles(ELECTRON_DIR);

  it('exist (the walk found them)', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it.each(files.map((file) => relative(REPO, file)))('%s never loads electron', (file) => {
    expect(pathToElectron(join(REPO, file))).toBeNull();
  });

  it('would notice a module that does', () => {
    expect(pathToElectron(join(ELECTRON_DIR, 'main/index.ts'))).toEqual([join(ELECTRON_DIR, 'main/index.ts')]);
    expect(pathToElectron(join(ELECTRON_DIR, 'preload/index.ts'))).not.toBeNull();
  });
});
