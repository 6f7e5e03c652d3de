import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { ANCHOR_FILE, ANCHOR_KEY_FILE, ANCHOR_PUBLIC_KEYS_FILE } from '../../config.js';
import { GENESIS_HASH } from './audit-chain.js';

// The chain's head (record count and last hash) signed and kept outside the database, so that a
// truncated or re-chained trail no longer matches what was anchored. See README.md here.

// The files' names are the data folder's layout, in config.ts (backup and restore copy them too).
export { ANCHOR_FILE, ANCHOR_KEY_FILE, ANCHOR_PUBLIC_KEYS_FILE };
/** `objectType` of the audit record written when a signing key is put in use. */
export const ANCHOR_KEY_OBJECT_TYPE = 'audit_anchor_key';

/** Names the signed serialisation; a new format gets a new tag, as the chain's does. */
const FORMAT = 'gridcommand-audit-anchor/1';

/** One anchor line as stored. */
export interface Anchor {
  v: 1;
  /** When it was written (the server's clock), ISO UTC. */
  at: string;
  /** Records in the chain then: the chain has no gaps, so this is also the last seq (0 when empty). */
  seq: number;
  /** Hash of record `seq` (64 zeros when `seq` is 0). */
  hash: string;
  /** Id of the key that signed it, see {@link keyIdOf}. */
  key: string;
  /** SHA-256 of the previous line's text (64 zeros for the first): deleting a middle line breaks the link. */
  prev: string;
  /** Ed25519 signature (base64) over {@link signedAnchorText}. */
  sig: string;
}

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const anchorSchema = z
  .object({
    v: z.literal(1),
    at: z.iso.datetime(),
    seq: z.number().int().nonnegative(),
    hash: hex64,
    key: z.string().regex(/^[0-9a-f]{16}$/),
    prev: hex64,
    sig: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/),
  })
  .strict();

const publicKeyLineSchema = z.object({ key: z.string(), publicKey: z.string(), addedAt: z.string() }).strict();

/** The head of the chain: how many records and the last one's hash. */
export interface ChainHead {
  seq: number;
  hash: string;
}

export const EMPTY_HEAD: ChainHead = { seq: 0, hash: GENESIS_HASH };

export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The bytes an anchor's signature covers: every field but the signature, in a fixed order. */
export function signedAnchorText(a: Omit<Anchor, 'sig'>): string {
  return JSON.stringify([FORMAT, a.at, a.seq, a.hash, a.key, a.prev]);
}

/** A short, stable name for a public key: the start of the SHA-256 of its SPKI encoding. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

export interface SigningKey {
  id: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function generateSigningKey(): { key: SigningKey; pem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { key: { id: keyIdOf(publicKey), privateKey, publicKey }, pem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}

export function signingKeyFromPem(pem: string): SigningKey {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`the anchor key must be an Ed25519 key (found ${privateKey.asymmetricKeyType ?? 'a secret key'})`);
  const publicKey = createPublicKey(privateKey);
  return { id: keyIdOf(publicKey), privateKey, publicKey };
}

/** The next anchor line's text (no newline), linked to the previous line's text. */
export function anchorLine(head: ChainHead, at: Date, key: SigningKey, previousLine: string | null): string {
  const unsigned = { v: 1 as const, at: at.toISOString(), seq: head.seq, hash: head.hash, key: key.id, prev: previousLine === null ? GENESIS_HASH : sha256Hex(previousLine) };
  const sig = sign(null, Buffer.from(signedAnchorText(unsigned), 'utf8'), key.privateKey).toString('base64');
  return JSON.stringify({ ...unsigned, sig } satisfies Anchor);
}

/** A line of the public-key file. */
export function publicKeyLine(key: SigningKey, addedAt: Date): string {
  return JSON.stringify({ key: key.id, publicKey: key.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'), addedAt: addedAt.toISOString() });
}

/**
 * The public keys in a public-key file, by id. A line that is not a well-formed Ed25519 key
 * whose id matches is a problem, not a key: a verifier must not trust what it cannot read.
 */
export function parsePublicKeys(text: string): { keys: Map<string, KeyObject>; problems: string[] } {
  const keys = new Map<string, KeyObject>();
  const problems: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    try {
      const parsed = publicKeyLineSchema.parse(JSON.parse(line));
      const key = createPublicKey({ key: Buffer.from(parsed.publicKey, 'base64'), format: 'der', type: 'spki' });
      if (key.asymmetricKeyType !== 'ed25519' || keyIdOf(key) !== parsed.key) throw new Error('not the Ed25519 key its id names');
      keys.set(parsed.key, key);
    } catch (err) {
      problems.push(`line ${i + 1}: not a public key (${(err as Error).message.split('\n')[0]})`);
    }
  });
  return { keys, problems };
}

/** Ids of the well-formed keys in the text of a public-key file (what a restore merges by). */
export const publicKeyIds = (text: string): string[] => [...parsePublicKeys(text).keys.keys()];

/** An anchor with the line it came from (1-based). */
export interface NumberedAnchor extends Anchor {
  line: number;
}

