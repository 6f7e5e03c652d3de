import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import globals from 'globals';

const boundary = (patterns) => ['error', { patterns }];

// A later config object replaces an earlier one's `no-restricted-imports` for the files both
// match, so each layer rule below repeats the boundary of its package.
const RENDERER = { group: ['**/server/**', '**/electron/**'], message: 'renderer/ reaches the server and shell only through shared/ contracts.' };
const SHELL = { group: ['**/shell/**'], message: 'app/shell composes the console (main.tsx mounts it); nothing it composes reaches back into it.' };
const features = (message) => ({ group: ['**/features/**'], message });
const SERVER = { group: ['**/renderer/**', '**/electron/**'], message: 'server/ does not import the console or the shell.' };

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'data/**', 'test-results/**', 'playwright-report/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Imports run one way: a loop of value imports fails lint. Type-only imports are erased at
    // build time and are not followed. Packages are not followed either (ignoreExternal), which
    // keeps the walk to our own files.
    files: ['server/src/**/*.ts', 'renderer/src/**/*.{ts,tsx}', 'shared/**/*.ts', 'electron/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['tsconfig.json', 'tsconfig.web-test.json'], noWarnOnMultipleProjects: true })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': boundary([
        { group: ['**/server/**', '**/renderer/**', '**/electron/**'], message: 'shared/ imports nothing of the others.' },
      ]),
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': boundary([RENDERER]),
    },
  },
  {
    files: ['renderer/src/features/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': boundary([RENDERER, SHELL]),
    },
  },
  {
    files: ['renderer/src/map/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': boundary([
        RENDERER,
        SHELL,
        features('The map draws what it is given: features use the map, not the other way round (case predicates live in shared/domain/).'),
      ]),
    },
  },
  {
    files: ['renderer/src/app/**/*.{ts,tsx}'],
    ignores: ['renderer/src/app/shell/**'],
    rules: {
      'no-restricted-imports': boundary([RENDERER, SHELL, features('The app core serves the features; only app/shell composes them.')]),
    },
  },
  {
    files: ['renderer/src/field/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': boundary([RENDERER, SHELL, features("The field app is built apart from the console: it shares app/ and shared/, not the console's features.")]),
    },
  },
  {
    files: ['renderer/src/report/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': boundary([RENDERER, SHELL, features("The resident page is built apart from the console: it shares app/ and shared/, not the console's features.")]),
    },
  },
  {
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': boundary([SERVER]),
    },
  },
  {
    files: ['server/src/db/**/*.ts', 'server/src/core/**/*.ts', 'server/src/http/**/*.ts', 'server/src/config.ts'],
    rules: {
      'no-restricted-imports': boundary([SERVER, { group: ['**/modules/**'], message: 'db/, core/, http/ and config.ts sit below the modules: a module imports them, never the other way round.' }]),
    },
  },
  {
    // An allow-list, checked on resolved paths (a pattern on the import string would depend on
    // how deep the importing file sits): the shell sees only itself, shared/ and packages.
    files: ['electron/**/*.ts'],
    plugins: { 'import-x': importX },
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        { zones: [{ target: './electron', from: '.', except: ['./electron', './shared', './node_modules'], message: 'electron/ imports only electron/ and shared/.' }] },
      ],
    },
  },
);
