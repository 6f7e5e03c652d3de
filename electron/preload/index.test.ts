/**
 * The preload entry imports Electron, so it is never loaded here: it is parsed. The checks make
 * sure it stays a one-liner around `buildPreloadApi` (tested in api.test.ts), so that what the page
 * gets is exactly that factory's object and `ipcRenderer` never reaches the page.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SOURCE_PATH = join(import.meta.dirname, 'index.ts');
const source = ts.createSourceFile(SOURCE_PATH, readFileSync(SOURCE_PATH, 'utf8'), ts.ScriptTarget.ES2022, true);

function nodes(root: ts.Node): ts.Node[] {
  const all: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    all.push(node);
    ts.forEachChild(node, visit);
  };
  visit(root);
  return all;
}

const allNodes = nodes(source);

describe('electron/preload/index.ts', () => {
  it('imports only contextBridge and ipcRenderer from electron, and the API factory', () => {
    const imports = source.statements.filter(ts.isImportDeclaration).map((declaration) => ({
      from: (declaration.moduleSpecifier as ts.StringLiteral).text,
      names: (declaration.importClause?.namedBindings as ts.NamedImports | undefined)?.elements.map((e) => e.name.text) ?? [],
      otherForms: declaration.importClause?.name !== undefined || (declaration.importClause?.namedBindings !== undefined && !ts.isNamedImports(declaration.importClause.namedBindings)),
    }));
    expect(imports).toEqual([
      { from: 'electron', names: ['contextBridge', 'ipcRenderer'], otherForms: false },
      { from: './api.js', names: ['buildPreloadApi'], otherForms: false },
    ]);
  });

  it('exposes one object, window.gridcommand, built by buildPreloadApi', () => {
    const exposures = allNodes.filter(
      (node): node is ts.CallExpression =>
        ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.expression.getText() === 'contextBridge',
    );
    expect(exposures).toHaveLength(1);
    const [call] = exposures;
    expect((call!.expression as ts.PropertyAccessExpression).name.text).toBe('exposeInMainWorld');
    expect(call!.arguments).toHaveLength(2);
    expect(ts.isStringLiteral(call!.arguments[0]!) && call!.arguments[0].text).toBe('gridcommand');
    const api = call!.arguments[1]!;
    expect(ts.isCallExpression(api) && api.expression.getText()).toBe('buildPreloadApi');
  });

  it('uses ipcRenderer for invoke only, never passing it (or a method of it) along', () => {
    const uses = allNodes.filter((node) => ts.isIdentifier(node) && node.text === 'ipcRenderer' && !ts.isImportSpecifier(node.parent));
    expect(uses.length).toBeGreaterThan(0);
    for (const use of uses) {
      const access = use.parent;
      expect(ts.isPropertyAccessExpression(access) && access.name.text).toBe('invoke');
      // Called right there, not handed over as `ipcRenderer.invoke` (which would carry its receiver).
      expect(ts.isCallExpression(access.parent) && access.parent.expression === access).toBe(true);
    }
  });

  it('has no other statements that could expose anything', () => {
    expect(source.statements.filter((statement) => !ts.isImportDeclaration(statement))).toHaveLength(1);
    expect(allNodes.some((node) => ts.isIdentifier(node) && ['window', 'globalThis', 'self', 'process', 'require'].includes(node.text))).toBe(false);
  });
});
