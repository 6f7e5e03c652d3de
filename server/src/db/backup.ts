import Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, closeSync, constants, copyFileSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { LastBackup } from '../../../shared/contracts/system.js';
import { ANCHOR_FILE, ANCHOR_PUBLIC_KEYS_FILE, BACKUP_LOG_FILE, databaseFile } from '../config.js';
import type { Clock } from '../core/clock.js';
import { MIGRATIONS } from './migrations.js';

/** A backup or restore that cannot go on; the message tells the operator why and what to do. */
export class BackupError extends Error {}

/** Written beside a backup as `<backup>.json`; restore checks the file against `sha256`. */
export interface BackupMetadata {
  format: 'gridcommand-backup';
  formatVersion: 1;
  createdAt: string;
  /** The database the copy was taken from. */
  source: string;
  /** File name of the backup this metadata belongs to. */
  file: string;
  bytes: number;
  sha256: string;
  pageSize: number;
  pages: number;
  /** `PRAGMA user_version` of the copy: the last migration applied. */
  schemaVersion: number;
  /** Highest change sequence in the copy; the server continues at `lastSeq + 1`. */
  lastSeq: number;
  events: number;
  sqliteVersion: string;
  /**
   * The audit trail's anchors, copied beside the backup just before the database (so every
   * anchor in the copy is of a head the database copy holds); absent when there were none.
   */
  anchors?: BackupAnchors;
}

/** The anchor file and public keys of a backup: `<backup>.audit-anchors.jsonl` and `<backup>.audit-anchor.pub`. */
export interface BackupAnchors {
  file: string;
  sha256: string;
  lines: number;
  publicKeysFile: string;
  publicKeysSha256: string;
}

/** What an inspection of a database file found; `problems` is empty for a sound file. */
export interface DatabaseFacts {
  problems: string[];
  schemaVersion: number;
  lastSeq: number;
  events: number;
  pageSize: number;
  pages: number;
}

export interface BackupProgress {
  totalPages: number;
  remainingPages: number;
  /** Times the copy started over because the server committed meanwhile. */
  restarts: number;
}

export interface BackupOptions {
  /** The live database file, e.g. `databaseFile(dataDir)`. */
  source: string;
  out: string;
  force?: boolean;
  clock: Clock;
  /** Folder of the server's audit anchors (default: none copied); the signing key is never copied. */
  anchorDir?: string;
  /** Pages copied per step (default 1024); smaller steps hold the source's read lock for less time. */
  pagesPerStep?: number;
  onProgress?: (p: BackupProgress) => void;
  signal?: AbortSignal;
}

export interface BackupResult {
  out: string;
  metadataFile: string;
  metadata: BackupMetadata;
  restarts: number;
  ms: number;
  /**
   * The line added to the source folder's backup log (`backups.jsonl`), from which the server
   * reports the last backup; or why it could not be added (the backup itself is complete).
   */
  logged: { file: string } | { error: string };
}

/**
 * Pages copied per step. Between steps the source is unlocked, and SQLite starts the copy
 * over when another connection committed meanwhile, so this bounds the work one commit costs.
 */
const DEFAULT_PAGES_PER_STEP = 1024;
/**
 * After this many restarts the rest is copied in one step: one read transaction, which in WAL
 * mode does not block the server's writes, so a busy server cannot keep the backup from ending.
 */
export const BACKUP_MAX_RESTARTS = 3;
/** "All remaining pages": better-sqlite3 clamps the step size to this and treats 0 as "none". */
const ALL_PAGES = 0x7fffffff;

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
const LATEST_SCHEMA = Math.max(...MIGRATIONS.map((m) => m.version));
const REQUIRED_TABLES = ['meta', 'events', 'event_changes'];

export const metadataFileOf = (backupFile: string) => `${backupFile}.json`;
export const anchorFileOf = (backupFile: string) => `${backupFile}.${ANCHOR_FILE}`;
export const publicKeysFileOf = (backupFile: string) => `${backupFile}.${ANCHOR_PUBLIC_KEYS_FILE}`;

/**
 * Copies a live database with SQLite's online backup API while the server keeps writing,
 * checks the copy and moves it into place as `out` only once it is complete and sound.
 * The copy is switched to rollback-journal mode so that the backup is one self-contained
 * file; the server turns WAL back on when it opens a restored database.
 */