export interface AnchorFileReading {
  /** Every anchor whose line parsed and was signed by a known key, and is where it was written. */
  anchors: NumberedAnchor[];
  /** Lines that are not sound anchors: edited, inserted, deleted around, or signed by an unknown key. */
  problems: string[];
  /** Lines cut short by a crash that the next line links past (not tampering; reported, not failed). */
  torn: number[];
}

/**
 * Reads an anchor file and checks every line: its form, its signature (by a key in `keys`) and
 * its link to the line before. The line after a broken one still counts (its own signature
 * holds) but is not held to link to it, so one edit is reported once; later lines are checked
 * as usual, so an independent break further on is reported too.
 */
export function readAnchorFile(text: string, keys: ReadonlyMap<string, KeyObject>): AnchorFileReading {
  const raw = text.split('\n');
  // A file written by the server ends with a newline; the piece after it is empty.
  const endsWithNewline = raw[raw.length - 1] === '';
  if (endsWithNewline) raw.pop();
  const anchors: NumberedAnchor[] = [];
  const problems: string[] = [];
  const torn: number[] = [];
  /** 1-based numbers of lines reported as problems: the line after one is not held to link to it. */
  const broken = new Set<number>();
  const parsed = raw.map((line) => {
    try {
      return anchorSchema.parse(JSON.parse(line));
    } catch {
      return null;
    }
  });
  const problem = (n: number, message: string) => {
    broken.add(n);
    problems.push(message);
  };
  raw.forEach((_line, i) => {
    const n = i + 1;
    const anchor = parsed[i];
    if (!anchor) {
      // The writer, finding the file cut mid-line after a crash, starts a new line that links
      // past the fragment. An edited line cannot pass for that: the next line links to its
      // original text, not to the line before it.
      const next = parsed[i + 1];
      const before = i > 0 ? raw[i - 1]! : null;
      if (next && next.prev === (before === null ? GENESIS_HASH : sha256Hex(before))) torn.push(n);
      else problem(n, `line ${n} is not an anchor${i === raw.length - 1 && !endsWithNewline ? ' (cut short)' : ''}: it was edited or damaged`);
      return;
    }
    const key = keys.get(anchor.key);
    if (!key) {
      problem(n, `line ${n} is signed with key ${anchor.key}, which is not among the public keys`);
      return;
    }
    if (!verify(null, Buffer.from(signedAnchorText(anchor), 'utf8'), key, Buffer.from(anchor.sig, 'base64'))) {
      problem(n, `line ${n} does not match its signature: it was edited after it was written`);
      return;
    }
    const prevIndex = torn.includes(i) ? i - 2 : i - 1;
    const expectedPrev = prevIndex < 0 ? GENESIS_HASH : sha256Hex(raw[prevIndex]!);
    // After a line reported broken, the link is not checked: it points at the original text.
    if (!broken.has(n - 1) && anchor.prev !== expectedPrev) {
      problem(n, `line ${n} does not follow the line before it: an anchor line was deleted, inserted or moved`);
      return;
    }
    anchors.push({ ...anchor, line: n });
  });
  return { anchors, problems, torn };
}

/** What comparing the anchors with the stored chain found. */
export interface AnchorComparison {
  /** Records anchored once and now gone: the first and last missing seq, and the anchor that holds the last. */
  truncated: { from: number; to: number; anchor: NumberedAnchor } | null;
  /** The first anchor (in file order) whose record is still there but has another hash. */
  rechained: { anchor: NumberedAnchor; stored: string; lastMatching: NumberedAnchor | null } | null;
  /** The last anchor, when the stored chain agrees with every anchor. */
  last: NumberedAnchor | null;
}

/**
 * Compares sound anchors with the chain as stored. `hashAt(seq)` is the stored hash of record
 * `seq` (undefined when missing). Only anchors that verified are compared: a forged line cannot
 * make the chain look broken or whole.
 */
export function compareAnchors(anchors: readonly NumberedAnchor[], head: ChainHead, hashAt: (seq: number) => string | undefined): AnchorComparison {
  let newest: NumberedAnchor | null = null;
  let rechained: AnchorComparison['rechained'] = null;
  for (const anchor of anchors) {
    if (anchor.seq > head.seq) {
      if (!newest || anchor.seq > newest.seq) newest = anchor;
      continue;
    }
    const stored = anchor.seq === 0 ? GENESIS_HASH : hashAt(anchor.seq);
    if (stored !== anchor.hash && !rechained) {
      const lastMatching = anchors.filter((a) => a.seq < anchor.seq && a.seq <= head.seq && (a.seq === 0 ? GENESIS_HASH : hashAt(a.seq)) === a.hash).reduce<NumberedAnchor | null>((best, a) => (!best || a.seq > best.seq ? a : best), null);
      rechained = { anchor, stored: stored ?? '(missing)', lastMatching };
    }
  }
  return {
    truncated: newest ? { from: head.seq + 1, to: newest.seq, anchor: newest } : null,
    rechained,
    last: anchors.length ? anchors[anchors.length - 1]! : null,
  };
}
