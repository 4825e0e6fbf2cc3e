import type { ReviewedAnalysis } from '../api/client.ts';
import { useAnalysis } from '../api/use-analysis.ts';
import { CitationLinks, CitationProvider } from '../components/CitationDialog.tsx';
import { Fishbone } from '../components/Fishbone.tsx';
import { FollowUpChat } from '../components/FollowUpChat.tsx';
import { MEASUREMENT_FIELDS, outOfSpec } from '../measurements.ts';
import { PhotoCard } from '../components/PhotoCard.tsx';
import { ProblemNotice } from '../components/ProblemNotice.tsx';
import { ReportDownloads } from '../components/ReportDownloads.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { analysisHref } from '../router.ts';
import type { ReactNode } from 'react';

/** A small key/value list. */
function Facts({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="facts">
      {items.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The inspector's report as submitted. */
export function ReportCard({ analysis }: { analysis: ReviewedAnalysis }) {
  const { t, label, formatDateTime, formatNumber, language } = useI18n();
  const report = analysis.report;
  const measurements = Object.entries(report.measurements ?? {});
  return (
    <section className="card" aria-labelledby="report-title">
      <h2 id="report-title">{t('analysis.report')}</h2>
      {report.description ? <p className="description pre-line">{report.description}</p> : null}
      <Facts
        items={[
          [t('analysis.created'), formatDateTime(analysis.created_at)],
          [t('report.sku'), report.product_sku ?? '—'],
          [t('report.facility'), label(report.facility)],
          [t('report.batch'), report.batch_id ?? '—'],
          [t('report.shift'), report.shift ?? '—'],
          ...measurements.map(([key, value]): [string, ReactNode] => {
            const field = MEASUREMENT_FIELDS.find((candidate) => candidate.key === key);
            const bad = field !== undefined && outOfSpec(field, value as number);
            return [
              field ? `${field.label[language]} (${field.unit})` : key,
              <span key={key} className={bad ? 'error-text' : undefined}>
                {formatNumber(value as number)}
                {field?.spec ? ` · ${t('report.spec')} ${field.spec}` : ''}
                {bad ? ` · ${t('report.outOfSpec')}` : ''}
              </span>,
            ];
          }),
        ]}
      />
    </section>
  );
}

/** The classification with its evidence and citations. */
export function ClassificationCard({ analysis }: { analysis: ReviewedAnalysis }) {
  const { t, label, formatNumber } = useI18n();
  const classification = analysis.classification;
  if (!classification) return null;
  const fields = analysis.review.fields;
  return (
    <section className="card" aria-labelledby="classification-title">
      <h2 id="classification-title">{t('analysis.classification')}</h2>
      <p className="headline">
        <span className={`badge badge-severity-${fields.severity}`}>{label(fields.severity)}</span>{' '}
        <strong>{label(fields.defect_type)}</strong>
        {classification.secondary_types.length > 0
          ? ` (${t('analysis.secondary')}: ${classification.secondary_types.map(label).join(', ')})`
          : ''}
      </p>
      <Facts
        items={[
          [t('analysis.confidence'), formatNumber(classification.confidence, { style: 'percent' })],
          [t('analysis.disposition'), label(fields.disposition)],
          [
            t('analysis.escalate'),
            classification.escalate
              ? `${t('analysis.yes')}${classification.escalation_reason ? ` — ${classification.escalation_reason}` : ''}`
              : t('analysis.no'),
          ],
          [t('analysis.area'), classification.affected_area ?? '—'],
        ]}
      />
      {classification.evidence.length > 0 ? (
        <>
          <h3>{t('analysis.evidence')}</h3>
          <ul className="evidence">
            {classification.evidence.map((item, index) => (
              <li key={index}>{item}</li>
            ))}
          </ul>
        </>
      ) : null}
      <CitationLinks ids={classification.citations} />
    </section>
  );
}

/** The root cause: stage, the three causes, the 5-why chain and the fishbone. */
export function RootCauseCard({ analysis }: { analysis: ReviewedAnalysis }) {
  const { t, label, formatNumber } = useI18n();
  const rootCause = analysis.root_cause;
  if (!rootCause) return null;
  const fields = analysis.review.fields;
  return (
    <>
      <section className="card" aria-labelledby="root-cause-title">
        <h2 id="root-cause-title">{t('analysis.rootCause')}</h2>
        <Facts
          items={[
            [
              t('analysis.stage'),
              `${label(fields.probable_stage)} (${formatNumber(rootCause.stage_confidence, { style: 'percent' })})`,
            ],
            [t('analysis.category'), label(fields.category_6m)],
          ]}
        />
        <dl className="causes">
          <dt>{t('analysis.occurrence')}</dt>
          <dd>{fields.occurrence_cause ?? '—'}</dd>
          <dt>{t('analysis.escape')}</dt>
          <dd>{fields.escape_cause ?? '—'}</dd>
          <dt>{t('analysis.systemic')}</dt>
          <dd>{fields.systemic_cause ?? '—'}</dd>
        </dl>
        <CitationLinks ids={rootCause.root_cause.citations} />
      </section>
      <section className="card" aria-labelledby="five-why-title">
        <h2 id="five-why-title">{t('analysis.fiveWhy')}</h2>
        <ol className="five-why">
          {rootCause.five_why_chain.map((why, index) => (
            <li key={`${why.step}-${why.branch ?? ''}-${index}`}>
              <p className="why-question">
                <strong>
                  {t('analysis.why')} {why.step}
                  {why.branch ? why.branch : ''}:
                </strong>{' '}
                {why.question}
              </p>
              <p className="why-answer">
                {why.answer}{' '}
                {why.hypothesis ? (
                  <span className="badge badge-untested">{t('analysis.hypothesis')}</span>
                ) : why.verified ? (
                  <span className="badge badge-supported">{t('analysis.verified')}</span>
                ) : null}
              </p>
              {why.evidence.length > 0 ? (
                <ul className="evidence small">
                  {why.evidence.map((evidence, position) => (
                    <li key={position}>
                      <span className="muted">{evidence.kind}:</span> {evidence.detail}
                    </li>
                  ))}
                </ul>
              ) : null}
              <CitationLinks ids={why.citations} />
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}

/** The 6M fishbone of the analysis. */
export function FishboneCard({ analysis }: { analysis: ReviewedAnalysis }) {
  const { t, label } = useI18n();
  const rootCause = analysis.root_cause;
  if (!rootCause) return null;
  return (
    <section className="card" aria-labelledby="fishbone-title">
      <h2 id="fishbone-title">{t('analysis.fishbone')}</h2>
      <Fishbone
        ishikawa={rootCause.ishikawa}
        effect={label(analysis.review.fields.defect_type)}
        rootCategory={analysis.review.fields.category_6m}
      />
    </section>
  );
}

/** The CAPA table: the tracked actions with owners, due dates, statuses and checks. */
export function ActionsTable({ analysis }: { analysis: ReviewedAnalysis }) {
  const { t, label, formatDate } = useI18n();
  const actions = analysis.review.actions;
  if (actions.length === 0) return null;
  return (
    <section className="card" aria-labelledby="actions-title">
      <h2 id="actions-title">{t('analysis.actions')}</h2>
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="actions-title">
        <table>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t('analysis.actionType')}</th>
              <th scope="col">{t('analysis.action')}</th>
              <th scope="col">{t('analysis.owner')}</th>
              <th scope="col">{t('analysis.due')}</th>
              <th scope="col">{t('analysis.actionStatus')}</th>
              <th scope="col">{t('analysis.check')}</th>
            </tr>
          </thead>
          <tbody>
            {actions.map((action) => (
              <tr key={action.id}>
                <td>{action.id}</td>
                <td>{label(action.type)}</td>
                <td>
                  {action.description}
                  <CitationLinks ids={action.citations} />
                </td>
                <td>{action.owner_role}</td>
                <td>{formatDate(action.due_date)}</td>
                <td>
                  <span className={`badge badge-${action.status}`}>{label(action.status)}</span>
                </td>
                <td className="small">
                  {action.effectiveness_check.metric}: {action.effectiveness_check.threshold} (
                  {action.effectiveness_check.window_days} {t('analysis.days')})
                  {action.effectiveness_evidence ? (
                    <div className="muted">{action.effectiveness_evidence}</div>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The header of an analysis: id, status, review state and links. */
export function AnalysisHeader({
  analysis,
  current,
}: {
  analysis: ReviewedAnalysis;
  current: 'analysis' | 'review';
}) {
  const { t, label } = useI18n();
  return (
    <header className="screen-header">
      <h1>
        {current === 'review' ? `${t('review.title')} · ` : ''}
        <span className="mono">{analysis.defect_id}</span>
      </h1>
      <p className="row">
        <span className={`badge badge-${analysis.status}`}>
          {t('analysis.status')}: {label(analysis.status)}
        </span>
        <span className={`badge badge-${analysis.review.state}`}>
          {t('review.state')}: {label(analysis.review.state)}
        </span>
        {current === 'analysis' ? (
          <a className="button" href={analysisHref(analysis.defect_id, true)}>
            {t('analysis.review')}
          </a>
        ) : (
          <a className="button" href={analysisHref(analysis.defect_id)}>
            {t('analysis.title')}
          </a>
        )}
        <ReportDownloads id={analysis.defect_id} />
      </p>
    </header>
  );
}

/** The Analysis screen: everything the agents found, and the follow-up chat. */
export function AnalysisScreen({ id }: { id: string }) {
  const { t, label } = useI18n();
  const { analysis, problem, loading } = useAnalysis(id);
  if (!analysis) {
    return loading ? <p>{t('common.loading')}</p> : <ProblemNotice problem={problem} />;
  }
  return (
    <CitationProvider citations={analysis.citations}>
      <div className="screen screen-analysis">
        <AnalysisHeader analysis={analysis} current="analysis" />
        {analysis.failure ? (
          <div className="notice notice-error" role="alert">
            <strong>{t('analysis.failure')}</strong>
            <p>
              {label(analysis.failure.step)}: {analysis.failure.message} <code>{analysis.failure.code}</code>
            </p>
          </div>
        ) : null}
        <div className="columns">
          <div className="column-main">
            <ClassificationCard analysis={analysis} />
            <RootCauseCard analysis={analysis} />
          </div>
          <div className="column-side">
            <ReportCard analysis={analysis} />
            {analysis.report.image ? (
              <PhotoCard id={analysis.defect_id} description={analysis.report.description} />
            ) : null}
            <FollowUpChat id={analysis.defect_id} />
          </div>
        </div>
        <FishboneCard analysis={analysis} />
        <ActionsTable analysis={analysis} />
      </div>
    </CitationProvider>
  );
}
