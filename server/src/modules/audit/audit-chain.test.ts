import { describe, expect, it } from 'vitest';
import { auditHash, canonicalAuditRecord, describeBreak, GENESIS_HASH, verifyChain, type AuditFields, type ChainedAuditRow } from './audit-chain.js';

const fields = (seq: number, overrides: Partial<AuditFields> = {}): AuditFields => ({
  seq,
  at: `2026-11-20T08:00:0${seq % 10}.123Z`,
  userId: 'U0001',
  username: 'dispatcher01',
  role: 'dispatcher',
  action: 'event:dispatch',
  objectType: 'event',
  objectId: `EV202611200${seq}`,
  result: 'success',
  reason: null,
  sourceIp: '10.0.0.8',
  client: 'gridcommand-console/0.1.0',
  details: '{"team":"T01"}',
  ...overrides,
});

/** A correctly chained trail of `n` records. */
function chainOf(n: number): ChainedAuditRow[] {
  const rows: ChainedAuditRow[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const f = fields(seq);
    const hash = auditHash(f, prevHash);
    rows.push({ ...f, prevHash, hash });
    prevHash = hash;
  }
  return rows;
}

describe('verifyChain', () => {
  it('accepts an intact chain and reports its count and last hash', () => {
    const rows = chainOf(5);
    expect(verifyChain(rows)).toEqual({ ok: true, count: 5, lastSeq: 5, lastHash: rows[4]!.hash });
  });

  it('accepts an empty chain, whose last hash is the genesis hash', () => {
    expect(verifyChain([])).toEqual({ ok: true, count: 0, lastSeq: 0, lastHash: GENESIS_HASH });
  });

  it('names a record whose field was edited: hash mismatch', () => {
    const rows = chainOf(5);
    rows[2] = { ...rows[2]!, action: 'event:create' };
    const v = verifyChain(rows);
    expect(v).toMatchObject({ ok: false, seq: 3, problem: 'hash_mismatch', actual: rows[2]!.hash, checked: 2 });
    expect(v.ok || describeBreak(v)).toMatch(/^record #3: hash mismatch \(stored [0-9a-f]{64}, computed [0-9a-f]{64}\)/);
  });

  it('names a record whose stored hash was replaced', () => {
    const rows = chainOf(5);
    rows[1] = { ...rows[1]!, hash: 'f'.repeat(64) };
    expect(verifyChain(rows)).toMatchObject({ ok: false, seq: 2, problem: 'hash_mismatch', actual: 'f'.repeat(64) });
  });

  it('names the next record when an edited one was re-hashed: prev-hash mismatch', () => {
    const rows = chainOf(5);
    const edited = { ...rows[2]!, result: 'failure' };
    rows[2] = { ...edited, hash: auditHash(edited, edited.prevHash) };
    const v = verifyChain(rows);
    expect(v).toMatchObject({ ok: false, seq: 4, problem: 'prev_hash_mismatch', expected: rows[2]!.hash });
    expect(v.ok || describeBreak(v)).toMatch(/^record #4: prev-hash mismatch/);
  });

  it('finds a deleted middle record: gap in sequence', () => {
    const rows = chainOf(6);
    rows.splice(2, 2);
    const v = verifyChain(rows);
    expect(v).toMatchObject({ ok: false, seq: 5, problem: 'sequence_gap', expected: '#3', actual: '#5' });
    expect(v.ok || describeBreak(v)).toBe('record #5: gap in sequence (expected #3, found #5; #3–#4 missing)');
  });

  it('finds reordered records', () => {
    const rows = chainOf(4);
    [rows[1], rows[2]] = [rows[2]!, rows[1]!];
    expect(verifyChain(rows)).toMatchObject({ ok: false, seq: 3, problem: 'sequence_gap' });
    // swapped contents under the original numbers
    const renumbered = chainOf(4);
    const [b, c] = [renumbered[1]!, renumbered[2]!];
    renumbered[1] = { ...c, seq: 2 };
    renumbered[2] = { ...b, seq: 3 };
    expect(verifyChain(renumbered)).toMatchObject({ ok: false, seq: 2, problem: 'prev_hash_mismatch' });
  });

  it('finds a repeated record', () => {
    const rows = chainOf(3);
    rows.push(rows[2]!);
    expect(verifyChain(rows)).toMatchObject({ ok: false, seq: 3, problem: 'sequence_order', expected: '#4', actual: '#3', checked: 3 });
  });

  it('finds a chain that does not start at the genesis', () => {
    const rows = chainOf(3).slice(1);
    expect(verifyChain(rows)).toMatchObject({ ok: false, seq: 2, problem: 'sequence_gap', expected: '#1' });
  });
});

describe('auditHash', () => {
  it('keeps its format: a stored trail must verify for as long as it is kept', () => {
    // If this changes, records already written stop verifying: add a new format tag instead.
    // The expected hash was computed outside this code (Python json.dumps + hashlib.sha256).
    expect(canonicalAuditRecord(fields(1), GENESIS_HASH)).toBe(
      `["gridcommand-audit/1",1,"2026-11-20T08:00:01.123Z","U0001","dispatcher01","dispatcher","event:dispatch","event","EV2026112001","success",null,"10.0.0.8","gridcommand-console/0.1.0","{\\"team\\":\\"T01\\"}","${GENESIS_HASH}"]`,
    );
    expect(auditHash(fields(1), GENESIS_HASH)).toBe('3cfb36adcaf77a949ea070297dcf48459cbc7445b3ca89382230ae4eb4fb9636');
  });

  it('tells apart records that a separator-joined serialisation would confuse', () => {
    const h = (o: Partial<AuditFields>) => auditHash(fields(1, o), GENESIS_HASH);
    expect(h({ username: 'a|b', role: null })).not.toBe(h({ username: 'a', role: 'b' }));
    expect(h({ username: 'a","b', role: null })).not.toBe(h({ username: 'a', role: 'b' }));
    expect(h({ reason: null })).not.toBe(h({ reason: 'null' }));
    expect(h({ reason: null })).not.toBe(h({ reason: '' }));
  });

  it('covers the previous hash and the sequence number', () => {
    expect(auditHash(fields(1), GENESIS_HASH)).not.toBe(auditHash(fields(1), '1'.repeat(64)));
    expect(auditHash(fields(1), GENESIS_HASH)).not.toBe(auditHash({ ...fields(1), seq: 2 }, GENESIS_HASH));
  });
});
