import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { AuditAnchorConfig } from '../../config.js';
import type { Clock } from '../../core/clock.js';
import { oneRunAtATime, Ticker } from '../../core/ticker.js';
import {
  ANCHOR_FILE,
  ANCHOR_KEY_FILE,
  ANCHOR_KEY_OBJECT_TYPE,
  ANCHOR_PUBLIC_KEYS_FILE,
  anchorLine,
  generateSigningKey,
  parsePublicKeys,
  publicKeyLine,
  signingKeyFromPem,
  type Anchor,
  type ChainHead,
  type SigningKey,
} from './audit-anchor.js';
import type { AuditRepo } from './audit.repo.js';
import { parseSyslogTarget, SyslogSender, syslogLine } from './syslog.js';

export interface AnchorPaths {
  dir: string;
  anchorFile: string;
  publicKeysFile: string;
  keyFile: string;
}

export function anchorPaths(dataDir: string, config: Pick<AuditAnchorConfig, 'dir' | 'keyFile'>): AnchorPaths {
  const dir = resolve(config.dir ?? dataDir);
  return {
    dir,
    anchorFile: resolve(dir, ANCHOR_FILE),
    publicKeysFile: resolve(dir, ANCHOR_PUBLIC_KEYS_FILE),
    keyFile: resolve(config.keyFile ?? resolve(dataDir, ANCHOR_KEY_FILE)),
  };
}

/** Bytes read from the end of the anchor file to find its last line (a line is ~300 bytes). */
const TAIL_BYTES = 64 * 1024;

/**
 * Appends a signed anchor of the audit chain's head to the anchor file when the head changed,
 * on a timer and at shutdown, and copies each one to syslog when configured.
 */
export class AuditAnchorWriter {
  private key: SigningKey | null = null;
  /** Text of the anchor file's last complete line: the next line links to it. */
  private lastLine: string | null = null;
  private lastHead: ChainHead | null = null;
  private readonly ticker: Ticker;
  private readonly syslog: SyslogSender | null;
  /** Whether this node anchors (from `resume` to `pause` or `stop`). */
  private anchoring = false;
  /** The step running or last run (see `serially`). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: {
      audit: AuditRepo;
      clock: Clock;
      paths: AnchorPaths;
      intervalMs: number;
      syslog: string | null;
      onError: (err: Error) => void;
      onWarning: (message: string) => void;
    },
  ) {
    this.syslog = deps.syslog ? new SyslogSender(parseSyslogTarget(deps.syslog), deps.onError) : null;
    this.ticker = new Ticker(oneRunAtATime(() => this.writeNow(), (err) => deps.onError(err as Error)), deps.intervalMs, (err) => deps.onError(err as Error));
  }

  get paths(): AnchorPaths {
    return this.deps.paths;
  }

  /** The last anchor in the file (written by this process or found at start), for the health screen. */
  lastAnchor(): Anchor | null {
    try {
      return this.lastLine ? (JSON.parse(this.lastLine) as Anchor) : null;
    } catch {
      return null;
    }
  }

  /** `HOST:PORT` of the syslog collector that gets a copy of every anchor, if configured. */
  get syslogTarget(): string | null {
    return this.deps.syslog;
  }

  /**
   * Loads the signing key (creating it on first start), writes an anchor of the head as found
   * and starts the timer. Throws when the key cannot be read or made: a server that cannot
   * anchor its trail does not start.
   */
  async start(): Promise<void> {
    await this.prepare();
    await this.resume();
  }

  /**
   * Loads the signing key (creating it on first start) and publishes its public half; throws
   * when the key cannot be read or made. Several nodes: every node at start, while the anchors
   * are written by the one node holding the timed duties (`resume`/`pause`, node-duties.ts).
   */
  async prepare(): Promise<void> {
    mkdirSync(this.deps.paths.dir, { recursive: true });
    this.key = this.loadOrCreateKey();
    await this.publishPublicKey(this.key);
  }

  /**
   * Reads the anchor file's last line (another node may have appended since), anchors the head
   * and starts the timer.
   */
  async resume(): Promise<void> {
    this.anchoring = true;
    await this.serially(async () => {
      this.readTail();
      await this.warnIfBehind();
    });
    await this.writeNow();
    this.ticker.start();
  }

  /** Stops the timer with a last anchor of the head (a node giving the duties to another). */
  async pause(): Promise<void> {
    this.ticker.stop();
    if (!this.anchoring) return;
    this.anchoring = false;
    await this.writeNow();
  }

  /** Anchors the head now if it changed since the last anchor; returns the anchor written, if any. */
  writeNow(): Promise<Anchor | null> {
    return this.serially(async () => {
      const key = this.key;
      if (!key) throw new Error('the audit anchor writer is not started');
      const head = await this.deps.audit.head();
      if (this.lastHead && this.lastHead.seq === head.seq && this.lastHead.hash === head.hash) return null;
      const at = this.deps.clock.now();
      const line = anchorLine(head, at, key, this.lastLine);
      appendDurably(this.deps.paths.anchorFile, `${line}\n`);
      this.lastLine = line;
      this.lastHead = head;
      this.syslog?.send(syslogLine(at, 'gridcommand', 'audit-anchor', line));
      return JSON.parse(line) as Anchor;
    });
  }

