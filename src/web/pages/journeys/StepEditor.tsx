// One step of a designed journey in the editor: name, matching rule, owner, success measure and target time to
// the next step, with the API's messages for those fields; buttons move it up or down and remove it.
import type { ReactNode } from 'react';
import { errorsAt, type FieldError, type StepDraft, type Unit } from './journey-draft';

export function FieldMessages({
  errors,
  path,
  exact = false,
}: {
  errors: readonly FieldError[];
  path: string;
  exact?: boolean;
}) {
  const reasons = exact ? errors.filter((e) => e.field === path).map((e) => e.reason) : errorsAt(errors, path);
  if (reasons.length === 0) return null;
  return (
    <div className="field-error" role="alert" data-testid="field-error" data-field={path}>
      {reasons.join('; ')}
    </div>
  );
}

export function Field({
  label,
  hint,
  children,
  errors,
  path,
}: {
  label: string;
  hint?: string;
  children: ReactNode;
  errors: readonly FieldError[];
  path: string;
}) {
  const invalid = errorsAt(errors, path).length > 0;
  return (
    <label className={`editor-field${invalid ? ' editor-field-invalid' : ''}`}>
      <span className="editor-label">
        {label}
        {hint && <span className="muted small"> · {hint}</span>}
      </span>
      {children}
      <FieldMessages errors={errors} path={path} />
    </label>
  );
}

interface Props {
  step: StepDraft;
  index: number;
  count: number;
  errors: readonly FieldError[];
  onChange: (patch: Partial<StepDraft>) => void;
  onMove: (to: number) => void;
  onRemove: () => void;
}

export function StepEditor({ step, index, count, errors, onChange, onMove, onRemove }: Props) {
  const p = `steps.${index}`;
  const text = (key: keyof StepDraft, testId: string, placeholder?: string) => (
    <input
      type="text"
      data-testid={testId}
      value={step[key] as string}
      placeholder={placeholder}
      onChange={(e) => onChange({ [key]: e.target.value })}
    />
  );
  return (
    <li className="step-editor" data-testid="step-editor" data-index={index}>
      <div className="step-editor-head">
        <span className="step-number">Step {index + 1}</span>
        <div className="step-editor-actions">
          <button
            type="button"
            className="button button-small button-ghost"
            aria-label={`Move step ${index + 1} up`}
            data-testid="step-up"
            disabled={index === 0}
            onClick={() => onMove(index - 1)}
          >
            ↑
          </button>
          <button
            type="button"
            className="button button-small button-ghost"
            aria-label={`Move step ${index + 1} down`}
            data-testid="step-down"
            disabled={index === count - 1}
            onClick={() => onMove(index + 1)}
          >
            ↓
          </button>
          <button
            type="button"
            className="button button-small button-ghost"
            aria-label={`Remove step ${index + 1}`}
            data-testid="step-remove"
            onClick={onRemove}
          >
            Remove
          </button>
        </div>
      </div>
      <div className="editor-grid">
        <Field label="Name" errors={errors} path={`${p}.name`}>
          {text('name', 'step-name', 'e.g. Refund issued')}
        </Field>
        <Field label="Success measure" errors={errors} path={`${p}.success_measure`}>
          {text('successMeasure', 'step-measure', 'e.g. No “where is my refund?” contacts')}
        </Field>
        <Field label="Owner" errors={errors} path={`${p}.owner`}>
          <div className="editor-inline">
            <select
              value={step.ownerKind}
              data-testid="step-owner-kind"
              aria-label="Owner kind"
              onChange={(e) => onChange({ ownerKind: e.target.value as StepDraft['ownerKind'] })}
            >
              <option value="team">team</option>
              <option value="person">person</option>
            </select>
            {text('ownerName', 'step-owner', 'e.g. billing')}
          </div>
        </Field>
        <Field label="Target to next step" hint="empty: no promise" errors={errors} path={`${p}.target_to_next`}>
          <div className="editor-inline">
            <input
              type="number"
              step="any"
              data-testid="step-target"
              value={step.targetValue}
              onChange={(e) => onChange({ targetValue: e.target.value })}
            />
            <select
              value={step.targetUnit}
              data-testid="step-target-unit"
              aria-label="Target unit"
              onChange={(e) => onChange({ targetUnit: e.target.value as Unit })}
            >
              <option value="seconds">seconds</option>
              <option value="hours">hours</option>
              <option value="days">days</option>
            </select>
          </div>
        </Field>
      </div>
      <fieldset className="editor-match">
        <legend>
          Matches events where{' '}
          <span className="muted small">(every field given must hold; commas separate alternatives)</span>
        </legend>
        <div className="editor-grid editor-grid-4">
          <Field label="Type" errors={errors} path={`${p}.match.type`}>
            {text('type', 'step-match-type', 'refund_issued')}
          </Field>
          <Field label="Channel" errors={errors} path={`${p}.match.channel`}>
            {text('channel', 'step-match-channel', 'web, store')}
          </Field>
          <Field label="Touchpoint" errors={errors} path={`${p}.match.touchpoint`}>
            {text('touchpoint', 'step-match-touchpoint')}
          </Field>
          <Field label="Team" errors={errors} path={`${p}.match.team`}>
            {text('team', 'step-match-team')}
          </Field>
        </div>
        <Field label="Properties" hint="one key=value per line" errors={errors} path={`${p}.match.properties`}>
          <textarea
            rows={2}
            data-testid="step-match-properties"
            value={step.properties}
            onChange={(e) => onChange({ properties: e.target.value })}
          />
        </Field>
        <FieldMessages errors={errors} path={`${p}.match`} exact />
      </fieldset>
    </li>
  );
}
