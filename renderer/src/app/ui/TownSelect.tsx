import { useId } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The town filter of the workforce panels: the user's towns and "all"; shown only when there is
 * more than one to choose from. `className`: the field's layout (a period bar's by default, or a
 * filter row's `admin-field`).
 */
export function TownSelect({
  towns,
  value,
  onChange,
  testId,
  className = 'period-bar-field',
  label,
}: {
  towns: ReadonlyArray<{ id: string; name: string }>;
  value: string;
  onChange(town: string): void;
  testId?: string;
  className?: string;
  /** The field's label (the filters' 乡镇 by default). */
  label?: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  if (towns.length <= 1) return null;
  return (
    <span className={className}>
      <label htmlFor={id}>{label ?? t('workforce.filters.town')}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        <option value="">{t('workforce.filters.allTowns')}</option>
        {towns.map((x) => (
          <option key={x.id} value={x.id}>
            {x.name}
          </option>
        ))}
      </select>
    </span>
  );
}
