/**
 * The one JSON error shape of the REST API: `{ error: { code, message, fields? } }`.
 * `message` is in the request's language (Accept-Language: zh-CN by default, en on request).
 */
export interface ApiFieldError {
  /** Dotted path of the offending field, e.g. `location.lon`. */
  field: string;
  code: string;
  message: string;
}

export interface ApiError {
  error: {
    code: ApiErrorCode;
    message: string;
    fields?: ApiFieldError[];
  };
}

export type ApiErrorCode =
  | 'invalid_body'
  | 'invalid_query'
  | 'invalid_params'
  | 'outside_county'
  | 'unknown_address'
  | 'unknown_item'
  | 'not_found'
  | 'idempotency_conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'unauthenticated'
  | 'forbidden'
  | 'out_of_scope'
  | 'invalid_credentials'
  | 'account_locked'
  | 'account_disabled'
  | 'totp_required'
  | 'password_expired'
  | 'internal';
