import type { Clock } from '../../core/clock.js';
import type { Store } from '../../db/store.js';
import { postgresSchemaVersion } from '../../db/postgres-schema.js';
import { auditHash, ChainVerifier, GENESIS_HASH, type AuditFields, type ChainedAuditRow, type ChainVerdict } from './audit-chain.js';
import type { AuditEntry, AuditFilter, AuditRecord, AuditResult } from './audit.contract.js';
import { CSV_BOM, csvLine } from './audit-csv.js';
import { ANCHOR_KEY_OBJECT_TYPE, EMPTY_HEAD, type ChainHead } from './audit-anchor.js';

interface AuditRow {
  seq: number;
  at: string;
  user_id: string | null;
  username: string | null;
  role: string | null;
  action: string;
  object_type: string | null;
  object_id: string | null;
  result: string;
  reason: string | null;
  source_ip: string | null;
  client: string | null;
  details: string | null;
  prev_hash: string;
  hash: string;
}

const COLUMNS = 'seq, at, user_id, username, role, action, object_type, object_id, result, reason, source_ip, client, details, prev_hash, hash';
const INSERT = `INSERT INTO audit_log (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const insertValues = (row: ChainedAuditRow): unknown[] => [
  row.seq, row.at, row.userId, row.username, row.role, row.action, row.objectType, row.objectId, row.result, row.reason,
  row.sourceIp, row.client, row.details, row.prevHash, row.hash,
];

/** Schema version that created `audit_log` (server/src/db/migrations.ts). */
export const AUDIT_SCHEMA_VERSION = 2;
/** The triggers that make `audit_log` append-only; each must exist and abort. */
export const AUDIT_TRIGGERS = ['audit_log_no_update', 'audit_log_no_delete', 'audit_log_chain'] as const;

/** Columns of the auditor's CSV: every stored field, hashes included, so it can be re-verified. */
const CSV_HEADER = COLUMNS.split(', ');

const toChained = (r: AuditRow): ChainedAuditRow => ({
  seq: r.seq,
  at: r.at,
  userId: r.user_id,
  username: r.username,
  role: r.role,
  action: r.action,
  objectType: r.object_type,
  objectId: r.object_id,
  result: r.result,
  reason: r.reason,
  sourceIp: r.source_ip,
  client: r.client,
  details: r.details,
  prevHash: r.prev_hash,
  hash: r.hash,
});

const toRecord = (r: ChainedAuditRow): AuditRecord => ({
  ...r,
  result: r.result as AuditResult,
  details: r.details === null ? null : (JSON.parse(r.details) as Record<string, unknown>),
});

// SQLite stores UTF-8, where a lone UTF-16 surrogate cannot exist: it would come back as U+FFFD
// and no longer match the hash taken at write time. Replace it before hashing.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const MAX_TEXT = 256;
const MAX_REASON = 1024;
const MAX_CLIENT = 512;
const MAX_DETAILS = 16 * 1024;

/** A field as stored: well-formed, and cut (with `…`) so a hostile user agent cannot bloat the trail. */
function text(value: string | null | undefined, max: number): string | null {
  if (value === undefined || value === null) return null;
  const s = String(value).replace(LONE_SURROGATE, '\uFFFD');
  return s.length <= max ? s : `${s.slice(0, max - 1).replace(LONE_SURROGATE, '')}…`;
}

// Keys whose values never belong in the trail; caught here too in case a caller forgets.
const SECRET_KEY = /passw(or)?d|pwd|secret|token|authori[sz]ation|cookie|api_?key|credential|private_?key|^t?otp$/i;

function sortedRedacted(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const plain = typeof (value as { toJSON?: unknown }).toJSON === 'function' ? (value as { toJSON(): unknown }).toJSON() : value;
  if (plain !== value) return sortedRedacted(plain);
  if (Array.isArray(value)) return value.map(sortedRedacted);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    out[key] = SECRET_KEY.test(key) ? '[redacted]' : sortedRedacted((value as Record<string, unknown>)[key]);
  }
  return out;
}

/** `details` as stored: JSON with sorted keys, secrets redacted, bounded in size. */
function detailsJson(details: Record<string, unknown> | null | undefined): string | null {
  if (details === undefined || details === null) return null;
  const json = JSON.stringify(sortedRedacted(details));
  if (json.length > MAX_DETAILS) throw new RangeError(`audit details are ${json.length} characters; at most ${MAX_DETAILS}`);
  return json;
}

function whereOf(f: AuditFilter): { where: string[]; args: unknown[] } {
  const where: string[] = [];
  const args: unknown[] = [];
  // `at` is always ISO UTC with ms, so comparing text compares instants.
  if (f.from) {
    where.push('at >= ?');
    args.push(new Date(f.from).toISOString());
  }
  if (f.to) {
    where.push('at < ?');
    args.push(new Date(f.to).toISOString());
  }
  if (f.user) {
    where.push('(user_id = ? OR username = ?)');
    args.push(f.user, f.user);
  }
  if (f.action) {
    where.push('action = ?');
    args.push(f.action);
  }
  if (f.result) {
    where.push('result = ?');
    args.push(f.result);
  }
  if (f.objectId) {
    where.push('object_id = ?');
    args.push(f.objectId);
  }
  return { where, args };
}

/** What `inspect()` finds in a database file, for the verify CLI. */
export type AuditInspection =
  | { kind: 'not_migrated'; schemaVersion: number }
  | { kind: 'table_missing'; schemaVersion: number }
  | { kind: 'checked'; schemaVersion: number; missingTriggers: string[]; verdict: ChainVerdict };

/**
 * The audit trail: append-only, hash-chained records of security-relevant actions. Records are
 * never updated or deleted here (and the database refuses it); retention is the whole life of
 * the database, see README.md in this folder.
 */
export class AuditRepo {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /**
   * Writes one record inside the caller's open store transaction, so that the action and its
   * record commit together or not at all: if this throws, the action must fail. Takes the writers'
   * turn (Store.takeWriterTurn), the next seq and the last hash: the chain stays gap-free with
   * writers on several nodes.
   */
  async append(entry: AuditEntry): Promise<AuditRecord> {
    if (!this.store.inTransactionNow) {
      throw new Error('AuditRepo.append must run inside the transaction of the action it records; use record() for an entry on its own');
    }
    await this.store.takeWriterTurn();
    const row = this.chained(entry, await this.store.get<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1'));
    await this.store.run(INSERT, ...insertValues(row));
    return toRecord(row);
  }

  /** The record that follows `last` in the chain: its seq, its fields as stored, its hashes. */
  private chained(entry: AuditEntry, last: { seq: number; hash: string } | undefined): ChainedAuditRow {
    const fields: AuditFields = {
      seq: (last?.seq ?? 0) + 1,
      at: (entry.at ?? this.clock.now()).toISOString(),
      userId: text(entry.userId, MAX_TEXT),
      username: text(entry.username, MAX_TEXT),
      role: text(entry.role, MAX_TEXT),
      action: text(entry.action, MAX_TEXT)!,
      objectType: text(entry.objectType, MAX_TEXT),
      objectId: text(entry.objectId, MAX_TEXT),
      result: entry.result,
      reason: text(entry.reason, MAX_REASON),
      sourceIp: text(entry.sourceIp, MAX_TEXT),
      client: text(entry.client, MAX_CLIENT),
      details: detailsJson(entry.details),
    };
    const prevHash = last?.hash ?? GENESIS_HASH;
    return { ...fields, prevHash, hash: auditHash(fields, prevHash) };
  }

  /**
   * Writes one record in a transaction of its own, for what has no transaction to join: a failed
   * login, a denied attempt (whose action was refused, so nothing else commits).
   */
  async record(entry: AuditEntry): Promise<AuditRecord> {
    if (this.store.inTransactionNow) {
      throw new Error('AuditRepo.record commits its own transaction; inside a transaction use append() so the record shares its fate');
    }
    return this.store.inTransaction(() => this.append(entry));
  }

  /** A page of records matching the filter, newest first, with the number of all matches. */
  async list(q: AuditFilter & { page: number; pageSize: number }): Promise<{ items: AuditRecord[]; total: number }> {
    const { where, args } = whereOf(q);
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (await this.store.get<{ n: number }>(`SELECT COUNT(*) AS n FROM audit_log ${clause}`, ...args))!.n;
    const rows = await this.store.all<AuditRow>(`SELECT ${COLUMNS} FROM audit_log ${clause} ORDER BY seq DESC LIMIT ? OFFSET ?`, ...args, q.pageSize, (q.page - 1) * q.pageSize);
    return { items: rows.map((r) => toRecord(toChained(r))), total };
  }

  /** The chain's head: the number of records (the last seq, the chain has no gaps) and the last hash. */
  async head(): Promise<ChainHead> {
    return (await this.store.get<ChainHead>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1')) ?? EMPTY_HEAD;
  }

  /** The stored hash of record `seq`, if there is one. */
  async hashAt(seq: number): Promise<string | undefined> {
    return (await this.store.get<{ hash: string }>('SELECT hash FROM audit_log WHERE seq = ?', seq))?.hash;
  }

  /** Highest seq written (0 when the trail is empty). */
  async lastSeq(): Promise<number> {
    return (await this.store.get<{ s: number }>('SELECT COALESCE(MAX(seq), 0) AS s FROM audit_log'))!.s;
  }

  /**
   * The matching records, oldest first, as CSV for the auditor: BOM and header first, then one
   * chunk per batch. Reads in keyset batches and holds no cursor between chunks, so the
   * database stays free for writes while a slow client downloads. Stops at the last record
   * that existed when it began. Record the export itself (`audit:export`) before streaming.
   */
  async *exportCsv(filter: AuditFilter, batchSize = 1000): AsyncGenerator<string> {
    yield CSV_BOM + csvLine(CSV_HEADER);
    for await (const batch of this.batches(filter, batchSize)) {
      yield batch.map((r) => csvLine(CSV_HEADER.map((c) => r[c as keyof AuditRow]))).join('');
    }
  }

  /** Every record in seq order, as stored, for verification. */
  async *chain(batchSize = 1000): AsyncGenerator<ChainedAuditRow> {
    for await (const batch of this.batches({}, batchSize)) yield* batch.map(toChained);
  }

  /** Verifies the whole stored chain, batch by batch. */
  async verify(): Promise<ChainVerdict> {
    const verifier = new ChainVerifier();
    for await (const row of this.chain()) {
      const broken = verifier.push(row);
      if (broken) return broken;
    }
    return verifier.verdict();
  }

  /**
   * Schema and chain of the trail in this database, and which of its triggers are gone; needs
   * only read access. Whether the triggers still refuse changes is not read from their text
   * (a `WHEN 0` trigger looks the part): `probeAppendOnly` attempts the changes.
   */
  async inspect(): Promise<AuditInspection> {
    const sqlite = this.store.dialect === 'sqlite';
    const schemaVersion = sqlite
      ? (this.store.sqliteConnection!.pragma('user_version', { simple: true }) as number)
      : ((await postgresSchemaVersion(this.store)) ?? 0);
    if (schemaVersion < AUDIT_SCHEMA_VERSION) return { kind: 'not_migrated', schemaVersion };
    const table = sqlite
      ? await this.store.get("SELECT 1 AS one FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'")
      : await this.store.get("SELECT 1 AS one WHERE to_regclass('audit_log') IS NOT NULL");
    if (!table) return { kind: 'table_missing', schemaVersion };
    const names = sqlite
      ? await this.store.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'")
      : await this.store.all<{ name: string }>("SELECT tgname AS name FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass AND NOT tgisinternal AND tgenabled <> 'D'");
    const triggers = new Set(names.map((t) => t.name));
    const missingTriggers = AUDIT_TRIGGERS.filter((name) => !triggers.has(name));
    return { kind: 'checked', schemaVersion, missingTriggers, verdict: await this.verify() };
  }

  /** The seqs and ids of the anchor signing keys put in use, as recorded in the trail. */
  async anchorKeyRecords(): Promise<Array<{ seq: number; keyId: string }>> {
    return this.store.all<{ seq: number; keyId: string }>('SELECT seq, object_id AS "keyId" FROM audit_log WHERE object_type = ? ORDER BY seq', ANCHOR_KEY_OBJECT_TYPE);
  }

  private async *batches(filter: AuditFilter, batchSize: number): AsyncGenerator<AuditRow[]> {
    const { where, args } = whereOf(filter);
    const until = await this.lastSeq();
    const sql = `SELECT ${COLUMNS} FROM audit_log WHERE seq > ? AND seq <= ? ${where.map((w) => `AND ${w} `).join('')}ORDER BY seq LIMIT ?`;
    for (let after = 0; ; ) {
      const rows = await this.store.all<AuditRow>(sql, after, until, ...args, batchSize);
      if (rows.length) yield rows;
      if (rows.length < batchSize) return;
      after = rows[rows.length - 1]!.seq;
    }
  }
}
