// The designed-journey editor: #/journeys/designed/new and #/journeys/designed/:id/edit. Name, owner, revenue
// objective, case notion and ordered steps (add, remove, move); saved with PUT /journeys/designed/:id, deleted with
// DELETE. The API validates; its problem+json field errors appear next to the fields they name.
import { useState } from 'react';
import { ApiError, apiDelete, apiGet, apiPut, errorMessage } from '../../app/api';
import { navigate } from '../../app/router';
import { Card, ErrorBanner, Loading, PageHeader } from '../../app/ui';
import { useApiGet } from '../../app/use-api';
import { useWorkspaceId } from '../../app/workspace';
import {
  draftFromJourney,
  emptyDraft,
  emptyStep,
  fieldErrors,
  journeyFromDraft,
  moved,
  slugOf,
  type FieldError,
  type JourneyDraft,
  type JourneyJson,
  type StepDraft,
} from './journey-draft';
import { Field, FieldMessages, StepEditor } from './StepEditor';
import './journeys.css';

const ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export function JourneyEditor({ id }: { id: string | null }) {
  const workspace = useWorkspaceId();
  const stored = useApiGet<{ id: string; journey: JourneyJson }>(
    id ? `/journeys/designed/${encodeURIComponent(id)}` : null,
    { workspace },
  );
  if (id === null) return <JourneyForm id={null} initial={emptyDraft()} workspace={workspace} />;
  if (!stored.data) {
    return (
      <div className="page" data-testid="journey-editor">
        <PageHeader title="Edit designed journey" testId="page-title" />
        <ErrorBanner message={stored.error} />
        {!stored.error && <Loading label="Loading the journey…" />}
      </div>
    );
  }
  return <JourneyForm id={id} initial={draftFromJourney(stored.data.id, stored.data.journey)} workspace={workspace} />;
}

/** Whether a designed journey with this id exists already. */
async function journeyExists(id: string, workspace: string): Promise<boolean> {
  try {
    await apiGet(`/journeys/designed/${encodeURIComponent(id)}`, { workspace });
    return true;
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return false;
    throw e;
  }
}

