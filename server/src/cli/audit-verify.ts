import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { databaseFile } from '../config.js';
import { systemClock } from '../core/clock.js';
import { describeBreak } from '../modules/audit/audit-chain.js';
import { AUDIT_SCHEMA_VERSION, AuditRepo } from '../modules/audit/audit.repo.js';
import { parseCli } from './args.js';

const USAGE = `Usage: npm run audit:verify -- [--data DIR]

Checks the audit trail in DIR/gridcommand.db (default DIR: ./data): every record's hash, the
link to the record before it and the sequence without gaps, and that the database still
refuses changes to the trail. Opens the file read-only; safe while the server runs.

Exit status: 0 intact, 1 broken or unprotected (the first broken record is named), 2 cannot check.

  --data DIR    data folder holding gridcommand.db
  -h, --help    show this help
`;

const { values } = parseCli({ data: { type: 'string' } }, USAGE);
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const file = databaseFile(resolve(values.data ?? 'data'));
if (!existsSync(file)) {
  process.stderr.write(`no database at ${file} (is --data the server's data folder?)\n`);
  process.exit(2);
}

let db: Database.Database;
try {
  // Read-only and without migrating: verifying must not change what it verifies.
  db = new Database(file, { readonly: true, fileMustExist: true });
} catch (err) {
  process.stderr.write(`cannot open ${file}: ${(err as Error).message}\n`);
  process.exit(2);
}

const n = (x: number) => x.toLocaleString('en-US');
try {
  const found = new AuditRepo(db, systemClock).inspect();
  switch (found.kind) {
    case 'not_migrated':
      process.stderr.write(
        `${file} is at schema version ${found.schemaVersion} and has no audit trail yet (it arrives with version ${AUDIT_SCHEMA_VERSION}); start the server once to migrate it.\n`,
      );
      process.exitCode = 2;
      break;
    case 'table_missing':
      process.stdout.write(`audit trail BROKEN: ${file} is at schema version ${found.schemaVersion} but its audit_log table is missing\n`);
      process.exitCode = 1;
      break;
    case 'checked': {
      const { verdict, missingTriggers } = found;
      if (verdict.ok) {
        const span = verdict.count ? ` (#1–#${n(verdict.lastSeq)})` : '';
        process.stdout.write(`audit chain intact: ${n(verdict.count)} records${span}, last hash ${verdict.lastHash}\n`);
      } else {
        process.stdout.write(`audit chain BROKEN at ${describeBreak(verdict)}\n`);
        process.stdout.write(`  ${n(verdict.checked)} records before it are intact\n`);
        process.exitCode = 1;
      }
      if (missingTriggers.length) {
        process.stdout.write(`audit_log is NOT append-only: trigger(s) ${missingTriggers.join(', ')} missing or altered\n`);
        process.exitCode = 1;
      }
    }
  }
} catch (err) {
  process.stderr.write(`cannot check ${file}: ${(err as Error).message}\n`);
  process.exitCode = 2;
} finally {
  db.close();
}
