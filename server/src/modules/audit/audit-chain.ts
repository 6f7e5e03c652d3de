import { createHash } from 'node:crypto';

/** `prevHash` of the first record. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Names the serialisation below. Records already stored must stay verifiable for as long as they
 * are kept (≥ 6 months), so the format never changes in place: a new one gets a new tag.
 */
const FORMAT = 'gridcommand-audit/1';

/** The fields of a record that its hash covers, exactly as stored (`details` is JSON text). */
export interface AuditFields {
  seq: number;
  at: string;
  userId: string | null;
  username: string | null;
  role: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  result: string;
  reason: string | null;
  sourceIp: string | null;
  client: string | null;
  details: string | null;
}

export interface ChainedAuditRow extends AuditFields {
  prevHash: string;
  hash: string;
}

/**
 * The bytes a record's hash is taken over: a JSON array of the fields in a fixed order, then the
 * previous hash. JSON quotes and escapes every string and keeps `null` apart from `"null"` and
 * `""`, so no two different records serialise alike (unlike joining fields with a separator).
 */
export function canonicalAuditRecord(f: AuditFields, prevHash: string): string {
  return JSON.stringify([
    FORMAT,
    f.seq,
    f.at,
    f.userId,
    f.username,
    f.role,
    f.action,
    f.objectType,
    f.objectId,
    f.result,
    f.reason,
    f.sourceIp,
    f.client,
    f.details,
    prevHash,
  ]);
}

/** SHA-256 (lower-case hex) of the canonical serialisation. */
export function auditHash(f: AuditFields, prevHash: string): string {
  return createHash('sha256').update(canonicalAuditRecord(f, prevHash), 'utf8').digest('hex');
}

export type ChainProblem =
  /** The stored hash is not the hash of the stored fields: the record was edited. */
  | 'hash_mismatch'
  /** The record does not point at the hash of the one before it. */
  | 'prev_hash_mismatch'
  /** A sequence number is skipped: records were deleted. */
  | 'sequence_gap'
  /** A sequence number repeats or goes back. */
  | 'sequence_order';

export type ChainVerdict =
  | { ok: true; count: number; lastSeq: number; lastHash: string }
  /** `seq` is the first record found broken; `expected`/`actual` are hashes or `#seq`s. */
  | { ok: false; seq: number; problem: ChainProblem; expected: string; actual: string; checked: number };

/**
 * Walks records in stored order and reports the first broken one. Takes any iterable so a
 * caller can stream millions of rows. A chain rewritten from some record to the end with fresh
 * hashes still verifies: only a hash kept elsewhere (the printed last hash) can expose that.
 */
export function verifyChain(rows: Iterable<ChainedAuditRow>): ChainVerdict {
  const verifier = new ChainVerifier();
  for (const row of rows) {
    const broken = verifier.push(row);
    if (broken) return broken;
  }
  return verifier.verdict();
}

/** `verifyChain` one record at a time, for records read in batches (awaited between them). */
export class ChainVerifier {
  private lastSeq = 0;
  private lastHash = GENESIS_HASH;
  private count = 0;

  /** Checks the next record; returns the verdict when it is broken, null when it links. */
  push(row: ChainedAuditRow): Extract<ChainVerdict, { ok: false }> | null {
    const expectedSeq = this.lastSeq + 1;
    const broken = (problem: ChainProblem, expected: string, actual: string): Extract<ChainVerdict, { ok: false }> => ({ ok: false, seq: row.seq, problem, expected, actual, checked: this.count });
    if (row.seq > expectedSeq) return broken('sequence_gap', `#${expectedSeq}`, `#${row.seq}`);
    if (row.seq < expectedSeq) return broken('sequence_order', `#${expectedSeq}`, `#${row.seq}`);
    if (row.prevHash !== this.lastHash) return broken('prev_hash_mismatch', this.lastHash, row.prevHash);
    const computed = auditHash(row, row.prevHash);
    if (row.hash !== computed) return broken('hash_mismatch', computed, row.hash);
    this.lastSeq = row.seq;
    this.lastHash = row.hash;
    this.count += 1;
    return null;
  }

  /** The verdict on every record pushed, none broken. */
  verdict(): Extract<ChainVerdict, { ok: true }> {
    return { ok: true, count: this.count, lastSeq: this.lastSeq, lastHash: this.lastHash };
  }
}

/** One line for an operator: what is wrong with the first broken record. */
export function describeBreak(v: Extract<ChainVerdict, { ok: false }>): string {
  switch (v.problem) {
    case 'hash_mismatch':
      return `record #${v.seq}: hash mismatch (stored ${v.actual}, computed ${v.expected}) — its fields were changed after it was written`;
    case 'prev_hash_mismatch':
      return `record #${v.seq}: prev-hash mismatch (stored ${v.actual}, record #${v.seq - 1} has ${v.expected})`;
    case 'sequence_gap': {
      const first = Number(v.expected.slice(1));
      const missing = first === v.seq - 1 ? `#${first}` : `#${first}–#${v.seq - 1}`;
      return `record #${v.seq}: gap in sequence (expected ${v.expected}, found ${v.actual}; ${missing} missing)`;
    }
    case 'sequence_order':
      return `record #${v.seq}: sequence out of order (expected ${v.expected}, found ${v.actual})`;
  }
}
