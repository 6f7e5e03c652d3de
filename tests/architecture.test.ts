import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Layers run one way (docs/ARCHITECTURE.md). ESLint's import-x/no-cycle catches loops of value
// imports between files; this also counts `import type` and `export … from` and looks at module
// folders, where a loop can run through different files of two folders and no file-level rule
// sees it.

const ROOT = resolve(import.meta.dirname, '..');
const SOURCES = ['shared', 'server/src', 'renderer/src', 'electron'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.(test|spec)\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const IMPORT = /^\s*(?:import|export)\s(?:[^'"`;]*?\sfrom\s)?['"]([^'"]+)['"]/gm;

/** Relative imports of a file, resolved to source files (a `.js` specifier names a `.ts`/`.tsx`). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1]!;
    if (!spec.startsWith('.')) continue;
    const base = resolve(dirname(file), spec.replace(/\?.*$/, ''));
    const found = [base, base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find(
      (p) => existsSync(p) && statSync(p).isFile() && /\.tsx?$/.test(p),
    );
    if (found) out.push(found);
  }
  return out;
}

/** Strongly connected components with more than one node (Tarjan): the loops of a graph. */
function loops(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || graph.get(v)?.has(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return found;
}

const files = SOURCES.flatMap((s) => sourceFiles(join(ROOT, s)));
const fileGraph = new Map(files.map((f) => [f, new Set(importsOf(f))]));
const rel = (p: string) => relative(ROOT, p);

/**
 * The graph of folders under `root` (one node per direct sub-folder, and one per folder named in
 * `own`, which sits in its own layer), from the file graph.
 */
function folderGraph(root: string, own: readonly string[] = []): Map<string, Set<string>> {
  const folderOf = (f: string) => {
    const r = relative(join(ROOT, root), f);
    if (r.startsWith('..') || !r.includes('/')) return null;
    return own.find((o) => r.startsWith(`${o}/`)) ?? r.split('/')[0]!;
  };
  const graph = new Map<string, Set<string>>();
  for (const [f, deps] of fileGraph) {
    const from = folderOf(f);
    if (!from) continue;
    if (!graph.has(from)) graph.set(from, new Set());
    for (const d of deps) {
      const to = folderOf(d);
      if (to && to !== from) graph.get(from)!.add(to);
    }
  }
  return graph;
}

describe('import directions', () => {
  it('reads the source tree', () => {
    expect(files.length).toBeGreaterThan(200);
    // the graph is not empty: a broken import pattern would pass every check below
    expect([...fileGraph.values()].reduce((n, s) => n + s.size, 0)).toBeGreaterThan(500);
  });

  it('has no import loop between files, type-only imports included', () => {
    expect(loops(fileGraph).map((c) => c.map(rel))).toEqual([]);
  });

  it.each(['server/src/modules', 'server/src', 'renderer/src/features', 'shared'])('has no loop between the folders of %s', (root) => {
    expect(loops(folderGraph(root))).toEqual([]);
  });

  it('runs the console one way: app services ← features and map ← the shell that composes them', () => {
    // app/shell is the composition root (it imports features); the rest of app/ is below features
    expect(loops(folderGraph('renderer/src', ['app/shell']))).toEqual([]);
  });

  it('finds a loop when there is one', () => {
    expect(loops(new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a'])], ['d', new Set(['a'])]]))).toEqual([['a', 'b', 'c']]);
  });
});
