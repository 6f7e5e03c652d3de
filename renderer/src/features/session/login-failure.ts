import { ApiRequestError } from '../../app/api-client';

/** What the login form does after a refused or failed attempt. */
export interface LoginFailure {
  /** Shown under the form: the server's own words (locked until, wait a while), or ours. */
  message: string;
  /** The server wants the second factor: show the code field. */
  askTotp: boolean;
  /** Wrong or refused credentials: the password is typed again, never kept longer than needed. */
  clearPassword: boolean;
  focus: 'username' | 'password' | 'totp';
}

/**
 * Turns a failed `POST /auth/login` into what the form shows. `networkMessage` is used when no
 * answer came back (the server's message is in the request's language; ours follows the UI).
 */
export function describeLoginFailure(error: unknown, networkMessage: string): LoginFailure {
  if (!(error instanceof ApiRequestError) || error.code === 'network' || error.code === 'bad_response') {
    return { message: networkMessage, askTotp: false, clearPassword: false, focus: 'password' };
  }
  switch (error.code) {
    case 'totp_required':
    case 'totp_invalid':
      return { message: error.message, askTotp: true, clearPassword: false, focus: 'totp' };
    case 'invalid_credentials':
    case 'account_locked':
    case 'account_disabled':
    case 'role_conflict':
      return { message: error.message, askTotp: false, clearPassword: true, focus: 'password' };
    default:
      return { message: error.message, askTotp: false, clearPassword: false, focus: 'password' };
  }
}
