import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useServices } from '../../app/services';
import { usersQuery } from './queries';

/**
 * The security administrator's check of the separation rules (三权分立): accounts that hold two
 * administrator roles, an administrator role beside an operational one, a device role beside
 * another, or a field worker without a team. Such an account cannot be used until it is mended
 * on the server (`npm run admin -- set-roles`); this panel says which, so nobody has to look.
 */
export function AccountChecks() {
  const { t } = useTranslation();
  const { api } = useServices();
  const users = useQuery(usersQuery(api));
  if (users.isPending) return <p className="account-checks muted">{t('accountChecks.loading')}</p>;
  if (users.isError) return <p className="account-checks account-checks-error" role="alert">{t('accountChecks.failed')}</p>;
  const { problems, items } = users.data;
  if (problems.length === 0) {
    return (
      <p className="account-checks account-checks-ok" data-testid="account-checks-ok">
        ✓ {t('accountChecks.allGood', { count: items.length })}
      </p>
    );
  }
  return (
    <section className="account-checks account-checks-bad" role="alert" data-testid="account-checks-problems">
      <h2>⚠ {t('accountChecks.title', { count: problems.length })}</h2>
      <ul>
        {problems.map((p) => (
          <li key={p.userId}>
            <span className="mono">{p.username}</span> — {p.roles.map((r) => t(`roles.${r}`)).join(' + ')}: {t(`accountChecks.problem.${p.problem}`)}
          </li>
        ))}
      </ul>
      <p className="account-checks-fix">{t('accountChecks.fix')}</p>
    </section>
  );
}
