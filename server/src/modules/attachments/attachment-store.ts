import { randomBytes } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Files on disk, content-addressed: `<root>/<sha256[0:2]>/<sha256>`. A path is only ever
 * built from a checked hex hash, so nothing a client sends (such as a file name) reaches the
 * file system. A write goes to a temporary file in the same folder, is flushed to disk and
 * renamed into place (atomic), then the folder is flushed; the same content twice is stored
 * once.
 */
export class AttachmentStore {
  constructor(readonly root: string) {}

  pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error(`not a sha256: ${sha256.slice(0, 80)}`);
    return join(this.root, sha256.slice(0, 2), sha256);
  }

  /** Stores `bytes` under `sha256` (their hash, computed by the caller) unless already there. */
  async put(sha256: string, bytes: Buffer): Promise<void> {
    const path = this.pathOf(sha256);
    const existing = await stat(path).catch(() => null);
    if (existing?.isFile() && existing.size === bytes.length) return;
    const dir = join(this.root, sha256.slice(0, 2));
    await mkdir(dir, { recursive: true });
    const temp = join(dir, `.${sha256}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      const file = await open(temp, 'wx', 0o640);
      try {
        await file.writeFile(bytes);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temp, path);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
    // the rename itself survives a power loss only once the folder is flushed
    const folder = await open(dir, 'r');
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  }

  /** A stream of the stored file, or null when it is missing. */
  async read(sha256: string): Promise<{ stream: ReadStream; size: number } | null> {
    const path = this.pathOf(sha256);
    const s = await stat(path).catch(() => null);
    if (!s?.isFile()) return null;
    return { stream: createReadStream(path), size: s.size };
  }
}
