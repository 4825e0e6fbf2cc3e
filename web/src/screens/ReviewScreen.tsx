import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, ApiProblem, dataOf, type ReviewedAnalysis, type Schema } from '../api/client.ts';
import { useAnalysis } from '../api/use-analysis.ts';
import { CitationProvider } from '../components/CitationDialog.tsx';
import { ProblemNotice } from '../components/ProblemNotice.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { ACTION_STATUS_TRANSITIONS, CODES } from '../i18n/vocabulary.ts';
import { AnalysisHeader } from './AnalysisScreen.tsx';

type ReviewDecision = Schema<'ReviewDecision'>;
type ReviewEvent = Schema<'AuditTrail'>['events'][number];
type Decision = ReviewDecision['decision'];
type FieldName = keyof ReviewedAnalysis['review']['fields'];

const REVIEWER_STORAGE = 'rca.reviewer';
const SHORT_FIELDS: readonly FieldName[] = [
  'defect_type',
  'severity',
  'disposition',
  'probable_stage',
  'category_6m',
];
const CAUSE_FIELDS: readonly FieldName[] = ['occurrence_cause', 'escape_cause', 'systemic_cause'];

/** The decisions a reviewer can take in each review state. */
export const DECISIONS_BY_STATE: Record<string, readonly Decision[]> = {
  draft: ['confirm', 'correct', 'reject'],
  confirmed: ['correct', 'close'],
  corrected: ['correct', 'close'],
  closed: ['reopen'],
  rejected: ['reopen'],
};

const DECISION_TEXT: Record<Decision, MessageKey> = {
  confirm: 'review.confirm',
  correct: 'review.correct',
  reject: 'review.reject',
  close: 'review.close',
  reopen: 'review.reopen',
};

/** The values a correctable field may take (null for free text). */
const FIELD_CHOICES: Record<FieldName, readonly string[] | null> = {
  defect_type: CODES.classifiedTypes,
  severity: CODES.severities,
  disposition: CODES.dispositions,
  probable_stage: CODES.stages,
  category_6m: CODES.categories,
  occurrence_cause: null,
  escape_cause: null,
  systemic_cause: null,
};

/** What a write answered: the analysis and its new ETag. */
interface Written {
  analysis: ReviewedAnalysis;
  etag: string | null;
}

function writtenOf(result: { data?: ReviewedAnalysis; error?: unknown; response: Response }): Written {
  return { analysis: dataOf(result), etag: result.response.headers.get('etag') };
}

