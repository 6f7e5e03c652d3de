import { rolesAllow, type LoginResponse, type Role, type SessionUser } from '../../../../shared/contracts/auth.js';
import type { TokenVault } from '../../platform/platform';
import { createStore, type Store } from '../store';

/** The signed-in session: the bearer token and whom it belongs to. Never the password. */
export interface ActiveSession {
  token: string;
  user: SessionUser;
  /** The password has expired: nothing but a password change is allowed. */
  mustChangePassword: boolean;
}

/**
 * Why a session ended: `signed_out` when the user logged out here; the server's
 * `session:ended` reasons; `unauthenticated` when a request or the socket was refused.
 */
export type SessionEndReason = 'signed_out' | 'logout' | 'disabled' | 'expired' | 'unauthenticated';

export interface EndedSession {
  reason: SessionEndReason;
  user: SessionUser;
  /** The wall keeps its (now frozen) map on screen behind the login instead of blanking. */
  keepMap: boolean;
}

export interface SessionState {
  active: ActiveSession | null;
  /** The session that ended last, until someone signs in again. */
  ended: EndedSession | null;
  /** A token kept from before a reload, not yet confirmed by the server (`GET /auth/me`). */
  restoring: string | null;
}

/** Whether the user's roles can work the map console (read events and the map). */
export function canUseMapConsole(roles: readonly Role[]): boolean {
  return rolesAllow(roles, 'events:read') && rolesAllow(roles, 'geo:read');
}

export function isWall(user: SessionUser): boolean {
  return user.roles.includes('wall');
}

/** The shape of the server's tokens; anything else read back from storage is ignored. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{20,200}$/;

export function isPlausibleToken(value: string | null): value is string {
  return value !== null && TOKEN_PATTERN.test(value);
}

/**
 * Who is signed in, observable by React and by the composition root. Ending is idempotent and
 * tied to a token, so a late refusal of an old token cannot end a newer session.
 */
export class SessionStore {
  private readonly store: Store<SessionState>;
  private readonly endedListeners = new Set<(ended: EndedSession) => void>();
  private readonly begunListeners = new Set<(session: ActiveSession, previousUserId: string | null) => void>();
  /** The user whose data the console last loaded, across a sign-out. */
  private lastUserId: string | null = null;
  /** The token whose session the user is signing out of: its end is no surprise. */
  private signingOut: string | null = null;

  constructor(
    private readonly vault: TokenVault,
    storedToken: string | null,
  ) {
    this.store = createStore<SessionState>({ active: null, ended: null, restoring: isPlausibleToken(storedToken) ? storedToken : null });
  }

  get = (): SessionState => this.store.get();
  subscribe = (listener: () => void): (() => void) => this.store.subscribe(listener);

  /** The token to send: the live session's, or the one being restored. */
  token = (): string | null => {
    const { active, restoring } = this.store.get();
    return active?.token ?? restoring;
  };

  /** Called once a session has ended, before anything renders without it. */
  onEnded(listener: (ended: EndedSession) => void): () => void {
    this.endedListeners.add(listener);
    return () => this.endedListeners.delete(listener);
  }

  /** Called when someone signs in, with the previous user (null on a fresh start). */
  onBegun(listener: (session: ActiveSession, previousUserId: string | null) => void): () => void {
    this.begunListeners.add(listener);
    return () => this.begunListeners.delete(listener);
  }

  begin(login: LoginResponse): void {
    this.start({ token: login.token, user: login.user, mustChangePassword: login.mustChangePassword });
    void this.vault.write(login.token);
  }

  /** The server confirmed the token kept from before the reload, and said whose it is. */
  restore(token: string, user: SessionUser): void {
    if (this.store.get().restoring !== token) return;
    this.start({ token, user, mustChangePassword: false });
  }

  private start(session: ActiveSession): void {
    const previous = this.lastUserId;
    this.lastUserId = session.user.id;
    for (const listener of this.begunListeners) listener(session, previous);
    this.store.set({ active: session, ended: null, restoring: null });
  }

  /**
   * The user asked to sign out. The server's `session:ended` push may beat the answer to the
   * logout request; either way the session then ends as `signed_out`.
   */
  expectSignOut(): void {
    this.signingOut = this.token();
  }

  /**
   * Ends the session, here and in storage. With `token`, only if that is still the current
   * session's token (a refusal of an older one changes nothing). A kept token the server
   * refuses is simply dropped: there was no session on screen to end.
   */
  end(reason: SessionEndReason, token?: string): void {
    const { active, restoring } = this.store.get();
    if (!active) {
      if (restoring && (token === undefined || token === restoring)) {
        void this.vault.clear();
        this.store.set({ active: null, ended: null, restoring: null });
      }
      return;
    }
    if (token !== undefined && token !== active.token) return;
    if (this.signingOut === active.token) reason = 'signed_out';
    this.signingOut = null;
    const ended: EndedSession = { reason, user: active.user, keepMap: isWall(active.user) && canUseMapConsole(active.user.roles) };
    void this.vault.clear();
    for (const listener of this.endedListeners) listener(ended);
    this.store.set({ active: null, ended, restoring: null });
  }

  /** The server's current view of the user (roles or scope may have changed since login). */
  updateUser(token: string, user: SessionUser): void {
    const { active } = this.store.get();
    if (!active || active.token !== token || JSON.stringify(active.user) === JSON.stringify(user)) return;
    this.store.set({ active: { ...active, user }, ended: null, restoring: null });
  }
}
