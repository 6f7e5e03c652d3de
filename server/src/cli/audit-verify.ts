import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { databaseFile } from '../config.js';
import { openStore, Store } from '../db/store.js';
import { systemClock } from '../core/clock.js';
import { compareAnchors, parsePublicKeys, readAnchorFile } from '../modules/audit/audit-anchor.js';
import { anchorPaths } from '../modules/audit/audit-anchor-writer.js';
import { describeBreak } from '../modules/audit/audit-chain.js';
import { probeAppendOnly, probeAppendOnlyStore } from '../modules/audit/audit-probe.js';
import { AUDIT_SCHEMA_VERSION, AuditRepo, type AuditInspection } from '../modules/audit/audit.repo.js';
import { accountProblemsOf } from '../modules/auth/auth.service.js';
import { UsersRepo } from '../modules/auth/users.repo.js';
import { RegionIndex } from '../modules/regions/region-index.js';
import { RegionsRepo } from '../modules/regions/regions.repo.js';
import { parseCli } from './args.js';
import { databaseUrlOf } from './cli-store.js';

/** Schema version that created the users table (server/src/db/migrations.ts). */
const USERS_SCHEMA_VERSION = 3;

const USAGE = `Usage: npm run audit:verify -- [--data DIR] [--db postgres://…] [--anchors DIR] [--anchor-pub FILE]

Checks the audit trail in DIR/gridcommand.db (default DIR: ./data), or in the PostgreSQL database
of --db (the server's --db; the anchors are still looked for in --data or --anchors):
  - every record's hash, the link to the record before it and the sequence without gaps;
  - that the database refuses changes to the trail: UPDATE, DELETE and INSERT OR REPLACE are
    attempted in a transaction that is always rolled back, nothing is ever committed;
  - the chain against its signed anchors (audit-anchors.jsonl): a missing tail, a re-chained
    segment, an anchor line that was edited or deleted, anchors gone where they are expected;
  - the separation of administrators (三权分立): no account holds two of sysadmin, secadmin and
    auditor, or one of them beside another role.
Reads the chain read-only; safe while the server runs (the probe holds the write lock for a few
milliseconds). Without write access to the file the probe runs on a temporary copy.

Exit status: 0 intact, 1 broken or unprotected (the first broken record is named), 2 cannot check.

  --data DIR         data folder holding gridcommand.db (and the anchors, by default)
  --db URL           check PostgreSQL's trail instead (postgres://user@host:5432/gridcommand)
  --anchors DIR      folder of the anchor file and public keys (default: the server's, i.e.
                     GRIDCOMMAND_AUDIT_ANCHOR_DIR or the data folder)
  --anchor-pub FILE  trust only the public keys in FILE (a copy kept away from this machine)
  -h, --help         show this help
`;

