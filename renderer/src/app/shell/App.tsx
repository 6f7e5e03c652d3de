import { useEffect, useState, useSyncExternalStore } from 'react';
import type { SessionUser } from '../../../../shared/contracts/auth.js';
import { AuditViewer } from '../../features/audit/AuditViewer';
import { AccountScreen } from '../../features/session/AccountScreen';
import { LoginScreen } from '../../features/session/LoginScreen';
import { useServices } from '../services';
import { useActivityKeepAlive } from '../session/activity';
import { canUseMapConsole } from '../session/session';
import { ErrorPanel } from './ErrorPanel';
import { Shell } from './Shell';

/**
 * Confirms a token kept from before a reload and learns whose it is. A refusal ends it (the
 * API client reports the 401) and the login appears; an unreachable server is said plainly,
 * with a retry, before any county data is asked for.
 */
function RestoringSession({ token }: { token: string }) {
  const { api, session } = useServices();
  const [failure, setFailure] = useState<{ error: Error; attempt: number } | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let cancelled = false;
    api
      .get<SessionUser>('/auth/me')
      .then((user) => session.restore(token, user))
      .catch((err: unknown) => {
        if (!cancelled) setFailure({ error: err instanceof Error ? err : new Error(String(err)), attempt });
      });
    return () => {
      cancelled = true;
    };
  }, [api, session, token, attempt]);
  const shown = failure && failure.attempt === attempt ? failure.error : null;
  return (
    <div className="app-splash" aria-busy={shown ? undefined : true}>
      {shown && <ErrorPanel error={shown} onRetry={() => setAttempt((n) => n + 1)} />}
    </div>
  );
}

/**
 * What the console shows for who is (or was) signed in: the login, the map console, or a
 * plain screen for roles without a map view. When a session ends the console goes back to the
 * login, except on the wall, which keeps its frozen map behind it.
 */
export function App() {
  const { session } = useServices();
  const { active, ended, restoring } = useSyncExternalStore(session.subscribe, session.get, session.get);
  useActivityKeepAlive(active?.token ?? null);

  if (restoring) return <RestoringSession token={restoring} />;
  if (active?.mustChangePassword) return <AccountScreen user={active.user} kind="password-expired" />;
  if (active && !canUseMapConsole(active.user.roles)) {
    // The audit administrator's work is the audit trail, not the map.
    return active.user.roles.includes('auditor') ? <AuditViewer user={active.user} /> : <AccountScreen user={active.user} kind="no-map" />;
  }
  const shellUser = active?.user ?? (ended?.keepMap ? ended.user : null);
  return (
    <>
      {shellUser && <Shell key={shellUser.id} user={shellUser} token={active?.token ?? null} />}
      {!active && <LoginScreen ended={ended} overlay={shellUser !== null} />}
    </>
  );
}
