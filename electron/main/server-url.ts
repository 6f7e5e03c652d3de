/** Where the console is served when nothing else is configured (the companion server's default). */
export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8600/';
export const SERVER_URL_ENV = 'GRIDCOMMAND_SERVER_URL';
const SERVER_URL_FLAG = '--server-url=';

export class InvalidServerUrlError extends Error {
  override readonly name = 'InvalidServerUrlError';
}

/**
 * Validates the console URL. Only http(s) is accepted: the window trusts exactly this origin
 * (navigation, IPC, CSP), so `file:`, `javascript:` or custom schemes must never become it.
 * Credentials are rejected because they would travel with every request and show up in logs.
 */
export function parseServerUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new InvalidServerUrlError(`server URL is not a valid URL: ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidServerUrlError(`server URL must be http or https, got ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new InvalidServerUrlError('server URL must not contain credentials');
  }
  return url;
}

/**
 * Picks the console URL: the last `--server-url=` argument wins over `GRIDCOMMAND_SERVER_URL`,
 * which wins over the default. An empty value counts as unset.
 */
export function resolveServerUrl(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): URL {
  const fromArgs = argv.findLast((arg) => arg.startsWith(SERVER_URL_FLAG))?.slice(SERVER_URL_FLAG.length);
  const raw = nonEmpty(fromArgs) ?? nonEmpty(env[SERVER_URL_ENV]) ?? DEFAULT_SERVER_URL;
  return parseServerUrl(raw);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
