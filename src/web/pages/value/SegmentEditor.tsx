// Saved rule-based segments on the Value page: the list with live counts, and a form to create, edit and delete
// them (POST / PUT / DELETE /value/segments). The API validates; its problem+json field errors appear next to the
// fields and conditions they name, and a saved segment shows its live count straight away.
import { useState } from 'react';
import { ApiError, apiDelete, apiPost, apiPut, errorMessage } from '../../app/api';
import { formatCount, formatMoney } from '../../app/format';
import { Card, ErrorBanner } from '../../app/ui';
import { draftFromRule, emptySegmentDraft, errorSlot, FIELD_OPTIONS, OPS, problemFieldErrors, segmentBody, type ConditionDraft, type FieldError, type SegmentDraft } from './segment-draft';
import type { SavedSegment, SavedSegments } from './value-types';
import './value.css';

function Messages({ errors, slot, mode }: { errors: readonly FieldError[]; slot: string; mode: 'all' | 'any' }) {
  const reasons = errors.filter((e) => errorSlot(e, mode) === slot).map((e) => e.reason);
  if (reasons.length === 0) return null;
  return (
    <div className="field-error" role="alert" data-testid="segment-field-error" data-slot={slot}>
      {reasons.join('; ')}
    </div>
  );
}

function ConditionRow({ c, index, onChange, onRemove, canRemove }: { c: ConditionDraft; index: number; onChange: (c: ConditionDraft) => void; onRemove: () => void; canRemove: boolean }) {
  const type = FIELD_OPTIONS.find((f) => f.field === c.field)?.type ?? 'number';
  return (
    <div className="segment-condition" data-testid="segment-condition">
      <select aria-label={`Condition ${index + 1} field`} value={c.field} onChange={(e) => onChange({ ...c, field: e.target.value as ConditionDraft['field'] })}>
        {FIELD_OPTIONS.map((f) => (
          <option key={f.field} value={f.field}>
            {f.label}
          </option>
        ))}
      </select>
      <select aria-label={`Condition ${index + 1} comparison`} value={c.op} onChange={(e) => onChange({ ...c, op: e.target.value as ConditionDraft['op'] })}>
        {OPS.map((op) => (
          <option key={op} value={op}>
            {op}
          </option>
        ))}
      </select>
      {type === 'boolean' ? (
        <select aria-label={`Condition ${index + 1} value`} value={c.value} onChange={(e) => onChange({ ...c, value: e.target.value })}>
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      ) : (
        <input aria-label={`Condition ${index + 1} value`} value={c.value} placeholder={c.op === 'in' ? 'a, b, c' : type === 'number' ? 'number' : 'text'} onChange={(e) => onChange({ ...c, value: e.target.value })} />
      )}
      <button type="button" className="button button-small button-ghost" onClick={onRemove} disabled={!canRemove} aria-label={`Remove condition ${index + 1}`}>
        ✕
      </button>
    </div>
  );
}

