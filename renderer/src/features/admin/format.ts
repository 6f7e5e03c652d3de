import type { TFunction } from 'i18next';
import type { TimeLimit } from '../../../../shared/contracts/catalog.js';

/** Bytes as people read sizes on a server: 812 KB, 1.4 MB, 2.10 GB (1024-based, as `ls -h` and df). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = -1;
  do {
    value /= 1024;
    unit++;
  } while (value >= 1024 && unit < units.length - 1);
  return `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)} ${units[unit]}`;
}

/** A step limit as the catalog says it: `2 工作时`, `30 minutes`. */
export function formatLimit(t: TFunction, limit: TimeLimit): string {
  return `${limit.value} ${t(`limitUnit.${limit.unit}`)}`;
}