export async function backupDatabase(opts: BackupOptions): Promise<BackupResult> {
  const started = performance.now();
  const source = resolve(opts.source);
  const out = resolve(opts.out);
  const metadataFile = metadataFileOf(out);
  if (!existsSync(source)) throw new BackupError(`no database at ${source}`);
  if (out === source || out.startsWith(`${source}-`)) throw new BackupError('--out must not be the database or one of its companion files');
  if (!isDirectory(dirname(out))) throw new BackupError(`the folder of --out does not exist: ${dirname(out)}`);
  const refuseExisting = () => {
    if (!opts.force && existsSync(out)) throw new BackupError(`${out} already exists; pass --force to replace it`);
  };
  refuseExisting();

  const tmp = join(dirname(out), `.${basename(out)}.${process.pid}-${randomBytes(4).toString('hex')}.partial`);
  const tmpMeta = `${tmp}.json`;
  const tmpAnchors = anchorFileOf(tmp);
  const tmpPublicKeys = publicKeysFileOf(tmp);
  const pagesPerStep = opts.pagesPerStep ?? DEFAULT_PAGES_PER_STEP;
  if (!Number.isSafeInteger(pagesPerStep) || pagesPerStep < 1) throw new BackupError(`pagesPerStep must be a whole number ≥ 1 (got ${pagesPerStep})`);
  let restarts = 0;
  try {
    // Before the database: the chain only grows, so the copy holds every head anchored here.
    const anchors = opts.anchorDir ? copyAnchors(resolve(opts.anchorDir), tmpAnchors, tmpPublicKeys, basename(out)) : null;
    const src = openExisting(source, { readonly: true, timeout: 5000 });
    try {
      let lastRemaining = Infinity;
      let steps = 0;
      let stepBudget = Infinity;
      await src.backup(tmp, {
        progress: ({ totalPages, remainingPages }) => {
          opts.signal?.throwIfAborted();
          // Without a restart every step leaves fewer pages to copy.
          if (remainingPages >= lastRemaining) restarts++;
          lastRemaining = remainingPages;
          // Also bounds restarts the page count cannot reveal (a source that shrank meanwhile).
          if (steps++ === 0) stepBudget = (BACKUP_MAX_RESTARTS + 2) * Math.ceil(totalPages / pagesPerStep);
          opts.onProgress?.({ totalPages, remainingPages, restarts });
          return restarts >= BACKUP_MAX_RESTARTS || steps > stepBudget ? ALL_PAGES : pagesPerStep;
        },
      });
    } finally {
      src.close();
    }
    opts.signal?.throwIfAborted();

    const copy = openExisting(tmp, {});
    let facts: DatabaseFacts;
    try {
      copy.pragma('journal_mode = DELETE');
      facts = inspect(copy);
    } finally {
      copy.close();
    }
    if (facts.problems.length) throw new BackupError(`the copy failed its checks, nothing was written:\n  ${facts.problems.join('\n  ')}`);
    fsyncFile(tmp);

    const metadata: BackupMetadata = {
      format: 'gridcommand-backup',
      formatVersion: 1,
      createdAt: opts.clock.now().toISOString(),
      source,
      file: basename(out),
      bytes: statSync(tmp).size,
      sha256: sha256File(tmp),
      pageSize: facts.pageSize,
      pages: facts.pages,
      schemaVersion: facts.schemaVersion,
      lastSeq: facts.lastSeq,
      events: facts.events,
      sqliteVersion: sqliteVersion(),
      ...(anchors ? { anchors } : {}),
    };
    writeFileSync(tmpMeta, `${JSON.stringify(metadata, null, 2)}\n`);
    fsyncFile(tmpMeta);
    opts.signal?.throwIfAborted();
    refuseExisting();
    // Anchors and metadata first: a backup file that exists always has them beside it. Anchors
    // of a backup replaced by --force must not stay beside a copy they do not describe.
    for (const [tmpFile, final] of [[tmpAnchors, anchorFileOf(out)], [tmpPublicKeys, publicKeysFileOf(out)]] as const) {
      if (anchors) renameSync(tmpFile, final);
      else rmSync(final, { force: true });
    }
    renameSync(tmpMeta, metadataFile);
    renameSync(tmp, out);
    fsyncDir(dirname(out));
    const logged = logBackup(dirname(source), { at: metadata.createdAt, file: out, bytes: metadata.bytes, sha256: metadata.sha256, lastSeq: metadata.lastSeq });
    return { out, metadataFile, metadata, restarts, ms: performance.now() - started, logged };
  } catch (err) {
    if (opts.signal?.aborted) throw new BackupError('interrupted; nothing was written');
    throw asBackupError(err);
  } finally {
    for (const f of [tmp, `${tmp}-journal`, `${tmp}-wal`, `${tmp}-shm`, tmpMeta, tmpAnchors, tmpPublicKeys]) rmSync(f, { force: true });
  }
}