const { values } = parseCli({ data: { type: 'string' }, db: { type: 'string' }, anchors: { type: 'string' }, 'anchor-pub': { type: 'string' } }, USAGE);
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const dataDir = resolve(values.data ?? 'data');
let postgresUrl: string | null = null;
try {
  postgresUrl = values.db === undefined ? null : databaseUrlOf(values.db);
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
/** What is checked, for the messages: the file, or the PostgreSQL database (without its password). */
const file = postgresUrl ? withoutPassword(postgresUrl) : databaseFile(dataDir);
if (!postgresUrl && !existsSync(file)) {
  process.stderr.write(`no database at ${file} (is --data the server's data folder?)\n`);
  process.exit(2);
}

// Read-only and without migrating: verifying must not change what it verifies (PostgreSQL's probe
// rolls back as SQLite's does).
let db: Database.Database | null = null;
let store: Store;
try {
  if (postgresUrl) {
    store = openStore(postgresUrl);
  } else {
    db = new Database(file, { readonly: true, fileMustExist: true });
    store = Store.onSqlite(db);
  }
} catch (err) {
  process.stderr.write(`cannot open ${file}: ${(err as Error).message}\n`);
  process.exit(2);
}

function withoutPassword(url: string): string {
  const u = new URL(url);
  u.password = '';
  return u.toString();
}

const n = (x: number) => x.toLocaleString('en-US');

/** What one check found: lines for the operator and its verdict. */
interface Finding {
  lines: string[];
  status: 'ok' | 'broken' | 'cannot_check';
}
type Checked = Extract<AuditInspection, { kind: 'checked' }>;
interface CheckContext {
  /** SQLite's read-only connection; null on PostgreSQL. */
  db: Database.Database | null;
  store: Store;
  repo: AuditRepo;
  found: Checked;
}

function chainCheck({ found }: CheckContext): Finding {
  const { verdict, missingTriggers } = found;
  const lines: string[] = [];
  let status: Finding['status'] = 'ok';
  if (verdict.ok) {
    const span = verdict.count ? ` (#1–#${n(verdict.lastSeq)})` : '';
    lines.push(`audit chain intact: ${n(verdict.count)} records${span}, last hash ${verdict.lastHash}`);
  } else {
    lines.push(`audit chain BROKEN at ${describeBreak(verdict)}`, `  ${n(verdict.checked)} records before it are intact`);
    status = 'broken';
  }
  if (missingTriggers.length) {
    lines.push(`audit_log is NOT append-only: trigger(s) ${missingTriggers.join(', ')} missing`);
    status = 'broken';
  }
  return { lines, status };
}

/**
 * The probe's read-write connection, closed after the read-only one: as the last connection to
 * close it removes the write-ahead log files that opening the file created, exactly as a cleanly
 * stopped server does, and leaves them alone while the server has the file open.
 */
const probe: { db: Database.Database | null } = { db: null };

/**
 * Attempts the changes on a read-write connection to the file itself, inside a transaction that
 * is rolled back: the live schema and data (and whatever a trigger may consult), so a trigger
 * that only looks right is caught, without copying a database of any size. Without write access,
 * the same probe runs on a temporary copy.
 */
async function appendOnlyCheck({ db, store }: CheckContext): Promise<Finding> {
  let accepted: string[];
  let where = '';
  if (!db) {
    try {
      accepted = await probeAppendOnlyStore(store);
    } catch (err) {
      return { lines: [`cannot probe whether audit_log is append-only: ${(err as Error).message}`], status: 'cannot_check' };
    }
  } else {
    try {
      probe.db = new Database(file, { fileMustExist: true, timeout: 5000 });
      accepted = probeAppendOnly(probe.db);
    } catch (err) {
      probe.db?.close();
      probe.db = null;
      const code = (err as { code?: string }).code ?? '';
      if (!code.startsWith('SQLITE_READONLY') && !code.startsWith('SQLITE_CANTOPEN') && !code.startsWith('SQLITE_PERM')) {
        return { lines: [`cannot probe whether audit_log is append-only: ${(err as Error).message}`], status: 'cannot_check' };
      }
      const tmp = mkdtempSync(join(tmpdir(), 'gridcommand-audit-probe-'));
      try {
        const copy = join(tmp, 'copy.db');
        // A consistent snapshot, triggers and all, from the read-only connection.
        db.prepare('VACUUM INTO ?').run(copy);
        where = ' (probed on a copy: no write access to the database file)';
        const copyDb = new Database(copy, { fileMustExist: true });
        try {
          accepted = probeAppendOnly(copyDb);
        } finally {
          copyDb.close();
        }
      } catch (copyErr) {
        return { lines: [`cannot probe whether audit_log is append-only: ${(copyErr as Error).message}`], status: 'cannot_check' };
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    }
  }
  if (!accepted.length) return { lines: [], status: 'ok' };
  // One example per kind of change keeps the line readable; the kinds say what is open.
  const kinds = new Map<string, string>();
  for (const a of accepted) {
    const kind = /^(UPDATE|DELETE|INSERT OR REPLACE|INSERT … ON CONFLICT DO UPDATE|INSERT)/.exec(a)![1]!;
    if (!kinds.has(kind)) kinds.set(kind, a);
  }
  return {
    lines: [`audit_log is NOT append-only: the database accepted ${[...kinds.values()].join('; ')} (${accepted.length} changes in all, each rolled back by the verifier)${where}`],
    status: 'broken',
  };
}

/** The chain against the signed anchors the server wrote outside the database. */
async function anchorCheck({ repo }: CheckContext): Promise<Finding> {
  const paths = anchorPaths(dataDir, { dir: values.anchors ?? process.env.GRIDCOMMAND_AUDIT_ANCHOR_DIR ?? null, keyFile: process.env.GRIDCOMMAND_AUDIT_ANCHOR_KEY_FILE ?? null });
  const publicKeysFile = resolve(values['anchor-pub'] ?? paths.publicKeysFile);
  const keyRecords = await repo.anchorKeyRecords();
  const hasAnchors = existsSync(paths.anchorFile);
  const hasPublicKeys = existsSync(publicKeysFile);
  // What says this trail was anchored; a trail that never was (made before anchoring existed,
  // or by a tool) has none of these and gets no anchor line.
  const evidence = [
    keyRecords.length ? `the trail records anchor key ${keyRecords[0]!.keyId} at #${keyRecords[0]!.seq}` : null,
    hasPublicKeys ? `the public keys are at ${publicKeysFile}` : null,
    existsSync(paths.keyFile) ? `the signing key is at ${paths.keyFile}` : null,
  ].filter((e): e is string => e !== null);
  if (!hasAnchors) {
    return evidence.length ? { lines: [`audit anchors MISSING: no anchor file at ${paths.anchorFile}, but ${evidence.join(' and ')}`], status: 'broken' } : { lines: [], status: 'ok' };
  }
  if (!hasPublicKeys) {
    return { lines: [`audit anchors UNVERIFIABLE: no public key file at ${publicKeysFile}, so the anchors in ${paths.anchorFile} cannot be checked`], status: 'broken' };
  }
  const lines: string[] = [];
  let status: Finding['status'] = 'ok';
  const keys = parsePublicKeys(readFileSync(publicKeysFile, 'utf8'));
  for (const p of keys.problems) {
    lines.push(`anchor public keys BROKEN: ${publicKeysFile} ${p}`);
    status = 'broken';
  }
  const reading = readAnchorFile(readFileSync(paths.anchorFile, 'utf8'), keys.keys);
  const shown = reading.problems.slice(0, 10);
  for (const p of shown) lines.push(`anchor file BROKEN: ${paths.anchorFile} ${p}`);
  if (reading.problems.length > shown.length) lines.push(`anchor file BROKEN: ${reading.problems.length - shown.length} more lines`);
  if (reading.problems.length) status = 'broken';
  for (const t of reading.torn) lines.push(`anchor file note: line ${t} was cut short by a crash; the anchor after it links past it`);

  const head = await repo.head();
  // the stored hash of every anchored record, read before comparing
  const stored = new Map<number, string | undefined>();
  for (const anchor of reading.anchors) if (anchor.seq > 0 && anchor.seq <= head.seq && !stored.has(anchor.seq)) stored.set(anchor.seq, await repo.hashAt(anchor.seq));
  const cmp = compareAnchors(reading.anchors, head, (seq) => stored.get(seq));
  if (cmp.truncated) {
    const { from, to, anchor } = cmp.truncated;
    const range = from === to ? `record #${n(from)} is` : `records #${n(from)}–#${n(to)} are`;
    lines.push(
      `audit trail TRUNCATED: the anchor of ${anchor.at} (line ${anchor.line}) holds ${n(to)} records, the database ${n(head.seq)}; ${range} missing (deleted, or the database was replaced by an older copy)`,
    );
    status = 'broken';
  }
  if (cmp.rechained) {
    const { anchor, stored, lastMatching } = cmp.rechained;
    const since = lastMatching ? `after #${n(lastMatching.seq)} (anchored ${lastMatching.at}, still matching)` : 'from the start';
    lines.push(
      `audit trail RE-CHAINED: the anchor of ${anchor.at} (line ${anchor.line}) holds record #${n(anchor.seq)} with hash ${anchor.hash}, the database has ${stored}; records ${since} up to #${n(anchor.seq)} were rewritten`,
    );
    status = 'broken';
  }
  if (status === 'ok') {
    if (!cmp.last) return { lines: [`audit anchors MISSING: ${paths.anchorFile} holds no anchor, but ${evidence.join(' and ')}`], status: 'broken' };
    const pending = head.seq - cmp.last.seq;
    lines.push(
      `anchors: ${n(reading.anchors.length)} checked, last #${n(cmp.last.seq)} at ${cmp.last.at}${pending > 0 ? ` (${n(pending)} later records not anchored yet)` : ''}`,
    );
  }
  return { lines, status };
}

/**
 * The separation of administrators (三权分立) behind the trail: an account that holds two of
 * sysadmin, secadmin and auditor (or one beside operational work) could both act and read or
 * answer for the trace of acting, so the trail is reported as unprotected until it is mended.
 */
async function accountCheck({ store, found }: CheckContext): Promise<Finding> {
  if (found.schemaVersion < USERS_SCHEMA_VERSION) return { lines: [], status: 'ok' };
  const problems = accountProblemsOf(await new UsersRepo(store, new RegionIndex(await new RegionsRepo(store).indexRows())).list());
  if (!problems.length) return { lines: [], status: 'ok' };
  return {
    lines: problems.map(
      (p) => `separation of duties BROKEN: account ${p.username} (${p.roles.join(', ')}): ${p.problem}; mend with npm run admin -- set-roles --username ${p.username} --role ROLE`,
    ),
    status: 'broken',
  };
}

/** The checks, in the order their lines are printed; further checks of the trail go here. */
const CHECKS: Array<(ctx: CheckContext) => Finding | Promise<Finding>> = [chainCheck, appendOnlyCheck, anchorCheck, accountCheck];

try {
  const repo = new AuditRepo(store, systemClock);
  const found = await repo.inspect();
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
      const findings: Finding[] = [];
      for (const check of CHECKS) findings.push(await check({ db, store, repo, found }));
      for (const f of findings) for (const line of f.lines) process.stdout.write(`${line}\n`);
      // A definite break outranks a part that could not be checked.
      process.exitCode = findings.some((f) => f.status === 'broken') ? 1 : findings.some((f) => f.status === 'cannot_check') ? 2 : 0;
    }
  }
} catch (err) {
  process.stderr.write(`cannot check ${file}: ${(err as Error).message}\n`);
  process.exitCode = 2;
} finally {
  if (db) db.close();
  else await store.close();
  probe.db?.close();
}