function JourneyForm({ id, initial, workspace }: { id: string | null; initial: JourneyDraft; workspace: string }) {
  // `initial` only seeds the form: later renders of the loader do not reset what the user typed.
  const [d, setDraft] = useState<JourneyDraft>(initial);
  const [idTouched, setIdTouched] = useState(id !== null);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [message, setMessage] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);

  const set = (patch: Partial<JourneyDraft>) => setDraft({ ...d, ...patch });
  const setStep = (i: number, patch: Partial<StepDraft>) =>
    set({ steps: d.steps.map((s, k) => (k === i ? { ...s, ...patch } : s)) });
  const journeyId = id ?? d.id;

  async function save() {
    setErrors([]);
    setMessage(undefined);
    if (!ID_PATTERN.test(journeyId)) {
      setErrors([{ field: 'id', reason: 'lower-case letters, digits, - and _ (start with a letter or digit)' }]);
      return;
    }
    setBusy(true);
    try {
      if (!id) {
        // A new journey must not silently replace an existing one with the same id.
        if (await journeyExists(journeyId, workspace)) {
          setErrors([{ field: 'id', reason: `a journey '${journeyId}' already exists; choose another id` }]);
          return;
        }
      }
      await apiPut(`/journeys/designed/${encodeURIComponent(journeyId)}`, { workspace }, journeyFromDraft(d));
      navigate('/journeys', { journey: journeyId });
    } catch (e) {
      const found = e instanceof ApiError ? fieldErrors(e.errors) : [];
      setErrors(found);
      setMessage(
        found.length > 0
          ? `Not saved: ${found.length} field${found.length > 1 ? 's need' : ' needs'} attention.`
          : errorMessage(e),
      );
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    if (!id) return;
    setBusy(true);
    try {
      await apiDelete(`/journeys/designed/${encodeURIComponent(id)}`, { workspace });
      navigate('/journeys');
    } catch (e) {
      setMessage(errorMessage(e));
      setBusy(false);
    }
  }

  const text = (
    key: 'name' | 'owner' | 'objective' | 'amount' | 'currency' | 'caseProperty' | 'gapDays' | 'windowDays',
    testId: string,
    placeholder?: string,
  ) => (
    <input
      type={key === 'amount' || key === 'gapDays' || key === 'windowDays' ? 'number' : 'text'}
      data-testid={testId}
      value={d[key]}
      placeholder={placeholder}
      onChange={(e) =>
        set(
          key === 'name' && !idTouched
            ? { name: e.target.value, id: slugOf(e.target.value) }
            : { [key]: e.target.value },
        )
      }
    />
  );

  return (
    <div className="page" data-testid="journey-editor">
      <PageHeader
        title={id ? `Edit ${d.name || id}` : 'New designed journey'}
        testId="page-title"
        subtitle="How a customer should be handled, step by step: each step with a rule that recognises it in the events, an accountable owner, a success measure and a target time to the next step."
        actions={
          <a className="button button-ghost" href={id ? `#/journeys?journey=${encodeURIComponent(id)}` : '#/journeys'}>
            Cancel
          </a>
        }
      />
      <ErrorBanner message={message} />
      <form
        className="stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Card title="Journey" testId="journey-fields">
          <div className="editor-grid">
            <Field label="Name" errors={errors} path="name">
              {text('name', 'journey-name', 'e.g. Returns and refunds')}
            </Field>
            <Field label="Id" hint={id ? 'fixed once saved' : 'used in links and the API'} errors={errors} path="id">
              <input
                type="text"
                data-testid="journey-id"
                value={journeyId}
                disabled={id !== null}
                onChange={(e) => {
                  setIdTouched(true);
                  set({ id: e.target.value });
                }}
              />
            </Field>
            <Field label="Owner" hint="accountable for the whole journey" errors={errors} path="owner">
              {text('owner', 'journey-owner', 'e.g. Head of customer service')}
            </Field>
            <Field label="Revenue objective" errors={errors} path="revenue_objective.description">
              {text('objective', 'journey-objective', 'e.g. Refund fast so returners keep buying')}
            </Field>
            <Field label="Objective amount" hint="optional" errors={errors} path="revenue_objective.amount">
              {text('amount', 'journey-amount')}
            </Field>
            <Field label="Currency" hint="optional, e.g. GBP" errors={errors} path="revenue_objective.currency">
              {text('currency', 'journey-currency')}
            </Field>
          </div>
          <div className="editor-grid">
            <Field label="Case notion" hint="what one journey instance is" errors={errors} path="case.by">
              <select
                data-testid="journey-case-by"
                value={d.caseBy}
                onChange={(e) => set({ caseBy: e.target.value as JourneyDraft['caseBy'] })}
              >
                <option value="property">one case per entity id in the events (order id, ticket id…)</option>
                <option value="customer">a customer's events, cut at long pauses</option>
              </select>
            </Field>
            {d.caseBy === 'property' ? (
              <Field label="Entity id property" errors={errors} path="case.property">
                {text('caseProperty', 'journey-case-property', 'order_id')}
              </Field>
            ) : (
              <Field label="Pause that starts a new case (days)" errors={errors} path="case.gap_days">
                {text('gapDays', 'journey-gap-days')}
              </Field>
            )}
            <Field label="Conversion window (days)" errors={errors} path="window_days">
              {text('windowDays', 'journey-window-days')}
            </Field>
          </div>
          {d.model !== undefined && (
            <p className="card-note">
              This journey has its own process model (set through the API or a file); saving keeps it.
            </p>
          )}
          <FieldMessages errors={errors} path="model" />
        </Card>
        <Card
          title={`Steps (${d.steps.length})`}
          testId="journey-steps"
          actions={<span className="muted">in order; an event counts as the first step whose rule it matches</span>}
        >
          <FieldMessages errors={errors} path="steps" exact />
          <ol className="step-editor-list">
            {d.steps.map((s, i) => (
              <StepEditor
                key={s.key}
                step={s}
                index={i}
                count={d.steps.length}
                errors={errors}
                onChange={(patch) => setStep(i, patch)}
                onMove={(to) => set({ steps: moved(d.steps, i, to) })}
                onRemove={() => set({ steps: d.steps.filter((_, k) => k !== i) })}
              />
            ))}
          </ol>
          <button
            type="button"
            className="button"
            data-testid="step-add"
            onClick={() => set({ steps: [...d.steps, emptyStep()] })}
          >
            Add step
          </button>
        </Card>
        <div className="editor-footer">
          <button type="submit" className="button button-primary" data-testid="journey-save" disabled={busy}>
            {busy ? 'Saving…' : 'Save journey'}
          </button>
          {id &&
            (confirmDelete ? (
              <>
                <span className="muted">Delete “{d.name}” for everyone?</span>
                <button
                  type="button"
                  className="button button-danger"
                  data-testid="journey-delete-confirm"
                  disabled={busy}
                  onClick={() => void remove()}
                >
                  Delete
                </button>
                <button type="button" className="button button-ghost" onClick={() => setConfirmDelete(false)}>
                  Keep it
                </button>
              </>
            ) : (
              <button
                type="button"
                className="button button-ghost"
                data-testid="journey-delete"
                onClick={() => setConfirmDelete(true)}
              >
                Delete journey…
              </button>
            ))}
        </div>
      </form>
    </div>
  );
}