/** Appends a backup to the data folder's backup log; a failure is reported, never thrown (the backup is done). */
function logBackup(dataDir: string, entry: LastBackup): BackupResult['logged'] {
  const file = join(dataDir, BACKUP_LOG_FILE);
  try {
    appendFileSync(file, `${JSON.stringify(entry)}\n`);
    return { file };
  } catch (err) {
    return { error: `could not add the backup to ${file}: ${(err as Error).message}` };
  }
}

/** Bytes read from the end of the backup log to find its last line (a line is ~250 bytes). */
const BACKUP_LOG_TAIL = 8 * 1024;

/**
 * The last backup recorded in a data folder's backup log, or null when none was (or the log is
 * unreadable: the health screen then says "no backup recorded", which is the safe thing to say).
 */
export function lastBackup(dataDir: string): LastBackup | null {
  const file = join(dataDir, BACKUP_LOG_FILE);
  if (!existsSync(file)) return null;
  let fd: number | null = null;
  try {
    fd = openSync(file, 'r');
    const size = statSync(file).size;
    const start = Math.max(0, size - BACKUP_LOG_TAIL);
    const buf = Buffer.alloc(size - start);
    readSync(fd, buf, 0, buf.length, start);
    const lines = buf.toString('utf8').split('\n').filter((l) => l.trim());
    for (const line of lines.reverse()) {
      try {
        const entry = JSON.parse(line) as Partial<LastBackup>;
        if (typeof entry.at === 'string' && typeof entry.file === 'string' && typeof entry.bytes === 'number' && typeof entry.sha256 === 'string' && typeof entry.lastSeq === 'number') {
          return { at: entry.at, file: entry.file, bytes: entry.bytes, sha256: entry.sha256, lastSeq: entry.lastSeq };
        }
      } catch {
        // a line cut short (a crash while appending): the one before it is the last whole backup
      }
    }
    return null;
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * Copies the anchor file (whole lines only: the server may be appending one right now) and the
 * public keys; null when the folder holds no anchors.
 */
function copyAnchors(dir: string, toAnchors: string, toPublicKeys: string, backupName: string): BackupAnchors | null {
  const anchorFile = join(dir, ANCHOR_FILE);
  const publicKeysFile = join(dir, ANCHOR_PUBLIC_KEYS_FILE);
  if (!existsSync(anchorFile)) return null;
  if (!existsSync(publicKeysFile)) throw new BackupError(`${anchorFile} has no public keys beside it (${ANCHOR_PUBLIC_KEYS_FILE}); its anchors could not be checked after a restore`);
  const text = readFileSync(anchorFile);
  const whole = text.subarray(0, text.lastIndexOf(0x0a) + 1);
  writeFileSync(toAnchors, whole);
  fsyncFile(toAnchors);
  copyFileSync(publicKeysFile, toPublicKeys);
  fsyncFile(toPublicKeys);
  return {
    file: basename(anchorFileOf(backupName)),
    sha256: sha256File(toAnchors),
    lines: whole.toString('utf8').split('\n').length - 1,
    publicKeysFile: basename(publicKeysFileOf(backupName)),
    publicKeysSha256: sha256File(toPublicKeys),
  };
}

export interface RestoreOptions {
  from: string;
  dataDir: string;
  force?: boolean;
  clock: Clock;
  /** Folder of the server's audit anchors (default: the data folder). */
  anchorDir?: string;
  /**
   * Ids of the well-formed public keys in the text of a public-key file (modules/audit's
   * `publicKeyIds`): the backup's keys are merged by id, and only keys that check out.
   */
  publicKeyIds: (text: string) => string[];
}

export interface RestoreReport {
  database: string;
  facts: DatabaseFacts;
  /** The metadata the file was checked against, null when the backup has no `.json` beside it. */
  metadata: BackupMetadata | null;
  /** Where the replaced database (and its write-ahead log, if any) now lives. */
  kept: string[];
  /** Files removed because they belonged to the replaced database and would corrupt the new one. */
  removed: string[];
  /**
   * The backup's anchors, put in place of the folder's (kept aside like the database: they
   * describe a chain the restore rewound); null when the backup has none or they were unusable.
   */
  anchors: { file: string; lines: number; publicKeysAdded: number } | null;
  /** Why anchors were not restored although the backup should have them, for the operator. */
  anchorWarning: string | null;
}

/**
 * Puts a backup in place of `dataDir`'s database after checking it, without losing the
 * database it replaces. The server must be stopped: a database another process has open is
 * refused. The target always holds a whole database, the old one or the new one.
 */
export function restoreDatabase(opts: RestoreOptions): RestoreReport {
  const from = resolve(opts.from);
  const target = databaseFile(opts.dataDir);
  const dir = dirname(target);
  if (!existsSync(from) || !statSync(from).isFile()) throw new BackupError(`no backup file at ${from}`);
  if (from === target) throw new BackupError('--from is the database of --data itself');
  if (existsSync(dir) && !isDirectory(dir)) throw new BackupError(`--data is not a folder: ${dir}`);
  const targetExists = existsSync(target);
  if (targetExists && !opts.force) {
    throw new BackupError(`${target} exists; pass --force to replace it (it is kept as ${basename(target)}.before-restore-<time>)`);
  }
  const metadata = readMetadata(from);
  const anchorDir = resolve(opts.anchorDir ?? opts.dataDir);
  const liveAnchors = join(anchorDir, ANCHOR_FILE);
  const { incoming, warning: anchorWarning } = backupAnchorsOf(from, metadata);
  const refuseInUse = () => {
    if (existsSync(target) && databaseInUse(target)) throw new BackupError(`${target} is open in another process; stop the server first`);
  };
  refuseInUse();

  // A data folder made here is removed again if the restore is refused, so it leaves no trace.
  const createdDir = mkdirSync(dir, { recursive: true });
  // Check the bytes that will be put in place, not the file they were copied from.
  const tmp = join(dir, `.${basename(target)}.restore-${process.pid}-${randomBytes(4).toString('hex')}.partial`);
  const tmpAnchors = join(anchorDir, `.${ANCHOR_FILE}.restore-${process.pid}-${randomBytes(4).toString('hex')}.partial`);
  let done = false;
  try {
    copyFileSync(from, tmp, constants.COPYFILE_EXCL);
    fsyncFile(tmp);
    if (metadata) {
      const sha = sha256File(tmp);
      if (sha !== metadata.sha256) {
        throw new BackupError(`${from} does not match the checksum in ${basename(metadataFileOf(from))} (sha256 ${sha}, expected ${metadata.sha256}); the file is damaged`);
      }
    }
    if (!hasSqliteHeader(tmp)) throw new BackupError(`${from} is not an SQLite database`);
    const facts = inspectFile(tmp);
    if (facts.problems.length) throw new BackupError(`${from} failed its checks, nothing was restored:\n  ${facts.problems.join('\n  ')}`);

    // Checked again just before the swap: the check also folds the old log into the old file.
    refuseInUse();
    const journal = `${target}-journal`;
    if (existsSync(journal) && statSync(journal).size > 0) {
      throw new BackupError(`${journal} holds an unfinished transaction of the old database; start and stop the server once, then restore`);
    }
    if (incoming) {
      // Copied before the swap, so a full disk stops the restore while nothing has changed yet.
      mkdirSync(anchorDir, { recursive: true });
      copyFileSync(incoming.anchors, tmpAnchors, constants.COPYFILE_EXCL);
      fsyncFile(tmpAnchors);
    }
    const kept: string[] = [];
    const removed: string[] = [];
    const stamp = opts.clock.now().toISOString().replaceAll(/[-:]/g, '');
    const keep = `${target}.before-restore-${stamp}`;
    if (existsSync(target)) {
      keepCopy(target, keep);
      kept.push(keep);
    }
    // A write-ahead log left by the old database would be replayed into the new one.
    const wal = `${target}-wal`;
    if (existsSync(wal) && statSync(wal).size > 0) {
      renameSync(wal, `${keep}-wal`);
      kept.push(`${keep}-wal`);
    }
    for (const stale of [`${target}-wal`, journal, `${target}-shm`]) {
      if (!existsSync(stale)) continue;
      unlinkSync(stale);
      removed.push(stale);
    }
    renameSync(tmp, target);
    fsyncDir(dir);
    done = true;
    // The restore rewound the chain: the folder's anchors now describe records the database no
    // longer holds. They are kept aside like the old database; the backup's own anchors, which
    // match the restored copy, take their place.
    let anchors: RestoreReport['anchors'] = null;
    if (existsSync(liveAnchors)) {
      const aside = `${liveAnchors}.before-restore-${stamp}`;
      renameSync(liveAnchors, aside);
      kept.push(aside);
    }
    if (incoming) {
      renameSync(tmpAnchors, liveAnchors);
      fsyncDir(anchorDir);
      anchors = { file: liveAnchors, lines: countLines(liveAnchors), publicKeysAdded: mergePublicKeys(incoming.publicKeys, join(anchorDir, ANCHOR_PUBLIC_KEYS_FILE), opts.publicKeyIds) };
    }
    return { database: target, facts, metadata, kept, removed, anchors, anchorWarning };
  } catch (err) {
    throw asBackupError(err);
  } finally {
    for (const f of [tmp, `${tmp}-journal`, `${tmp}-wal`, `${tmp}-shm`, tmpAnchors]) rmSync(f, { force: true });
    if (!done && createdDir) rmSync(createdDir, { recursive: true, force: true });
  }
}

/** The anchors beside a backup, if usable; the checksums in its metadata are checked when it has them. */
function backupAnchorsOf(from: string, metadata: BackupMetadata | null): { incoming: { anchors: string; publicKeys: string } | null; warning: string | null } {
  const anchors = anchorFileOf(from);
  const publicKeys = publicKeysFileOf(from);
  const present = existsSync(anchors) && existsSync(publicKeys);
  if (metadata && !metadata.anchors) return { incoming: null, warning: null };
  if (!present) {
    return metadata?.anchors
      ? { incoming: null, warning: `${basename(anchors)} or ${basename(publicKeys)} is missing beside the backup; audit:verify will report the anchors missing` }
      : { incoming: null, warning: null };
  }
  if (metadata?.anchors && (sha256File(anchors) !== metadata.anchors.sha256 || sha256File(publicKeys) !== metadata.anchors.publicKeysSha256)) {
    return { incoming: null, warning: `${basename(anchors)} or ${basename(publicKeys)} does not match its checksum in ${basename(metadataFileOf(from))}; the anchors were not restored` };
  }
  return { incoming: { anchors, publicKeys }, warning: null };
}

/** Adds the backup's public keys the folder does not have yet; a key is never removed. Returns how many were added. */
function mergePublicKeys(from: string, into: string, publicKeyIds: (text: string) => string[]): number {
  const known = new Set(existsSync(into) ? publicKeyIds(readFileSync(into, 'utf8')) : []);
  const incoming = readFileSync(from, 'utf8').split('\n').filter((line) => line.trim());
  const added = incoming.filter((line) => {
    const ids = publicKeyIds(line);
    return ids.length === 1 && !known.has(ids[0]!);
  });
  if (added.length) {
    appendFileSync(into, `${added.join('\n')}\n`);
    fsyncFile(into);
  }
  return added.length;
}

function countLines(file: string): number {
  return readFileSync(file, 'utf8').split('\n').length - 1;
}

/** Integrity, foreign keys, schema and the numbers a backup records, of a file opened read-only. */
export function inspectFile(file: string): DatabaseFacts {
  let db: Database.Database | undefined;
  try {
    db = openExisting(file, { readonly: true });
    return inspect(db);
  } catch (err) {
    return { problems: [`cannot read the database: ${(err as Error).message}`], schemaVersion: 0, lastSeq: 0, events: 0, pageSize: 0, pages: 0 };
  } finally {
    db?.close();
  }
}

function inspect(db: Database.Database): DatabaseFacts {
  const problems: string[] = [];
  const integrity = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check);
  if (integrity.join() !== 'ok') problems.push(...integrity.slice(0, 10).map((m) => `integrity: ${m}`));
  const fk = db.pragma('foreign_key_check') as Array<{ table: string; rowid: number; parent: string }>;
  for (const r of fk.slice(0, 10)) problems.push(`foreign key: ${r.table} row ${r.rowid} points at a missing ${r.parent}`);
  if (fk.length > 10) problems.push(`foreign key: ${fk.length - 10} more`);
  const schemaVersion = db.pragma('user_version', { simple: true }) as number;
  if (schemaVersion > LATEST_SCHEMA) problems.push(`schema version ${schemaVersion} is newer than this GridCommand knows (${LATEST_SCHEMA})`);
  const tables = new Set((db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as Array<{ name: string }>).map((r) => r.name));
  const missing = REQUIRED_TABLES.filter((t) => !tables.has(t));
  if (missing.length) {
    problems.push(`not a GridCommand database: no ${missing.join(', ')} table`);
    return { problems, schemaVersion, lastSeq: 0, events: 0, pageSize: 0, pages: 0 };
  }
  const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  return {
    problems,
    schemaVersion,
    lastSeq: n('SELECT COALESCE(MAX(seq), 0) AS n FROM event_changes'),
    events: n('SELECT COUNT(*) AS n FROM events'),
    pageSize: db.pragma('page_size', { simple: true }) as number,
    pages: db.pragma('page_count', { simple: true }) as number,
  };
}

/**
 * Whether another connection has the database open. A WAL connection keeps a shared lock
 * on the file for as long as it is open, so an exclusive lock is refused while the server
 * runs. Taking it also folds the old write-ahead log into the file before it is moved aside.
 */
export function databaseInUse(file: string): boolean {
  let db: Database.Database;
  try {
    db = openExisting(file, { timeout: 0 });
  } catch {
    // Not a database we can open (damaged, foreign): nothing of ours has it open either.
    return false;
  }
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    db.pragma('wal_checkpoint(TRUNCATE)');
    return false;
  } catch (err) {
    if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY') || (err as { code?: string }).code?.startsWith('SQLITE_LOCKED')) return true;
    return false;
  } finally {
    db.close();
  }
}

