import { z } from 'zod';
import { addressCodeSchema, crsSchema, eventIdSchema, reporterPhoneSchema } from './events.js';
import { cleanText } from './text.js';

/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2/) as GridCommand speaks it under
 * `/open311/v2/`, with the mySociety `servicerequestupdates` extension. Field names are the
 * spec's (snake_case); ids are strings; every list is a bare array in JSON and the spec's
 * elements in XML. Unknown parameters are ignored, as Open311 clients send extras
 * (jurisdiction_id, title…).
 */

/** The longest window `GET requests` and `GET servicerequestupdates` read, and their default. */
export const OPEN311_MAX_WINDOW_DAYS = 90;
/** The most rows one `GET requests` (or updates) answers. */
export const OPEN311_MAX_ROWS = 1000;

/** A number as a form sends it (a string) or JSON does; an empty field is absent. */
const formNumber = (min: number, max: number) =>
  z.preprocess((v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : Number(v.trim())) : v), z.number().finite().min(min).max(max).optional());

/** An optional form field: an empty string is as good as absent. */
const optional = <S extends z.ZodType>(schema: S) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** Attribute codes (`attribute[CODE]`), as GridCommand defines them in service definitions. */
export const OPEN311_ATTRIBUTE_CODE = /^[a-z][a-z0-9_]{0,31}$/;

/**
 * Body of `POST /open311/v2/requests.{json|xml}` (form-urlencoded or JSON). A location is one of:
 * `lat` + `long` (WGS84; the extension `crs` = `gcj02` or `bd09` for a phone map's point),
 * `address_id` (a unified address code), `address_string` (resolved by the unified address
 * search). `attribute[CODE]` arrives as `attribute: { CODE: value }`.
 */
export const open311PostSchema = z.object({
  api_key: optional(z.string().max(256)),
  service_code: z.string().trim().min(1).max(32),
  description: cleanText({ max: 4000, multiline: true }),
  lat: formNumber(-90, 90),
  long: formNumber(-180, 180),
  crs: optional(crsSchema),
  address_string: optional(cleanText({ max: 200 })),
  address_id: optional(addressCodeSchema),
  email: optional(z.email().max(254)),
  device_id: optional(cleanText({ max: 128 })),
  account_id: optional(cleanText({ max: 128 })),
  first_name: optional(cleanText({ max: 32 })),
  last_name: optional(cleanText({ max: 32 })),
  phone: optional(reporterPhoneSchema),
  media_url: optional(z.url({ protocol: /^https?$/ }).max(2048)),
  attribute: z.record(z.string().regex(OPEN311_ATTRIBUTE_CODE), z.union([z.string().max(200), z.array(z.string().max(200)).max(20)])).optional(),
});
export type Open311Post = z.infer<typeof open311PostSchema>;

/** A comma-separated list in a query parameter. */
const csv = <S extends z.ZodType<unknown, string>>(item: S, max: number) =>
  z
    .string()
    .transform((s) => s.split(',').map((v) => v.trim()).filter(Boolean))
    .pipe(z.array(item).min(1).max(max));

/** An Open311 date parameter: W3C date-time with a zone (`2026-12-03T08:00:00+08:00`, `…Z`). */
const w3cDate = z.iso.datetime({ offset: true });

/** Query of `GET /open311/v2/requests.{json|xml}`. With `service_request_id`, the other filters are ignored (as the spec says). */
export const open311RequestsQuerySchema = z.object({
  service_request_id: optional(csv(eventIdSchema, 100)),
  service_code: optional(csv(z.string().regex(/^[A-Z][0-9A-Z]{1,15}$/), 100)),
  start_date: optional(w3cDate),
  end_date: optional(w3cDate),
  status: optional(csv(z.enum(['open', 'closed']), 2)),
});
export type Open311RequestsQuery = z.infer<typeof open311RequestsQuerySchema>;

/** Query of `GET /open311/v2/servicerequestupdates.{json|xml}` (mySociety extension). */
export const open311UpdatesQuerySchema = z.object({ start_date: optional(w3cDate), end_date: optional(w3cDate) });

/** `GET services`: one per active catalog item. */
export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  /** True when the service definition has attributes to fill in. */
  metadata: boolean;
  type: 'realtime';
  /** Comma-separated. */
  keywords: string | null;
  /** The catalog category's name. */
  group: string;
}

export interface Open311AttributeValue {
  key: string;
  name: string;
}

export interface Open311Attribute {
  variable: boolean;
  code: string;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  required: boolean;
  datatype_description: string | null;
  order: number;
  description: string;
  values?: Open311AttributeValue[];
}

/** `GET services/{code}`. */
export interface Open311ServiceDefinition {
  service_code: string;
  attributes: Open311Attribute[];
}

/** One service request as `GET requests` and `GET requests/{id}` show it to the public. */
export interface Open311Request {
  service_request_id: string;
  status: 'open' | 'closed';
  /** The last public step in words (and the result of a closed request). */
  status_notes: string | null;
  service_name: string;
  service_code: string;
  /** The reporter's words with numbers and names of people removed. */
  description: string;
  /** The responsible department, or the body a matter not admitted was referred to; never a person. */
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  /** For a closed request, when it was closed. */
  updated_datetime: string;
  /** The closing deadline (应结案时间). */
  expected_datetime: string | null;
  address: string;
  address_id: string | null;
  zipcode: null;
  lat: number;
  long: number;
  media_url: string | null;
}

/** An answer of `POST requests`. */
export interface Open311Created {
  service_request_id: string;
  token: string;
  service_notice: string;
  account_id: string | null;
}

/** An answer of `GET tokens/{token}`. */
export interface Open311TokenAnswer {
  service_request_id: string;
  token: string;
}

/** One step of the loop as the mySociety `servicerequestupdates` extension carries it. */
export interface Open311Update {
  update_id: string;
  service_request_id: string;
  status: 'open' | 'closed';
  updated_datetime: string;
  /** Public wording: no staff names, no personal data. */
  description: string;
  media_url: string | null;
}

/** An Open311 error: `code` is the HTTP status, `description` in the request's language. */
export interface Open311Error {
  code: number;
  description: string;
}

/** `GET discovery`. */
export interface Open311Discovery {
  changeset: string;
  contact: string;
  key_service: string;
  endpoints: { specification: string; url: string; changeset: string; type: 'production' | 'test'; formats: string[] }[];
}
