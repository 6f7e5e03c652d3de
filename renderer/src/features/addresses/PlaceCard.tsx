import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { AddressContact, AddressHit } from '../../../../shared/contracts/addresses.js';
import type { EventRecord } from '../../../../shared/contracts/events.js';
import { useServices } from '../../app/services';
import { formatWhen } from '../../app/time-format';
import { useNow } from '../../app/use-now';
import { useItemNames } from '../catalog/use-item-names';
import { UrgencyChip } from '../events-queue/UrgencyChip';
import { TeamStatusChip } from '../teams/TeamMark';
import { addressDetailQuery } from './queries';
import './place-card.css';

export interface PlaceCardProps {
  /** The address chosen in the search box: shown at once, the rest when the card's answer comes. */
  address: AddressHit;
  onClose(): void;
  /** Opens a case of the address like a queue row. */
  onOpenCase(event: EventRecord): void;
}

/** The grid's workers, then the 5包1 five: one line each, the role first (who to call for what). */
function Contacts({ contacts }: { contacts: readonly AddressContact[] }) {
  const { t } = useTranslation();
  return (
    <ul className="place-list" data-testid="place-roster">
      {contacts.map((c, i) => (
        <li key={`${c.role}:${i}`} className="place-row" data-role={c.role}>
          <span className="place-role">{t(`rosterRole.${c.role}`)}</span>
          <span className="place-name">{c.name}</span>
          <span className="place-phone mono">{c.phone}</span>
        </li>
      ))}
    </ul>
  );
}

/**
 * The place card (门牌信息卡): a household's unified address with the micro-grid, grid, village and
 * town it lies in, the people and teams who serve it, and its open cases. It sits over the map's
 * corner, beside the pin the map flew to; Esc (the console's Esc, first of all it closes) or the
 * close button shuts it. Focus moves into it when it opens, so Tab walks its cases.
 */
export function PlaceCard({ address, onClose, onOpenCase }: PlaceCardProps) {
  const { t } = useTranslation();
  const { api } = useServices();
  const { name: itemName } = useItemNames();
  const now = useNow(60_000);
  const detail = useQuery(addressDetailQuery(api, address.code));
  const cardRef = useRef<HTMLElement>(null);
  useEffect(() => {
    cardRef.current?.focus({ preventScroll: true });
  }, [address.code]);

  const d = detail.data;
  const names = d?.names;
  return (
    <aside ref={cardRef} className="place-card" tabIndex={-1} aria-label={t('addresses.card')} data-testid="place-card" data-code={address.code} data-ready={d ? true : undefined}>
      <header className="place-head">
        <span className="place-kind">{t('addresses.kind')}</span>
        <button type="button" className="icon-button place-close" onClick={onClose} aria-label={t('addresses.close')} title={`${t('addresses.close')} (Esc)`} data-testid="place-close">
          ✕
        </button>
      </header>
      <h2 className="place-address" data-testid="place-address">
        {address.address}
      </h2>
      <p className="place-code mono">{address.code}</p>

      {detail.isError && (
        <p className="place-problem" role="alert">
          {t('addresses.failed', { message: detail.error.message })}
        </p>
      )}
      {!d && !detail.isError && <p className="muted">{t('addresses.loading')}</p>}

      {names && (
        <dl className="place-regions" data-testid="place-regions">
          <dt>{t('addresses.town')}</dt>
          <dd>{names.town}</dd>
          <dt>{t('addresses.village')}</dt>
          <dd>{names.village}</dd>
          <dt>{t('addresses.grid')}</dt>
          <dd>{names.grid}</dd>
          <dt>{t('addresses.microGrid')}</dt>
          <dd>{names.microGrid}</dd>
        </dl>
      )}

      {d && (
        <>
          <section className="place-section" aria-label={t('addresses.openCases')}>
            <h3>
              {t('addresses.openCases')}
              <span className="place-count" data-open={d.openCases.length}>
                {d.moreOpenCases ? `${d.openCases.length}+` : d.openCases.length}
              </span>
            </h3>
            {d.openCases.length === 0 ? (
              <p className="muted">{t('addresses.noOpenCases')}</p>
            ) : (
              <ul className="place-list" data-testid="place-cases">
                {d.openCases.map((c) => (
                  <li key={c.id}>
                    <button type="button" className="place-case" onClick={() => onOpenCase(c)} data-id={c.id}>
                      <UrgencyChip urgency={c.urgency} />
                      <span className="place-case-item">{itemName(c)}</span>
                      <span className="case-state-chip" data-status={c.status}>
                        {t(`status.${c.status}`)}
                      </span>
                      <span className="place-when">{formatWhen(c.reportedAt, now)}</span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section className="place-section" aria-label={t('addresses.roster')}>
            <h3>{t('addresses.roster')}</h3>
            {d.roster.length === 0 ? <p className="muted">{t('addresses.noRoster')}</p> : <Contacts contacts={d.roster} />}
          </section>

          <section className="place-section" aria-label={t('addresses.teams')}>
            <h3>{t('addresses.teams')}</h3>
            <ul className="place-list" data-testid="place-teams">
              {d.teams.map((team) => (
                <li key={team.id} className="place-row place-team">
                  <TeamStatusChip status={team.status} withWord={false} />
                  <span className="place-name">{team.name}</span>
                  <span className="place-role">{t(`teamType.${team.type}`)}</span>
                  <span className="place-phone">
                    {team.leader.name} <span className="mono">{team.leader.phone}</span>
                  </span>
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
    </aside>
  );
}
