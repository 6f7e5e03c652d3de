import { describe, expect, it } from 'vitest';
import { GENESIS_HASH } from './audit-chain.js';
import { anchorLine, compareAnchors, generateSigningKey, parsePublicKeys, publicKeyLine, readAnchorFile, type ChainHead } from './audit-anchor.js';

const key = generateSigningKey().key;
const keys = parsePublicKeys(publicKeyLine(key, new Date('2026-11-20T00:00:00Z'))).keys;
const h = (n: number) => n.toString(16).padStart(64, '0');
const at = (minute: number) => new Date(Date.UTC(2026, 10, 20, 8, minute));

/** An anchor file of the given heads, as the writer makes it. */
function fileOf(heads: ChainHead[]): string[] {
  const lines: string[] = [];
  heads.forEach((head, i) => lines.push(anchorLine(head, at(i), key, lines.at(-1) ?? null)));
  return lines;
}
const text = (lines: string[]) => lines.map((l) => `${l}\n`).join('');

describe('readAnchorFile', () => {
  const lines = fileOf([{ seq: 1, hash: h(1) }, { seq: 5, hash: h(5) }, { seq: 9, hash: h(9) }]);

  it('accepts the lines the writer made, signed and linked', () => {
    const r = readAnchorFile(text(lines), keys);
    expect(r.problems).toEqual([]);
    expect(r.anchors.map((a) => [a.line, a.seq])).toEqual([[1, 1], [2, 5], [3, 9]]);
    expect(r.anchors[0]!.prev).toBe(GENESIS_HASH);
  });

  it('names an edited line, a deleted one and one signed by a key it does not know', () => {
    expect(readAnchorFile(text([lines[0]!, lines[1]!.replace('"seq":5', '"seq":4'), lines[2]!]), keys).problems).toEqual([
      'line 2 does not match its signature: it was edited after it was written',
    ]);
    expect(readAnchorFile(text([lines[0]!, lines[2]!]), keys).problems).toEqual(['line 2 does not follow the line before it: an anchor line was deleted, inserted or moved']);
    expect(readAnchorFile(text([lines[1]!, lines[2]!]), keys).problems).toEqual(['line 1 does not follow the line before it: an anchor line was deleted, inserted or moved']);
    const stranger = generateSigningKey().key;
    expect(readAnchorFile(`${anchorLine({ seq: 1, hash: h(1) }, at(0), stranger, null)}\n`, keys).problems).toEqual([
      `line 1 is signed with key ${stranger.id}, which is not among the public keys`,
    ]);
  });

  it('skips a line cut short by a crash when the next one links past it, and only then', () => {
    const torn = `${lines[0]}\n{"v":1,"at":"2026-11\n${anchorLine({ seq: 5, hash: h(5) }, at(1), key, lines[0]!)}\n`;
    const r = readAnchorFile(torn, keys);
    expect(r).toMatchObject({ problems: [], torn: [2] });
    expect(r.anchors.map((a) => a.seq)).toEqual([1, 5]);
    // A line replaced by garbage is not a torn write: the next line links to what was there.
    expect(readAnchorFile(text([lines[0]!, 'garbage', lines[2]!]), keys).problems).toEqual(['line 2 is not an anchor: it was edited or damaged']);
  });
});

describe('compareAnchors', () => {
  const anchors = readAnchorFile(text(fileOf([{ seq: 1, hash: h(1) }, { seq: 5, hash: h(5) }, { seq: 9, hash: h(9) }])), keys).anchors;
  const stored = (hashes: Record<number, string>) => (seq: number) => hashes[seq] ?? h(seq);

  it('agrees with a chain that holds every anchored head, even one that has grown since', () => {
    expect(compareAnchors(anchors, { seq: 12, hash: h(12) }, stored({}))).toMatchObject({ truncated: null, rechained: null, last: { seq: 9 } });
  });

  it('names the missing range of a truncated chain', () => {
    expect(compareAnchors(anchors, { seq: 6, hash: h(6) }, stored({})).truncated).toMatchObject({ from: 7, to: 9, anchor: { line: 3 } });
  });

  it('names the first anchor a re-chained segment breaks and the last one that still matches', () => {
    const r = compareAnchors(anchors, { seq: 9, hash: 'f'.repeat(64) }, stored({ 5: 'e'.repeat(64), 9: 'f'.repeat(64) }));
    expect(r.rechained).toMatchObject({ anchor: { seq: 5, line: 2 }, stored: 'e'.repeat(64), lastMatching: { seq: 1 } });
  });
});
