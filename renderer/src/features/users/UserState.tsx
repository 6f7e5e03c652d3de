import { useTranslation } from 'react-i18next';
import type { UserSummary } from '../../../../shared/contracts/auth.js';

/** An account's state in words and a shape: active, disabled, locked, or suspended for breaking the rules. */
export function UserState({ user, now }: { user: UserSummary; now: number }) {
  const { t } = useTranslation();
  const locked = user.lockedUntil !== null && Date.parse(user.lockedUntil) > now;
  return (
    <span className="admin-chips" data-testid="user-state">
      {user.disabled ? (
        <span className="admin-chip" data-tone="bad" data-state="disabled">
          ⊘ {t('admin.users.state.disabled')}
        </span>
      ) : locked ? (
        <span className="admin-chip" data-tone="warn" data-state="locked">
          🔒 {t('admin.users.state.locked')}
        </span>
      ) : user.problem ? null : (
        // an account that breaks the rules cannot be used: it is not shown as active
        <span className="admin-chip" data-tone="ok" data-state="active">
          ● {t('admin.users.state.active')}
        </span>
      )}
      {user.problem && (
        <span className="admin-chip" data-tone="bad" data-state="problem">
          ⚠ {t('admin.users.state.problem')}
        </span>
      )}
    </span>
  );
}
