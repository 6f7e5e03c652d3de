import { resolve } from 'node:path';
import { databaseFile } from '../config.js';
import { systemClock } from '../core/clock.js';
import { backupDatabase, BackupError, type BackupProgress } from '../db/backup.js';
import { parseCli } from './args.js';

const USAGE = `Usage: npm run backup -- --out FILE [--data DIR] [--anchors DIR] [--force]

Copies DIR/gridcommand.db to FILE while the server keeps running, checks the copy
(integrity and foreign keys) and writes FILE.json beside it (time, source, last change
seq, sha256). The audit trail's anchors and their public keys are copied beside it as
FILE.audit-anchors.jsonl and FILE.audit-anchor.pub; the signing key is not (keep it apart).
FILE appears only once it is complete.

  --out FILE      the backup file to write (its folder must exist)
  --data DIR      data folder holding gridcommand.db (default ./data)
  --anchors DIR   folder of the audit anchors (default GRIDCOMMAND_AUDIT_ANCHOR_DIR or --data)
  --force         replace FILE if it exists
  -h, --help      show this help

Exit status: 0 written, 1 failed (nothing written), 2 wrong usage.
`;

/** Without a terminal, a progress line per this many pages (about 100 MB at 4 KiB pages). */
const PROGRESS_LINE_PAGES = 25_000;

const { values } = parseCli({ data: { type: 'string' }, out: { type: 'string' }, anchors: { type: 'string' }, force: { type: 'boolean' } }, USAGE);
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (!values.out) {
  process.stderr.write(`--out is required\n\n${USAGE}`);
  process.exit(2);
}

const abort = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => abort.abort());

const tty = process.stderr.isTTY;
let lastPercent = -1;
let nextLineAt = PROGRESS_LINE_PAGES;
let restartsShown = 0;
const onProgress = ({ totalPages, remainingPages, restarts }: BackupProgress) => {
  if (restarts > restartsShown) {
    restartsShown = restarts;
    nextLineAt = PROGRESS_LINE_PAGES;
    process.stderr.write(`${tty ? '\n' : ''}The server committed during the copy; starting over (restart ${restarts}).\n`);
  }
  const copied = totalPages - remainingPages;
  const percent = totalPages ? Math.floor((copied / totalPages) * 100) : 100;
  if (tty && percent !== lastPercent) {
    lastPercent = percent;
    process.stderr.write(`\rCopying ${percent}% (${copied.toLocaleString('en-US')} of ${totalPages.toLocaleString('en-US')} pages)`);
  } else if (!tty && copied >= nextLineAt) {
    nextLineAt = copied + PROGRESS_LINE_PAGES;
    process.stderr.write(`Copying ${percent}% (${copied.toLocaleString('en-US')} of ${totalPages.toLocaleString('en-US')} pages)\n`);
  }
};

try {
  const dataDir = resolve(values.data ?? 'data');
  const anchorDir = resolve(values.anchors ?? process.env.GRIDCOMMAND_AUDIT_ANCHOR_DIR ?? dataDir);
  const r = await backupDatabase({ source: databaseFile(dataDir), out: values.out, force: Boolean(values.force), clock: systemClock, anchorDir, onProgress, signal: abort.signal });
  const m = r.metadata;
  if (tty && lastPercent >= 0) process.stderr.write(`\rCopying 100% (${m.pages.toLocaleString('en-US')} of ${m.pages.toLocaleString('en-US')} pages)\n`);
  const rows: Array<[string, string]> = [
    ['source', m.source],
    ['size', `${(m.bytes / 1024 / 1024).toFixed(1)} MB (${m.pages.toLocaleString('en-US')} pages)`],
    ['last change seq', String(m.lastSeq)],
    ['events', m.events.toLocaleString('en-US')],
    ['checks', 'integrity ok, foreign keys ok'],
    ['sha256', m.sha256],
    ['audit anchors', m.anchors ? `${m.anchors.lines.toLocaleString('en-US')} lines in ${m.anchors.file}, public keys in ${m.anchors.publicKeysFile}` : `none in ${anchorDir}`],
    ['metadata', r.metadataFile],
    ['recorded', 'file' in r.logged ? `${r.logged.file} (the server's health screen shows it)` : `NOT recorded: ${r.logged.error}`],
    ['took', `${(r.ms / 1000).toFixed(1)} s${r.restarts ? ` (${r.restarts} restart${r.restarts > 1 ? 's' : ''})` : ''}`],
  ];
  process.stdout.write(`Backup written: ${r.out}\n`);
  for (const [label, value] of rows) process.stdout.write(`  ${label.padEnd(16)}${value}\n`);
} catch (err) {
  if (tty && lastPercent >= 0) process.stderr.write('\n');
  if (!(err instanceof BackupError)) throw err;
  process.stderr.write(`Backup failed: ${err.message}\n`);
  process.exitCode = abort.signal.aborted ? 130 : 1;
}
