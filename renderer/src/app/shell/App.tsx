import { useEffect, useState, useSyncExternalStore } from 'react';
import type { SessionUser } from '../../../../shared/contracts/auth.js';
import { useTranslation } from 'react-i18next';
import { AdminFrame } from '../../features/admin/AdminFrame';
import { AuditViewer } from '../../features/audit/AuditViewer';
import { CatalogApprovalScreen } from '../../features/catalog-approval/CatalogApprovalScreen';
import { AccountScreen } from '../../features/session/AccountScreen';
import { SystemAdminScreen } from '../../features/system-admin/SystemAdminScreen';
import { UsersScreen } from '../../features/users/UsersScreen';
import { LoginScreen } from '../../features/session/LoginScreen';
import { useServices } from '../services';
import { useActivityKeepAlive } from '../session/activity';
import { canUseMapConsole } from '../session/session';
import { ErrorPanel } from './ErrorPanel';
import { Shell } from './Shell';
import { WallShell } from './WallShell';
import { opensWall } from '../../features/wall/wall-route';
import { BriefingPage } from '../../features/briefing/BriefingPage';
import { resolveScreen } from '../../features/navigation/screens';
import { useLocation } from '../route';
import { FiguresRoute, isFigureScreen } from './FiguresRoute';
import { HotlineImportRoute } from './HotlineImportRoute';
import { WorkforceRoute } from './WorkforceRoute';

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
 * The screen of a role without the map: each administrator lands on their own work (三权分立:
 * one administrator role per account, so the first match is the only one), all in the same page
 * frame; a role with no screen here (an integration account) gets the plain account page.
 */
function AdminScreen({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  if (user.roles.includes('secadmin')) return <UsersScreen user={user} />;
  if (user.roles.includes('sysadmin')) return <SystemAdminScreen user={user} />;
  if (user.roles.includes('auditor')) {
    return (
      <AdminFrame user={user} title={t('audit.title')} screen="audit">
        <AuditViewer />
      </AdminFrame>
    );
  }
  if (user.roles.includes('catalog_approver')) return <CatalogApprovalScreen user={user} />;
  return <AccountScreen user={user} kind="no-map" />;
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
  const { screen, search } = useLocation();

  if (restoring) return <RestoringSession token={restoring} />;
  if (active?.mustChangePassword) return <AccountScreen user={active.user} kind="password-expired" />;
  if (active && !canUseMapConsole(active.user.roles)) return <AdminScreen key={active.user.id} user={active.user} />;
  // The screen asked for, or the role's home when it asks for none or one it may not open.
  const target = active ? resolveScreen(screen, active.user.roles) : null;
  if (active && target === 'briefing') return <BriefingPage key={active.user.id} />;
  if (active && isFigureScreen(target)) return <FiguresRoute key={active.user.id} screen={target} user={active.user} search={search} />;
  if (active && target === 'hotline-import') return <HotlineImportRoute key={active.user.id} user={active.user} />;
  if (active && target === 'workforce') return <WorkforceRoute key={active.user.id} user={active.user} search={search} />;
  const shellUser = active?.user ?? (ended?.keepMap ? ended.user : null);
  return (
    <>
      {shellUser &&
        (opensWall(shellUser.roles, window.location) ? (
          <WallShell key={shellUser.id} user={shellUser} token={active?.token ?? null} />
        ) : (
          <Shell key={shellUser.id} user={shellUser} token={active?.token ?? null} />
        ))}
      {!active && <LoginScreen ended={ended} overlay={shellUser !== null} />}
    </>
  );
}