  /**
   * Runs `step` after every step begun before it: the file's last line and head are read and
   * written by one step at a time (the timer, a pause and the stop may meet while one awaits).
   */
  private serially<T>(step: () => Promise<T>): Promise<T> {
    const run = this.queue.then(step);
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Stops the timer and anchors the final head; call after the last request is answered. */
  async stop(): Promise<void> {
    this.ticker.stop();
    try {
      if (this.key && this.anchoring) await this.writeNow();
    } catch (err) {
      this.deps.onError(err as Error);
    }
    this.anchoring = false;
    await this.syslog?.close();
  }

  private loadOrCreateKey(): SigningKey {
    const file = this.deps.paths.keyFile;
    if (existsSync(file)) {
      if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
        this.deps.onWarning(`the audit anchor key ${file} is readable by other users; chmod 600 it`);
      }
      try {
        return signingKeyFromPem(readFileSync(file, 'utf8'));
      } catch (err) {
        throw new Error(`cannot read the audit anchor key ${file}: ${(err as Error).message}`);
      }
    }
    const { key, pem } = generateSigningKey();
    mkdirSync(dirname(file), { recursive: true });
    // 'wx': never replace a key another process just made.
    writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
    fsyncPath(file);
    fsyncPath(dirname(file));
    return key;
  }

  /**
   * Puts the key's public half in the public-key file (kept, with the anchors, in backups) and
   * records in the trail that anchors signed with it are to be expected from now on.
   */
  private async publishPublicKey(key: SigningKey): Promise<void> {
    const file = this.deps.paths.publicKeysFile;
    const known = existsSync(file) ? parsePublicKeys(readFileSync(file, 'utf8')).keys : new Map();
    if (known.has(key.id)) return;
    const now = this.deps.clock.now();
    appendDurably(file, `${publicKeyLine(key, now)}\n`);
    await this.deps.audit.record({
      action: 'config:change',
      username: 'system',
      objectType: ANCHOR_KEY_OBJECT_TYPE,
      objectId: key.id,
      result: 'success',
      reason: known.size ? 'anchor_key_added' : 'anchor_key_first',
      details: { publicKey: key.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'), anchors: this.deps.paths.anchorFile },
      at: now,
    });
  }

  /** Finds the last complete line; a line cut short by a crash is closed so the next one starts clean. */
  private readTail(): void {
    const file = this.deps.paths.anchorFile;
    if (!existsSync(file)) return;
    const fd = openSync(file, 'r');
    let text: string;
    let fromStart: boolean;
    try {
      const size = fstatSync(fd).size;
      const start = Math.max(0, size - TAIL_BYTES);
      const buf = Buffer.alloc(size - start);
      readSync(fd, buf, 0, buf.length, start);
      text = buf.toString('utf8');
      fromStart = start === 0;
    } finally {
      closeSync(fd);
    }
    if (!fromStart && text.indexOf('\n') === text.lastIndexOf('\n')) text = readFileSync(file, 'utf8');
    if (!text) return;
    const parts = text.split('\n');
    const fragment = parts.pop()!;
    if (fragment) {
      appendDurably(file, '\n');
      this.deps.onWarning(`the last line of ${file} was cut short (a crash while writing?); the next anchor links past it`);
    }
    this.lastLine = parts.length ? parts[parts.length - 1]! : null;
    try {
      const last = JSON.parse(this.lastLine ?? 'null') as Partial<Anchor> | null;
      this.lastHead = last && typeof last.seq === 'number' && typeof last.hash === 'string' ? { seq: last.seq, hash: last.hash } : null;
    } catch {
      this.lastHead = null;
    }
  }

  /** A trail behind or off its last anchor was changed while the server was down: say so loudly. */
  private async warnIfBehind(): Promise<void> {
    const anchored = this.lastHead;
    if (!anchored) return;
    const head = await this.deps.audit.head();
    if (anchored.seq > head.seq) {
      this.deps.onWarning(`the audit trail holds ${head.seq} records but its last anchor holds ${anchored.seq}: records #${head.seq + 1}–#${anchored.seq} are missing; run npm run audit:verify`);
    } else if (anchored.seq > 0 && (await this.deps.audit.hashAt(anchored.seq)) !== anchored.hash) {
      this.deps.onWarning(`record #${anchored.seq} of the audit trail no longer has its anchored hash; run npm run audit:verify`);
    }
  }
}

/** Appends with O_APPEND and syncs, so an anchor that was written survives a power cut. */
function appendDurably(file: string, text: string): void {
  const created = !existsSync(file);
  const fd = openSync(file, 'a', 0o644);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (created) fsyncPath(dirname(file));
}

/** Windows cannot open a folder for syncing; its renames and creations are journaled by NTFS. */
function fsyncPath(path: string): void {
  if (process.platform === 'win32' && statSync(path).isDirectory()) return;
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
