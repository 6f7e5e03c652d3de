import type { TFunction } from 'i18next';
import { ApiRequestError } from '../../app/api-client';

/** A refused or failed request as the administrator reads it: the server's reason and each bad field. */
export interface Problem {
  /** The server's own words (in the UI language: every request carries it), or ours when none came back. */
  message: string;
  /** The server's error code, e.g. `own_account`, `catalog_own_draft`; `network` when nothing came back. */
  code: string;
  /** Field path (`password`, `shifts.0.end`) → what is wrong with it. */
  fields: ReadonlyMap<string, string>;
}

/** Turns whatever a request threw into a Problem; a field listed twice keeps both reasons. */
export function problemOf(err: unknown, t: TFunction): Problem {
  if (err instanceof ApiRequestError) {
    const fields = new Map<string, string>();
    for (const f of err.fields) fields.set(f.field, fields.has(f.field) ? `${fields.get(f.field)}；${f.message}` : f.message);
    if (err.code === 'network') return { message: t('admin.common.network'), code: 'network', fields };
    return { message: err.message, code: err.code, fields };
  }
  return { message: err instanceof Error ? err.message : String(err), code: 'unknown', fields: new Map() };
}

/** A field's server problem, also when the server named a parent (`calendar`) or a child (`shifts.0.end`). */
export function fieldProblem(problem: Problem | null, field: string): string | undefined {
  if (!problem) return undefined;
  const direct = problem.fields.get(field);
  if (direct) return direct;
  for (const [path, message] of problem.fields) if (path.startsWith(`${field}.`)) return message;
  return undefined;
}
