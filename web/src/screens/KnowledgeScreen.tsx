import { useEffect, useState, type FormEvent } from 'react';
import { api, dataOf, type Schema } from '../api/client.ts';
import type { paths } from '../api/schema.ts';
import { ProblemNotice } from '../components/ProblemNotice.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { CODES } from '../i18n/vocabulary.ts';
import { navigate } from '../router.ts';

type SearchQuery = paths['/api/v1/knowledge/search']['get']['parameters']['query'];
const FIELDS = ['q', 'doc_type', 'stage', 'defect_type', 'facility', 'search_type'] as const;
type Field = (typeof FIELDS)[number];

/** The Knowledge screen: search past defects and SOPs with the API's filters. */
export function KnowledgeScreen({ query }: { query: URLSearchParams }) {
  const { t, label, formatNumber } = useI18n();
  const applied = Object.fromEntries(FIELDS.map((name) => [name, query.get(name) ?? ''])) as Record<
    Field,
    string
  >;
  const appliedKey = JSON.stringify(applied);
  const [draft, setDraft] = useState(applied);
  const [results, setResults] = useState<Schema<'KnowledgeSearchResults'> | null>(null);
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);

  useEffect(() => {
    const filters = JSON.parse(appliedKey) as Record<Field, string>;
    setDraft(filters);
    if (!filters.q) {
      setResults(null);
      return;
    }
    let live = true;
    setLoading(true);
    setProblem(null);
    const params = {
      ...Object.fromEntries(Object.entries(filters).filter(([, value]) => value)),
      q: filters.q,
    } as SearchQuery;
    api
      .GET('/api/v1/knowledge/search', { params: { query: { ...params, k: 10 } } })
      .then((result) => live && setResults(dataOf(result)))
      .catch((error: unknown) => live && setProblem(error))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [appliedKey]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const name of FIELDS) if (draft[name].trim()) next.set(name, draft[name].trim());
    navigate(`#/knowledge?${next.toString()}`);
  };
  const select = (name: Field, text: string, options: readonly string[]) => (
    <div>
      <label htmlFor={`knowledge-${name}`}>{text}</label>
      <select
        id={`knowledge-${name}`}
        value={draft[name]}
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
    <div className="screen screen-knowledge">
      <h1>{t('knowledge.title')}</h1>
      <form className="card filters" onSubmit={submit} role="search">
        <div className="filters-wide">
          <label htmlFor="knowledge-q">{t('knowledge.query')}</label>
          <input
            id="knowledge-q"
            type="search"
            value={draft.q}
            maxLength={500}
            required
            onChange={(event) => setDraft({ ...draft, q: event.target.value })}
          />
        </div>
        {select('doc_type', t('knowledge.docType'), ['past_defect', 'sop'])}
        {select('stage', t('knowledge.stage'), [...CODES.stages, 'inspection', 'packaging'])}
        {select('defect_type', t('analysis.type'), CODES.defectTypes)}
        {select('facility', t('report.facility'), CODES.facilities)}
        {select('search_type', t('knowledge.searchType'), ['hybrid', 'semantic', 'lexical'])}
        <div className="row filters-buttons">
          <button type="submit" className="primary">
            {t('knowledge.search')}
          </button>
        </div>
      </form>
      <ProblemNotice problem={problem} />
      {loading ? <p>{t('common.loading')}</p> : null}
      {results ? (
        <section aria-labelledby="knowledge-results">
          <h2 id="knowledge-results" className="muted small">
            {t('knowledge.took', {
              count: results.passages.length,
              ms: formatNumber(results.took_ms, { maximumFractionDigits: 0 }),
            })}
          </h2>
          {results.passages.length === 0 ? <p>{t('knowledge.empty')}</p> : null}
          <ol className="passages">
            {results.passages.map((passage) => (
              <li key={passage.chunk_id} className="card passage">
                <h3>
                  {passage.title} <span className="muted small">· {passage.section}</span>
                </h3>
                <p className="muted small">
                  <span className="badge">{label(passage.doc_type)}</span> <code>{passage.source_id}</code> ·{' '}
                  {label(passage.metadata.stage)} · {t('knowledge.score')}{' '}
                  {formatNumber(passage.score, { maximumFractionDigits: 3 })}
                </p>
                <p className="pre-line passage-text">{passage.text}</p>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </div>
  );
}
