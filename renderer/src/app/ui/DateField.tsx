import 'react-day-picker/style.css';
import './date-field.css';
import { useEffect, useId, useRef, useState } from 'react';
import { DayPicker } from 'react-day-picker';
import { enUS, zhCN } from 'react-day-picker/locale';
import { useTranslation } from 'react-i18next';
import { parseDay, toDay } from './date-field-value';

export interface DateFieldProps {
  id?: string;
  /** A plain day, `YYYY-MM-DD`, or '' for none. */
  value: string;
  onChange(value: string): void;
  /** Marks the field wrong from outside (e.g. a range whose end comes before its start). */
  invalid?: boolean;
  describedBy?: string;
  testId?: string;
}

/**
 * A day, typed as `YYYY-MM-DD` or picked from a calendar in the UI's language. The browser's own
 * date input follows the operating system's locale, not the console's: on a Chinese desk in
 * English mode it would still say 年/月/日, and its format differs from machine to machine.
 * Typing is kept (dispatchers type faster than they click); the calendar (Alt+↓ or the button)
 * speaks the UI language, opens on the chosen day, and closes on Esc or a click outside.
 */
export function DateField({ id, value, onChange, invalid, describedBy, testId }: DateFieldProps) {
  const { t, i18n } = useTranslation();
  const ownId = useId();
  const inputId = id ?? ownId;
  const problemId = useId();
  const [text, setText] = useState(value);
  const [open, setOpen] = useState(false);
  const [wrong, setWrong] = useState(false);
  const box = useRef<HTMLDivElement>(null);

  // The value set from outside (reset, a shortcut) replaces what was typed.
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    setShown(value);
    setText(value);
    setWrong(false);
  }

  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, [open]);

  const commit = (raw: string) => {
    const trimmed = raw.trim();
    if (trimmed === '') {
      setWrong(false);
      if (value !== '') onChange('');
      return;
    }
    const day = parseDay(trimmed);
    setWrong(day === null);
    if (day !== null && toDay(day) !== value) onChange(toDay(day));
  };

  const selected = parseDay(value) ?? undefined;
  const showProblem = wrong;
  return (
    <div
      className="date-field"
      ref={box}
      data-testid={testId}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          setOpen(false);
        }
      }}
    >
      <div className="date-field-row">
        <input
          id={inputId}
          type="text"
          inputMode="numeric"
          autoComplete="off"
          spellCheck={false}
          placeholder={t('dateField.placeholder')}
          value={text}
          maxLength={10}
          aria-invalid={invalid || showProblem || undefined}
          aria-describedby={[describedBy, showProblem ? problemId : undefined].filter(Boolean).join(' ') || undefined}
          onChange={(e) => {
            setText(e.target.value);
            // a complete day applies at once; anything else waits for the field to be left
            if (/^\d{4}-\d{2}-\d{2}$/.test(e.target.value.trim())) commit(e.target.value);
          }}
          onBlur={(e) => commit(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' && e.altKey) {
              e.preventDefault();
              setOpen(true);
            } else if (e.key === 'Enter') {
              commit(text);
            }
          }}
        />
        <button type="button" className="date-field-button" aria-label={t('dateField.pick')} title={t('dateField.pick')} aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <rect x="1.5" y="2.5" width="13" height="12" rx="1.5" fill="none" stroke="currentColor" />
            <path d="M1.5 6h13M5 1v3M11 1v3" stroke="currentColor" />
          </svg>
        </button>
      </div>
      {showProblem && (
        <span id={problemId} className="date-field-problem" role="alert">
          {t('dateField.invalid')}
        </span>
      )}
      {open && (
        <div className="date-field-popover" role="dialog" aria-label={t('dateField.pick')} data-testid={testId ? `${testId}-calendar` : undefined}>
          <DayPicker
            mode="single"
            locale={i18n.language.startsWith('en') ? enUS : zhCN}
            selected={selected}
            defaultMonth={selected}
            autoFocus
            onSelect={(day) => {
              if (!day) return;
              const next = toDay(day);
              setText(next);
              setWrong(false);
              onChange(next);
              setOpen(false);
            }}
          />
        </div>
      )}
    </div>
  );
}
