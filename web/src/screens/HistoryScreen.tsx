import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, dataOf, type ReviewedAnalysis } from '../api/client.ts';
import { ProblemNotice } from '../components/ProblemNotice.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { CODES } from '../i18n/vocabulary.ts';
import { analysisHref, navigate } from '../router.ts';

/** The filters of `GET /api/v1/analyses` the History screen offers. */
const FILTERS = ['text', 'facility', 'type', 'review_state', 'status', 'since'] as const;
type Filter = (typeof FILTERS)[number];
type Filters = Partial<Record<Filter, string>>;

const PAGE_SIZE = 25;

function filtersOf(query: URLSearchParams): Filters {
  const filters: Filters = {};
  for (const name of FILTERS) {
    const value = query.get(name);
    if (value) filters[name] = value;
  }
  return filters;
}

/** The History screen: every analysis, newest first, with filters and cursor pagination. */
export function HistoryScreen({ query }: { query: URLSearchParams }) {
  const { t, label, formatDateTime } = useI18n();
  const applied = filtersOf(query);
  const appliedKey = JSON.stringify(applied);
  const [draft, setDraft] = useState<Filters>(applied);
  const [items, setItems] = useState<ReviewedAnalysis[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [problem, setProblem] = useState<unknown>(null);

  const load = useCallback(async (filters: Filters, after: string | null) => {
    setLoading(true);
    setProblem(null);
    try {
      const page = dataOf(
        await api.GET('/api/v1/analyses', {
          params: {
            query: {
              ...filters,
              review_state: filters.review_state as 'draft' | undefined,
              status: filters.status as 'complete' | undefined,
              limit: PAGE_SIZE,
              ...(after ? { cursor: after } : {}),
            },
          },
        }),
      );
      setItems((current) => (after ? [...current, ...page.items] : page.items));
      setCursor(page.next_cursor);
    } catch (error) {
      setProblem(error);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    setDraft(JSON.parse(appliedKey) as Filters);
    void load(JSON.parse(appliedKey) as Filters, null);
  }, [appliedKey, load]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const name of FILTERS) {
      const value = draft[name]?.trim();
      if (value) next.set(name, value);
    }
    navigate(`#/history${next.size > 0 ? `?${next.toString()}` : ''}`);
  };
  const select = (name: Filter, options: readonly string[]) => (
    <div>
      <label htmlFor={`filter-${name}`}>
        {t(
          name === 'facility'
            ? 'report.facility'
            : name === 'type'
              ? 'history.type'
              : name === 'review_state'
                ? 'history.state'
                : 'history.status',
        )}
      </label>
      <select
        id={`filter-${name}`}
        value={draft[name] ?? ''}
        onChange={(event) => setDraft({ ...draft, [name]: event.target.value })}
      >
        <option value="">{t('common.all')}</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {label(option)}
          </option>
        ))}
      </select>
    </div>
  );

  return (
    <div className="screen screen-history">
      <h1>{t('history.title')}</h1>
      <form className="card filters" onSubmit={apply} aria-label={t('history.filters')}>
        <div>
          <label htmlFor="filter-text">{t('history.text')}</label>
          <input
            id="filter-text"
            type="search"
            value={draft.text ?? ''}
            maxLength={200}
            onChange={(event) => setDraft({ ...draft, text: event.target.value })}
          />
        </div>
        {select('facility', CODES.facilities)}
        {select('type', CODES.classifiedTypes)}
        {select('review_state', CODES.reviewStates)}
        {select('status', CODES.statuses)}
        <div>
          <label htmlFor="filter-since">{t('history.since')}</label>
          <input
            id="filter-since"
            type="date"
            value={draft.since ?? ''}
            onChange={(event) => setDraft({ ...draft, since: event.target.value })}
          />
        </div>
        <div className="row filters-buttons">
          <button type="submit" className="primary">
            {t('history.apply')}
          </button>
          <button type="button" onClick={() => navigate('#/history')}>
            {t('history.clear')}
          </button>
        </div>
      </form>
      <ProblemNotice problem={problem} />
      <section className="card" aria-labelledby="history-results" aria-busy={loading}>
        <h2 id="history-results" className="visually-hidden">
          {t('history.title')}
        </h2>
        {!loading && !problem && items.length === 0 ? <p>{t('history.empty')}</p> : null}
        {items.length > 0 ? (
          <div className="table-scroll">
            <table className="history">
              <thead>
                <tr>
                  <th scope="col">{t('history.id')}</th>
                  <th scope="col">{t('analysis.created')}</th>
                  <th scope="col">{t('analysis.type')}</th>
                  <th scope="col">{t('analysis.severity')}</th>
                  <th scope="col">{t('report.facility')}</th>
                  <th scope="col">{t('analysis.stage')}</th>
                  <th scope="col">{t('history.state')}</th>
                  <th scope="col">{t('analysis.report')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((item) => (
                  <tr
                    key={item.defect_id}
                    className="clickable"
                    onClick={() => navigate(analysisHref(item.defect_id))}
                  >
                    <td>
                      <a href={analysisHref(item.defect_id)} className="mono">
                        {item.defect_id}
                      </a>
                    </td>
                    <td>{formatDateTime(item.created_at)}</td>
                    <td>{label(item.review.fields.defect_type)}</td>
                    <td>
                      <span className={`badge badge-severity-${item.review.fields.severity}`}>
                        {label(item.review.fields.severity)}
                      </span>
                    </td>
                    <td>{label(item.report.facility)}</td>
                    <td>{label(item.review.fields.probable_stage)}</td>
                    <td>
                      <span className={`badge badge-${item.review.state}`}>{label(item.review.state)}</span>
                    </td>
                    <td className="truncate">{item.report.description ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        <p className="row">
          <span className="muted">{t('history.count', { count: items.length })}</span>
          {cursor ? (
            <button type="button" onClick={() => void load(applied, cursor)} disabled={loading}>
              {t('history.more')}
            </button>
          ) : null}
        </p>
      </section>
    </div>
  );
}