function SegmentForm({ initial, workspace, onDone }: { initial: SegmentDraft; workspace: string; onDone: (saved: SavedSegment | null) => void }) {
  const [d, setD] = useState(initial);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [failure, setFailure] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const setCondition = (i: number, c: ConditionDraft) => setD({ ...d, conditions: d.conditions.map((x, j) => (j === i ? c : x)) });

  const run = async (action: () => Promise<SavedSegment | null>) => {
    setBusy(true);
    setErrors([]);
    setFailure(undefined);
    try {
      onDone(await action());
    } catch (e) {
      const found = e instanceof ApiError ? problemFieldErrors(e.errors) : [];
      setErrors(found);
      if (found.length === 0) setFailure(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const save = () => run(() => (d.id ? apiPut<SavedSegment>(`/value/segments/${d.id}`, { workspace }, segmentBody(d)) : apiPost<SavedSegment>('/value/segments', { workspace }, segmentBody(d))));
  const remove = () => run(async () => (d.id ? (await apiDelete(`/value/segments/${d.id}`, { workspace }), null) : null));

  return (
    <form
      className="segment-form"
      data-testid="segment-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div className="segment-form-row">
        <label className="segment-field">
          <span className="editor-label">Name</span>
          <input aria-label="Segment name" value={d.name} onChange={(e) => setD({ ...d, name: e.target.value })} />
          <Messages errors={errors} slot="name" mode={d.mode} />
        </label>
        <label className="segment-field">
          <span className="editor-label">Description</span>
          <input aria-label="Segment description" value={d.description} onChange={(e) => setD({ ...d, description: e.target.value })} />
          <Messages errors={errors} slot="description" mode={d.mode} />
        </label>
      </div>
      <div className="segment-field">
        <span className="editor-label">
          Customers matching{' '}
          <select aria-label="Match" value={d.mode} onChange={(e) => setD({ ...d, mode: e.target.value as 'all' | 'any' })}>
            <option value="all">all</option>
            <option value="any">any</option>
          </select>{' '}
          of
        </span>
        {d.conditions.map((c, i) => (
          <div key={i}>
            <ConditionRow c={c} index={i} onChange={(x) => setCondition(i, x)} onRemove={() => setD({ ...d, conditions: d.conditions.filter((_, j) => j !== i) })} canRemove={d.conditions.length > 1} />
            <Messages errors={errors} slot={`condition:${i}`} mode={d.mode} />
          </div>
        ))}
        <Messages errors={errors} slot="rule" mode={d.mode} />
        <div>
          <button type="button" className="button button-small button-ghost" onClick={() => setD({ ...d, conditions: [...d.conditions, { field: 'pAlive', op: '<', value: '0.5' }] })}>
            + Condition
          </button>
        </div>
      </div>
      <ErrorBanner message={failure} />
      <div className="segment-form-actions">
        <button type="submit" className="button" disabled={busy} data-testid="segment-save">
          {d.id ? 'Save changes' : 'Create segment'}
        </button>
        <button type="button" className="button button-ghost" disabled={busy} onClick={() => onDone(null)}>
          Cancel
        </button>
        {d.id && (
          <button type="button" className="button button-ghost segment-delete" disabled={busy} onClick={() => void remove()} data-testid="segment-delete">
            Delete
          </button>
        )}
      </div>
    </form>
  );
}

/** Saved segments with live counts, and the editor. `onChanged` reloads the list after a save or delete. */
export function SegmentsCard({ saved, workspace, currency, onChanged }: { saved: SavedSegments | undefined; workspace: string; currency: string | null; onChanged: () => void }) {
  const [editing, setEditing] = useState<SegmentDraft | null>(null);
  const [editKey, setEditKey] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const open = (d: SegmentDraft | null) => {
    setEditing(d);
    setEditKey((k) => k + 1);
    setNotice(null);
  };
  return (
    <Card
      title="Saved segments"
      testId="saved-segments-card"
      actions={
        <button type="button" className="button button-small" onClick={() => open(emptySegmentDraft())} data-testid="segment-new">
          New segment
        </button>
      }
    >
      {notice && (
        <p className="segment-notice" data-testid="segment-saved" role="status">
          {notice}
        </p>
      )}
      {editing && (
        <SegmentForm
          key={editKey}
          initial={editing}
          workspace={workspace}
          onDone={(result) => {
            setEditing(null);
            if (result) setNotice(`Saved “${result.name}”: ${formatCount(result.customers)} customers now match · CLV ${formatMoney(result.clv, currency, { compact: true })}`);
            onChanged();
          }}
        />
      )}
      {saved && saved.segments.length > 0 ? (
        <table className="table" data-testid="saved-segments">
          <tbody>
            {saved.segments.map((s) => {
              const draft = draftFromRule(s.id, s.name, s.description, s.rule);
              return (
                <tr key={s.id} data-testid="saved-segment" data-id={s.id}>
                  <td>
                    {s.name}
                    <div className="muted small">{s.ruleText}</div>
                  </td>
                  <td className="num" data-testid="saved-segment-count">
                    {formatCount(s.customers)}
                  </td>
                  <td className="num">{formatMoney(s.clv, currency, { compact: true })}</td>
                  <td className="num">
                    <button type="button" className="button button-small button-ghost" disabled={!draft} title={draft ? undefined : 'nested rule: edit through the API'} onClick={() => open(draft)}>
                      Edit
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : (
        !editing && <p className="muted">No saved segments yet: define one from CLV, P(alive), RFM, satisfaction and service signals.</p>
      )}
    </Card>
  );
}
