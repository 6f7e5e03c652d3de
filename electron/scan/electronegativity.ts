/**
 * Security scan of the Electron code with Electronegativity (offline). Fails on any finding of
 * MEDIUM or higher severity, and on any file the scanner could not parse (an unparsed file is an
 * unchecked file). Run: `npx tsx electron/scan/electronegativity.ts`.
 *
 * Uses the package's programmatic entry instead of `electronegativity -o report.sarif`, because the
 * SARIF report carries no severity: its `level` is "note" when a finding needs manual review and
 * "warning" otherwise (e.g. a MEDIUM openExternal review is a "note", a LOW finding may be a
 * "warning"), and with `-o` the CLI drops parse errors silently. The same run still writes the
 * SARIF report for code-scanning tools.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

interface Level {
  name: 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'TENTATIVE' | 'FIRM' | 'CERTAIN';
  value: number;
}
interface Issue {
  id: string;
  file: string;
  location: { line: number; column: number };
  description: string;
  severity: Level;
  confidence: Level;
  manualReview: boolean;
}
interface ScanResult {
  globalChecks: number;
  atomicChecks: number;
  errors: { file: string; message: string; tolerable: boolean }[];
  issues: Issue[];
}
type Run = (options: { input: string; output: string; isSarif: boolean; electronVersionOverride: string }) => Promise<ScanResult>;

/** Severity value of MEDIUM in Electronegativity (INFORMATIONAL 0, LOW 1, MEDIUM 2, HIGH 3). */
const FAIL_AT = 2;

const require = createRequire(import.meta.url);
const root = resolve(import.meta.dirname, '../..');
const input = join(root, 'electron');
// Electron's package.json only: requiring `electron` itself would try to download the binary.
const electronVersion = (JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')) as { version: string }).version;
const sarifPath = join(mkdtempSync(join(tmpdir(), 'electronegativity-')), 'report.sarif');
const run = require('@doyensec/electronegativity') as Run;

const started = performance.now();
// The scanner reports progress and connectivity problems on console.log; keep our output readable.
const log = console.log;
console.log = (...args: unknown[]) => log('  [electronegativity]', ...args);
const result = await run({ input, output: sarifPath, isSarif: true, electronVersionOverride: electronVersion });
console.log = log;
const seconds = ((performance.now() - started) / 1000).toFixed(1);

const issues = [...result.issues].sort((a, b) => b.severity.value - a.severity.value || a.id.localeCompare(b.id));
for (const issue of issues) {
  const where = issue.file === 'N/A' ? '(whole app)' : `${relative(root, issue.file)}:${issue.location.line}:${issue.location.column}`;
  const review = issue.manualReview ? ' [manual review]' : '';
  console.log(`${issue.severity.name.padEnd(13)} ${issue.confidence.name.padEnd(9)} ${issue.id}${review}\n    ${where}\n    ${issue.description}`);
}
const unparsed = result.errors.filter((error) => !error.tolerable);
for (const error of result.errors) {
  console.log(`${error.tolerable ? 'parse warning' : 'PARSE ERROR'}  ${relative(root, error.file)}: ${error.message}`);
}

const blocking = issues.filter((issue) => issue.severity.value >= FAIL_AT);
console.log(
  `\nElectronegativity ${electronVersion}: ${result.globalChecks + result.atomicChecks} checks, ${issues.length} finding(s), ` +
    `${blocking.length} at MEDIUM or above, ${unparsed.length} unparsed file(s); ${seconds} s. SARIF: ${sarifPath}`,
);
// exitCode, not exit(): the scanner writes the SARIF file asynchronously after `run` resolves.
process.exitCode = blocking.length > 0 || unparsed.length > 0 ? 1 : 0;
