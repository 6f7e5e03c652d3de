import type { z } from 'zod';
import type { ApiError, ApiErrorCode, ApiFieldError } from '../../../shared/contracts/errors.js';
import { type Lang, fieldMessage, t, type MessageKey } from './messages.js';

/** An error that maps to one HTTP status and the API's JSON error shape. */
export class ApiHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    readonly messageKey: MessageKey,
    readonly fields: Array<Omit<ApiFieldError, 'message'> & { params?: Record<string, unknown> }> = [],
    readonly params: Record<string, unknown> = {},
    /** Machine-readable facts added to `error`, e.g. `status` and `allowed` of an illegal transition. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(messageKey);
  }

  toBody(lang: Lang): ApiError {
    const body: ApiError = { error: { ...this.extra, code: this.code, message: t(lang, this.messageKey, this.params) } };
    if (this.fields.length > 0) {
      body.error.fields = this.fields.map((f) => ({ field: f.field, code: f.code, message: fieldMessage(lang, f.code, f.params ?? {}) }));
    }
    return body;
  }
}

/** Turns zod issues into per-field errors; codes are stable, messages localised later. */
export function zodFields(error: z.ZodError, prefix = ''): ApiHttpError['fields'] {
  return error.issues.flatMap((issue) => {
    const base = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: base ? `${base}.${key}` : key, code: 'unknown_field' }));
    }
    if (issue.code === 'invalid_union') {
      // location is { lon, lat } or { addressCode }: name the member that came closest.
      const nested = issue.errors.map((errs) => errs.map((e) => ({ ...e, path: [...issue.path, ...e.path] })));
      const best = nested.sort((a, b) => a.length - b.length)[0] ?? [];
      if (best.length > 0 && best.every((e) => e.code !== 'unrecognized_keys')) {
        return zodFields({ issues: best } as unknown as z.ZodError, prefix);
      }
      return [{ field: base || '(body)', code: 'invalid_location' }];
    }
    const code = issueCode(issue);
    const params: Record<string, unknown> = {};
    if (issue.code === 'too_small' || issue.code === 'too_big') {
      params.limit = 'minimum' in issue ? issue.minimum : 'maximum' in issue ? issue.maximum : undefined;
    }
    if (issue.code === 'invalid_value') params.allowed = issue.values.join(', ');
    return [{ field: base || '(body)', code, params }];
  });
}

function issueCode(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'required' : 'wrong_type';
    case 'too_small':
      return issue.origin === 'string' ? 'too_short' : 'too_small';
    case 'too_big':
      return issue.origin === 'string' ? 'too_long' : 'too_big';
    case 'invalid_value':
      return 'not_allowed';
    case 'invalid_format':
      return 'bad_format';
    case 'custom':
      // a contract's own rule names its field code (e.g. cleanText's `control_character`)
      return typeof issue.params?.code === 'string' ? issue.params.code : 'invalid';
    default:
      return 'invalid';
  }
}

/** Parses `data` with `schema` or throws a 400 naming each bad field. */
export function parseOr400<S extends z.ZodType>(schema: S, data: unknown, where: 'body' | 'query' | 'params'): z.infer<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const code = where === 'body' ? 'invalid_body' : where === 'query' ? 'invalid_query' : 'invalid_params';
  throw new ApiHttpError(400, code, `error.${code}`, zodFields(result.error));
}
