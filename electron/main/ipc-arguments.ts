/**
 * The one place that says what each IPC call may carry. Main checks every call against these
 * before a handler runs: the renderer is web content, so its arguments are untrusted input.
 */
import { z } from 'zod';
import { PDF_FILE_NAME_MAX_LENGTH, SESSION_TOKEN_MAX_LENGTH, type IpcMethod, type PreloadApi } from '../../shared/contracts/ipc.js';

/** A bearer token as the server issues it: base64url, so nothing that could be a path or markup. */
export const sessionTokenSchema = z
  .string()
  .min(1)
  .max(SESSION_TOKEN_MAX_LENGTH)
  .regex(/^[A-Za-z0-9_-]+$/);

/**
 * A file name offered in the save dialog: a name, not a path (no separators, not hidden, no
 * control or reserved characters), ending in `.pdf`. The user still picks the folder.
 */
export const pdfFileNameSchema = z
  .string()
  .min(5)
  .max(PDF_FILE_NAME_MAX_LENGTH)
  .regex(/^(?!\.)[^/\\:*?"<>|\p{Cc}]+\.pdf$/iu);

/**
 * Argument tuples per method, typed against `PreloadApi`: a method added there without a schema
 * here (or a schema whose output differs from its parameters) does not compile. Tuples without a
 * rest element, so extra arguments are refused too.
 */
export const IPC_ARGUMENTS: { readonly [M in IpcMethod]: z.ZodType<Parameters<PreloadApi[M]>> } = {
  getServerUrl: z.tuple([]),
  getVersion: z.tuple([]),
  storeToken: z.tuple([sessionTokenSchema]),
  loadToken: z.tuple([]),
  clearToken: z.tuple([]),
  saveBriefingPdf: z.tuple([pdfFileNameSchema]),
};

export type IpcArgumentsResult<M extends IpcMethod> =
  | { ok: true; args: Parameters<PreloadApi[M]> }
  | { ok: false; problem: string };

/**
 * Checks one call's arguments. The problem text names positions and issue codes only, never the
 * values: a refused argument may be a token, and the text ends up in logs and in the renderer.
 */
export function parseIpcArguments<M extends IpcMethod>(method: M, args: unknown): IpcArgumentsResult<M> {
  const schema: z.ZodType<Parameters<PreloadApi[M]>> = IPC_ARGUMENTS[method];
  const result = schema.safeParse(args);
  if (result.success) return { ok: true, args: result.data };
  const problem = result.error.issues
    .map((issue) => `${issue.path.length > 0 ? `argument ${issue.path.join('.')}` : 'arguments'}: ${issue.code}`)
    .join('; ');
  return { ok: false, problem };
}
