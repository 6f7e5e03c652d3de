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
    /** Extra facts of some errors, e.g. `status` and `allowed` for `illegal_transition`. */
    [extra: string]: unknown;
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
  | 'request_timeout' // the request (headers and body) did not arrive within the server's request timeout (408)
  | 'bad_request' // not valid HTTP (400), or headers too large (431)
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
  | 'totp_invalid' // the right password, a wrong one-time code (401)
  // administration (三权分立, least privilege)
  | 'role_conflict' // roles that one account may not hold together, or an account that holds them (403, with `conflict`)
  | 'admin_role_host_only' // administrator accounts are made and changed only with `npm run admin` (403)
  | 'own_account' // nobody changes their own roles, scope or state (403)
  | 'builtin_account' // a built-in account (the public channel's) is never enabled, re-roled, enrolled or keyed (403)
  | 'team_required' // a field worker must belong to a team (403)
  | 'not_integration' // API keys are for integration accounts only (403)
  // closed loop
  | 'illegal_transition' // the case's state does not allow the action (409, with `status` and `allowed`)
  | 'separation_of_duties' // the same person may not report, handle and verify (403)
  | 'not_your_team' // a field worker acting on another team's case (403)
  | 'unknown_team' // dispatch to a team that does not exist (422)
  | 'team_ineligible' // dispatch to a team the ranking marks ineligible: without `override.reason`, or a rule no reason lifts (422, with `ineligible` and `overridable`)
  | 'merge_target_invalid' // merge into itself, a closed or merged case, or another item (422)
  | 'self_handle_not_allowed' // the item may not be handled on the spot (422)
  // 市级交办 (assignments)
  | 'unknown_county' // the county to assign to is not a county of this platform (422)
  | 'not_city_scope' // the caller's scope does not hold the county's city (403)
  | 'no_city_level' // a county server: no city to assign from (409)
  // a county server forwarding its cases to the city's (modules/forwarding)
  | 'not_forward_scope' // the key's scope is not exactly one county of this platform (403)
  | 'forward_gap' // the batch does not continue right after the city's cursor (409, with `lastSeq`)
  | 'forwarded_case' // a case forwarded from a county's server is handled there, not on the city's (409, with `county`, `countyEventId`)
  | 'catalog_version_state' // approve or reject a version that is not a draft (409)
  | 'catalog_own_draft' // the author of a draft may not approve it (403)
  // photos
  | 'invalid_image' // the bytes are not a readable image of the declared type (400)
  | 'unknown_attachment' // an action references an attachment that is not stored or not the actor's to use (422)
  // teams and alerts
  | 'alert_already_acked' // the alert was acknowledged before (409, with `acked`: who and when)
  | 'alert_cleared' // the alert's cause ended before it was acknowledged (409, with `cleared`: when and why)
  // channel adapters (多网合一)
  | 'channel_mismatch' // an API key bound to another intake channel, or none (403, with `channel` and `keyChannel`)
  | 'unmapped_alert_type' // a video alert type the mapping table does not know (422)
  | 'low_confidence' // a video alert below its type's confidence floor (422, with `floor`)
  | 'triage_decided' // a triage item already resolved or dismissed (409, with `status`)
  // the assessment (德能勤绩, modules/assessment)
  | 'assessment_state' // the period's state does not allow it: closed, not over yet, overlapping, proposal already made or decided (409)
  // grid workers' training (modules/training)
  | 'training_invalid' // a training body naming an unknown course or session, a worker unknown, left, outside the session's town or the caller's scope, or hours over the session's (422, per-row fields)
  // data import (modules/imports)
  | 'import_unreadable' // the file is not GeoJSON, a zipped Shapefile, CSV or XLSX, or a mapped field is not in it (422, with `reason`, `fields`)
  | 'import_refused' // the validation found problems: nothing written (409, with `problems`)
  | 'import_stale' // the database changed since the validation: validate again (409)
  | 'import_not_ready' // the job is still validating, or was written or refused already (409, with `state`)
  | 'import_busy' // validations already running; try again in a moment (429)
  // grid workforce (modules/workforce)
  | 'no_worker_record' // no grid worker's record is linked to the caller's account (404)
  | 'worker_change_invalid' // a worker change that breaks a rule of the record (422, with `fields`)
  | 'internal';
