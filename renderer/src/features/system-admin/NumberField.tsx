import { useId } from 'react';

/**
 * A whole-number setting with its unit and limits. The typed text is kept as typed (an empty
 * field while retyping is not turned into 0); `onChange` gets the number, or NaN when it is not one.
 */
export function NumberField({
  label,
  unit,
  value,
  min,
  max,
  step = 1,
  hint,
  error,
  onChange,
  testId,
}: {
  label: string;
  unit: string;
  value: number;
  min: number;
  max: number;
  step?: number;
  hint?: string;
  error?: string;
  onChange(n: number): void;
  testId?: string;
}) {
  const id = useId();
  return (
    <div className="admin-field">
      <label htmlFor={id}>{label}</label>
      <span className="admin-form-row number-with-unit">
        <input
          id={id}
          className="admin-input"
          type="number"
          inputMode="numeric"
          min={min}
          max={max}
          step={step}
          value={Number.isNaN(value) ? '' : value}
          onChange={(e) => onChange(e.target.value === '' ? Number.NaN : Number(e.target.value))}
          aria-invalid={error ? true : undefined}
          data-testid={testId}
        />
        <span className="muted">{unit}</span>
      </span>
      {error ? <p className="admin-field-error">{error}</p> : hint && <p className="admin-hint">{hint}</p>}
    </div>
  );
}