export function sha256File(file: string): string {
  const hash = createHash('sha256');
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

function readMetadata(backupFile: string): BackupMetadata | null {
  const file = metadataFileOf(backupFile);
  if (!existsSync(file)) return null;
  let parsed: Partial<BackupMetadata>;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<BackupMetadata>;
  } catch (err) {
    throw new BackupError(`${file} is not valid JSON (${(err as Error).message}); move it away to restore without a checksum`);
  }
  if (parsed.format !== 'gridcommand-backup' || typeof parsed.sha256 !== 'string') throw new BackupError(`${file} is not GridCommand backup metadata`);
  return parsed as BackupMetadata;
}

function openExisting(file: string, options: Database.Options): Database.Database {
  return new Database(file, { ...options, fileMustExist: true });
}

function hasSqliteHeader(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(SQLITE_HEADER.length);
    return readSync(fd, head, 0, head.length, 0) === head.length && head.equals(SQLITE_HEADER);
  } finally {
    closeSync(fd);
  }
}

/** Keeps the old database under a new name without a moment in which the target is missing. */
function keepCopy(file: string, keep: string): void {
  try {
    linkSync(file, keep);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new BackupError(`${keep} already exists`);
    // Some file systems have no hard links; a copy keeps the same bytes.
    copyFileSync(file, keep, constants.COPYFILE_EXCL);
    fsyncFile(keep);
  }
}

function sqliteVersion(): string {
  const db = new Database(':memory:');
  try {
    return (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  } finally {
    db.close();
  }
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

function fsyncFile(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes a rename durable. Windows cannot open a folder for syncing; its renames are journaled by NTFS. */
function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function asBackupError(err: unknown): Error {
  if (err instanceof BackupError) return err;
  const e = err as NodeJS.ErrnoException & { code?: string };
  if (typeof e.code === 'string' && (e.code.startsWith('SQLITE_') || e.syscall)) return new BackupError(e.message);
  return err as Error;
}
