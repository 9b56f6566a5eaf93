/** The host form's labelled text field and check box, with their error and hint lines. */
import type { ReactNode } from 'react';

export function TextField(props: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  error: string | undefined;
  hint?: string | undefined;
  type?: string;
  testId: string;
  inputMode?: 'numeric';
  autoComplete?: string;
  wide?: boolean;
}) {
  const hintId = `${props.id}-hint`;
  const errId = `${props.id}-err`;
  const described = [props.error ? errId : '', props.hint ? hintId : ''].filter(Boolean).join(' ');
  return (
    <div className={`field ${props.wide ? 'wide' : ''}`}>
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        type={props.type ?? 'text'}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        aria-invalid={props.error ? true : undefined}
        {...(described ? { 'aria-describedby': described } : {})}
        {...(props.inputMode ? { inputMode: props.inputMode } : {})}
        autoComplete={props.autoComplete ?? 'off'}
        spellCheck={false}
        data-testid={props.testId}
      />
      {props.error && (
        <div id={errId} className="field-error" data-testid={`${props.testId}-error`}>
          {props.error}
        </div>
      )}
      {props.hint && (
        <div id={hintId} className="field-hint muted">
          {props.hint}
        </div>
      )}
    </div>
  );
}

export function Check(props: {
  label: ReactNode;
  checked: boolean;
  onChange: (v: boolean) => void;
  testId: string;
  disabled?: boolean;
}) {
  return (
    <label className="check">
      <input
        type="checkbox"
        checked={props.checked}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.target.checked)}
        data-testid={props.testId}
      />
      <span>{props.label}</span>
    </label>
  );
}
