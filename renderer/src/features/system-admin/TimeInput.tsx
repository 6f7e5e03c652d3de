import { useState } from 'react';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * A 24-hour `hh:mm` field. The browser's time input follows the machine's locale (08:30 AM on
 * many), which a command centre running 24 hours must not read; this one always shows 17:30.
 * What is typed is kept until it is a valid time, then handed on; invalid text marks the field.
 */
export function TimeInput({ value, onChange, label, invalid, testId }: { value: string; onChange(v: string): void; label: string; invalid?: boolean; testId?: string }) {
  const [text, setText] = useState(value);
  const [shown, setShown] = useState(value);
  // the stored value changed from outside (discard, another row): show it
  if (value !== shown) {
    setShown(value);
    setText(value);
  }
  const bad = !HHMM.test(text);
  return (
    <input
      className="admin-input time-input"
      value={text}
      inputMode="numeric"
      maxLength={5}
      placeholder="08:30"
      aria-label={label}
      aria-invalid={bad || invalid ? true : undefined}
      onChange={(e) => {
        const next = e.target.value;
        setText(next);
        if (HHMM.test(next)) {
          setShown(next);
          onChange(next);
        }
      }}
      data-testid={testId}
    />
  );
}
