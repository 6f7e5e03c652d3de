/**
 * Photos waiting in the outbox, kept as blobs in IndexedDB (localStorage holds only text and
 * a few MB). Plain IndexedDB, one object store; where it is unavailable (private mode), photos
 * are held in memory for this page's life.
 */
export interface PhotoStore {
  put(key: string, blob: Blob): Promise<void>;
  get(key: string): Promise<Blob | null>;
  delete(key: string): Promise<void>;
}

const DB_NAME = 'gridcommand-field';
const STORE = 'photos';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function memoryStore(): PhotoStore {
  const blobs = new Map<string, Blob>();
  return {
    put: async (key, blob) => void blobs.set(key, blob),
    get: async (key) => blobs.get(key) ?? null,
    delete: async (key) => void blobs.delete(key),
  };
}

export function openPhotoStore(): PhotoStore {
  if (typeof indexedDB === 'undefined') return memoryStore();
  const fallback = memoryStore();
  const db: Promise<IDBDatabase | null> = new Promise((resolve) => {
    try {
      const open = indexedDB.open(DB_NAME, 1);
      open.onupgradeneeded = () => open.result.createObjectStore(STORE);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => resolve(null);
    } catch {
      resolve(null);
    }
  });
  const tx = async <T>(mode: IDBTransactionMode, fn: (store: IDBObjectStore) => IDBRequest<T>): Promise<T | undefined> => {
    const handle = await db;
    if (!handle) return undefined;
    return request(fn(handle.transaction(STORE, mode).objectStore(STORE)));
  };
  return {
    async put(key, blob) {
      if (!(await db)) return fallback.put(key, blob);
      await tx('readwrite', (s) => s.put(blob, key));
    },
    async get(key) {
      if (!(await db)) return fallback.get(key);
      const value = await tx('readonly', (s) => s.get(key) as IDBRequest<Blob | undefined>);
      return value ?? null;
    },
    async delete(key) {
      if (!(await db)) return fallback.delete(key);
      await tx('readwrite', (s) => s.delete(key));
    },
  };
}