function DecisionPanel({
  analysis,
  reviewer,
  onWrite,
}: {
  analysis: ReviewedAnalysis;
  reviewer: string;
  onWrite: (write: (etag: string) => Promise<Written>) => Promise<boolean>;
}) {
  const { t, label } = useI18n();
  const decisions = DECISIONS_BY_STATE[analysis.review.state] ?? [];
  const [decision, setDecision] = useState<Decision>(decisions[0] ?? 'confirm');
  const [reason, setReason] = useState('');
  const [field, setField] = useState<FieldName>('defect_type');
  const [value, setValue] = useState('');
  const state = analysis.review.state;
  useEffect(() => {
    const options = DECISIONS_BY_STATE[state] ?? [];
    if (!options.includes(decision) && options[0]) setDecision(options[0]);
  }, [state, decision]);
  const choices = FIELD_CHOICES[field];
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const named = reviewer.trim() ? { reviewer: reviewer.trim() } : {};
    const trimmed = reason.trim();
    let body: ReviewDecision;
    if (decision === 'correct') {
      body = { decision, ...named, reason: trimmed, changes: { [field]: value || null } };
    } else if (decision === 'confirm' || decision === 'close') {
      body = { decision, ...named, ...(trimmed ? { reason: trimmed } : {}) };
    } else {
      body = { decision, ...named, reason: trimmed };
    }
    const saved = await onWrite(async (etag) =>
      writtenOf(
        await api.POST('/api/v1/analyses/{id}/review', {
          params: { path: { id: analysis.defect_id }, header: { 'If-Match': etag } },
          body,
        }),
      ),
    );
    if (saved) {
      setReason('');
      setValue('');
    }
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="decision-title">
      <h2 id="decision-title">{t('review.title')}</h2>
      <fieldset className="segmented">
        <legend className="visually-hidden">{t('review.title')}</legend>
        {decisions.map((option) => (
          <label key={option} className={decision === option ? 'selected' : ''}>
            <input
              type="radio"
              name="decision"
              value={option}
              checked={decision === option}
              onChange={() => setDecision(option)}
            />
            {t(DECISION_TEXT[option])}
          </label>
        ))}
      </fieldset>
      {decision === 'correct' ? (
        <div className="grid-2">
          <div>
            <label htmlFor="correct-field">{t('review.field')}</label>
            <select
              id="correct-field"
              value={field}
              onChange={(event) => {
                setField(event.target.value as FieldName);
                setValue('');
              }}
            >
              {(Object.keys(FIELD_CHOICES) as FieldName[]).map((name) => (
                <option key={name} value={name}>
                  {label(name)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="correct-value">{t('review.value')}</label>
            {choices ? (
              <select
                id="correct-value"
                value={value}
                onChange={(event) => setValue(event.target.value)}
                required
              >
                <option value="">—</option>
                {choices.map((choice) => (
                  <option key={choice} value={choice}>
                    {label(choice)}
                  </option>
                ))}
              </select>
            ) : (
              <textarea
                id="correct-value"
                rows={2}
                value={value}
                onChange={(event) => setValue(event.target.value)}
                required
              />
            )}
            <p className="muted small">{label(analysis.review.fields[field] ?? null)}</p>
          </div>
        </div>
      ) : null}
      <label htmlFor="review-reason">{t('review.reason')}</label>
      <textarea
        id="review-reason"
        rows={2}
        value={reason}
        onChange={(event) => setReason(event.target.value)}
      />
      <div className="row">
        <button type="submit" className="primary" disabled={decisions.length === 0}>
          {t(DECISION_TEXT[decision])}
        </button>
      </div>
    </form>
  );
}

function ActionStatusPanel({
  analysis,
  reviewer,
  onWrite,
}: {
  analysis: ReviewedAnalysis;
  reviewer: string;
  onWrite: (write: (etag: string) => Promise<Written>) => Promise<boolean>;
}) {
  const { t, label, formatDate } = useI18n();
  const [targets, setTargets] = useState<Record<string, string>>({});
  const [evidence, setEvidence] = useState<Record<string, string>>({});
  const editable = analysis.review.state !== 'closed' && analysis.review.state !== 'rejected';
  if (analysis.review.actions.length === 0) return null;
  const apply = async (actionId: string) => {
    const status = targets[actionId];
    if (!status) return;
    const text = (evidence[actionId] ?? '').trim();
    const saved = await onWrite(async (etag) =>
      writtenOf(
        await api.PATCH('/api/v1/analyses/{id}/actions/{actionId}', {
          params: { path: { id: analysis.defect_id, actionId }, header: { 'If-Match': etag } },
          body: {
            status: status as Schema<'ActionChange'>['status'],
            ...(text ? { evidence: text } : {}),
            ...(reviewer.trim() ? { reviewer: reviewer.trim() } : {}),
          },
        }),
      ),
    );
    if (saved) {
      setTargets({ ...targets, [actionId]: '' });
      setEvidence({ ...evidence, [actionId]: '' });
    }
  };
  return (
    <section className="card" aria-labelledby="action-status-title">
      <h2 id="action-status-title">{t('review.actions')}</h2>
      {!editable ? <p className="muted">{t('review.readOnly')}</p> : null}
      <ul className="action-status-list">
        {analysis.review.actions.map((action) => {
          const next = ACTION_STATUS_TRANSITIONS[action.status] ?? [];
          const target = targets[action.id] ?? '';
          const needsEvidence = target === 'verified' || target === 'ineffective';
          return (
            <li key={action.id} className="action-status">
              <p>
                <strong>{action.id}</strong>{' '}
                <span className={`badge badge-${action.status}`}>{label(action.status)}</span>{' '}
                {action.description}{' '}
                <span className="muted">
                  — {action.owner_role}, {formatDate(action.due_date)}
                </span>
              </p>
              {editable ? (
                <div className="grid-action">
                  <div>
                    <label htmlFor={`status-${action.id}`}>{t('review.moveTo')}</label>
                    <select
                      id={`status-${action.id}`}
                      value={target}
                      onChange={(event) => setTargets({ ...targets, [action.id]: event.target.value })}
                    >
                      <option value="">—</option>
                      {next.map((status) => (
                        <option key={status} value={status}>
                          {label(status)}
                        </option>
                      ))}
                    </select>
                  </div>
                  <div>
                    <label htmlFor={`evidence-${action.id}`}>{t('review.evidence')}</label>
                    <input
                      id={`evidence-${action.id}`}
                      value={evidence[action.id] ?? ''}
                      aria-describedby={needsEvidence ? `evidence-${action.id}-hint` : undefined}
                      onChange={(event) => setEvidence({ ...evidence, [action.id]: event.target.value })}
                    />
                    {needsEvidence ? (
                      <span id={`evidence-${action.id}-hint`} className="muted small">
                        {t('review.evidenceNeeded')}
                      </span>
                    ) : null}
                  </div>
                  <button
                    type="button"
                    onClick={() => void apply(action.id)}
                    disabled={!target || (needsEvidence && (evidence[action.id] ?? '').trim().length < 3)}
                  >
                    {t('review.apply')}
                  </button>
                </div>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && 'status' in value) return String((value as { status: unknown }).status);
  return JSON.stringify(value);
}

/** The append-only audit trail of the review. */
export function AuditTrail({ events }: { events: readonly ReviewEvent[] }) {
  const { t, label, formatDateTime } = useI18n();
  return (
    <section className="card" aria-labelledby="audit-title">
      <h2 id="audit-title">{t('review.audit')}</h2>
      {events.length === 0 ? (
        <p className="muted">{t('review.auditEmpty')}</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="audit-title">
          <table className="audit">
            <thead>
              <tr>
                <th scope="col">{t('review.when')}</th>
                <th scope="col">{t('review.who')}</th>
                <th scope="col">{t('review.what')}</th>
                <th scope="col">{t('review.change')}</th>
                <th scope="col">{t('review.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <tr key={event.sequence}>
                  <td>{formatDateTime(event.at)}</td>
                  <td>{event.actor.name}</td>
                  <td>
                    {label(event.kind)}
                    {event.target ? ` · ${label(event.target)}` : ''}
                  </td>
                  <td className="small">
                    {event.state_before !== event.state_after
                      ? `${label(event.state_before)} → ${label(event.state_after)}`
                      : null}
                    {(event.before ?? null) !== null || (event.after ?? null) !== null ? (
                      <div>
                        {describe(event.before)} → {describe(event.after)}
                      </div>
                    ) : null}
                  </td>
                  <td>{event.reason ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The Review screen: confirm, correct or reject; action statuses with evidence; the audit trail. */
export function ReviewScreen({ id }: { id: string }) {
  const { t, label, formatDateTime } = useI18n();
  const loaded = useAnalysis(id);
  const { analysis, etag, reload, replace } = loaded;
  const [events, setEvents] = useState<ReviewEvent[]>([]);
  const [problem, setProblem] = useState<unknown>(null);
  const [notice, setNotice] = useState<MessageKey | null>(null);
  const [reviewer, setReviewer] = useState(() => localStorage.getItem(REVIEWER_STORAGE) ?? '');
  const loadAudit = useCallback(async () => {
    try {
      const result = await api.GET('/api/v1/analyses/{id}/audit', { params: { path: { id } } });
      setEvents(dataOf(result).events);
    } catch (error) {
      setProblem(error);
    }
  }, [id]);
  useEffect(() => {
    void loadAudit();
  }, [loadAudit]);

  const onWrite = useCallback(
    async (write: (etag: string) => Promise<Written>): Promise<boolean> => {
      if (!etag) return false;
      setProblem(null);
      setNotice(null);
      try {
        const written = await write(etag);
        replace(written.analysis, written.etag);
        setNotice('review.saved');
        await loadAudit();
        return true;
      } catch (error) {
        if (error instanceof ApiProblem && error.status === 412) {
          await reload();
          await loadAudit();
          setNotice('review.stale');
        } else {
          setProblem(error);
        }
        return false;
      }
    },
    [etag, replace, loadAudit, reload],
  );

  if (!analysis) {
    return loaded.loading ? <p>{t('common.loading')}</p> : <ProblemNotice problem={loaded.problem} />;
  }
  const review = analysis.review;
  return (
    <CitationProvider citations={analysis.citations}>
      <div className="screen screen-review">
        <AnalysisHeader analysis={analysis} current="review" />
        <div className="sticky-notices">
          {notice ? (
            <div
              className={`notice ${notice === 'review.stale' ? 'notice-warning' : 'notice-ok'}`}
              role="status"
            >
              {t(notice)}
            </div>
          ) : null}
          <ProblemNotice problem={problem} />
        </div>
        <div className="columns">
          <div className="column-main">
            <section className="card" aria-labelledby="fields-title">
              <h2 id="fields-title">{t('analysis.classification')}</h2>
              <dl className="facts">
                {SHORT_FIELDS.map((name) => (
                  <div key={name}>
                    <dt>{label(name)}</dt>
                    <dd>{label(review.fields[name] ?? null)}</dd>
                  </div>
                ))}
                <div>
                  <dt>{t('review.by')}</dt>
                  <dd>
                    {review.reviewed_by ?? '—'}{' '}
                    {review.reviewed_at ? `· ${formatDateTime(review.reviewed_at)}` : ''}
                  </dd>
                </div>
              </dl>
              <dl className="causes">
                {CAUSE_FIELDS.map((name) => (
                  <div key={name}>
                    <dt>{label(name)}</dt>
                    <dd>{review.fields[name] ?? '—'}</dd>
                  </div>
                ))}
              </dl>
              {review.corrections.length > 0 ? (
                <ul className="small corrections">
                  {review.corrections.map((correction, index) => (
                    <li key={index}>
                      {label(correction.field)}: {label(correction.before)} → {label(correction.after)} (
                      {correction.by}, {correction.reason})
                    </li>
                  ))}
                </ul>
              ) : null}
            </section>
            <ActionStatusPanel analysis={analysis} reviewer={reviewer} onWrite={onWrite} />
            <AuditTrail events={events} />
          </div>
          <div className="column-side">
            <div className="card">
              <label htmlFor="reviewer">{t('review.reviewer')}</label>
              <input
                id="reviewer"
                value={reviewer}
                maxLength={120}
                autoComplete="name"
                onChange={(event) => {
                  setReviewer(event.target.value);
                  localStorage.setItem(REVIEWER_STORAGE, event.target.value);
                }}
              />
            </div>
            <DecisionPanel analysis={analysis} reviewer={reviewer} onWrite={onWrite} />
          </div>
        </div>
      </div>
    </CitationProvider>
  );
}
