import { basename, resolve } from 'node:path';
import { systemClock } from '../core/clock.js';
import { BackupError, restoreDatabase } from '../db/backup.js';
import { publicKeyIds } from '../modules/audit/audit-anchor.js';
import { parseCli } from './args.js';

const USAGE = `Usage: npm run restore -- --from FILE [--data DIR] [--anchors DIR] [--force]

Stop the server first. Checks FILE (sha256 against FILE.json when present, integrity,
foreign keys, schema version) and puts it in place as DIR/gridcommand.db. A database
already there is kept as gridcommand.db.before-restore-<time>, never deleted.
The backup's audit anchors (FILE.audit-anchors.jsonl) replace the folder's, which are
kept as audit-anchors.jsonl.before-restore-<time>: a restore rewinds the audit trail, and
the old anchors describe records the restored database does not hold. Public keys are
added to the folder's, never removed; the signing key stays where it is.

  --from FILE     the backup to restore (made by npm run backup)
  --data DIR      data folder to restore into (default ./data; created if missing)
  --anchors DIR   folder of the audit anchors (default GRIDCOMMAND_AUDIT_ANCHOR_DIR or --data)
  --force         replace an existing database (it is kept, see above)
  -h, --help      show this help

Exit status: 0 restored, 1 refused or failed (the data folder is unchanged), 2 wrong usage.
`;

const { values } = parseCli({ from: { type: 'string' }, data: { type: 'string' }, anchors: { type: 'string' }, force: { type: 'boolean' } }, USAGE);
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (!values.from) {
  process.stderr.write(`--from is required\n\n${USAGE}`);
  process.exit(2);
}

try {
  const dataDir = resolve(values.data ?? 'data');
  const anchorDir = resolve(values.anchors ?? process.env.GRIDCOMMAND_AUDIT_ANCHOR_DIR ?? dataDir);
  const r = restoreDatabase({ from: values.from, dataDir, anchorDir, publicKeyIds, force: Boolean(values.force), clock: systemClock });
  const checked = r.metadata ? `sha256 matches ${basename(values.from)}.json, ` : `no ${basename(values.from)}.json beside it, so no checksum; `;
  process.stdout.write(`Restored ${resolve(values.from)} into ${r.database}\n`);
  process.stdout.write(`  checks          ${checked}integrity ok, foreign keys ok\n`);
  if (r.metadata) process.stdout.write(`  taken           ${r.metadata.createdAt} from ${r.metadata.source}\n`);
  process.stdout.write(`  last change seq ${r.facts.lastSeq} (${r.facts.events.toLocaleString('en-US')} events, schema ${r.facts.schemaVersion})\n`);
  if (r.anchors) {
    const keys = r.anchors.publicKeysAdded ? `, ${r.anchors.publicKeysAdded} public key(s) added` : '';
    process.stdout.write(`  audit anchors   ${r.anchors.lines.toLocaleString('en-US')} lines restored to ${r.anchors.file}${keys}\n`);
  }
  if (r.anchorWarning) process.stdout.write(`  WARNING         ${r.anchorWarning}\n`);
  for (const k of r.kept) process.stdout.write(`  kept            ${k}\n`);
  for (const f of r.removed) process.stdout.write(`  removed         ${f} (belonged to the replaced database)\n`);
  process.stdout.write(`Start the server on ${dataDir}; it continues at change seq ${r.facts.lastSeq + 1}.\n`);
} catch (err) {
  if (!(err instanceof BackupError)) throw err;
  process.stderr.write(`Restore refused: ${err.message}\n`);
  process.exitCode = 1;
}
